// Identifiers and tokens in InfluxDB 2's forms: 16 hex digits for IDs, long
// random strings for tokens. Tokens are stored as SHA-256 digests only: they
// are 384-bit random values, so a fast hash is enough (no password stretching).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newId(): string {
  let id = randomBytes(8).toString('hex');
  // InfluxDB IDs are never zero and are shown with 16 digits.
  if (/^0+$/.test(id)) id = '0000000000000001';
  return id;
}

export function newToken(): string {
  return randomBytes(48).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const ID_PATTERN = /^[0-9a-f]{16}$/;
