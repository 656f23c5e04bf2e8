// AES-256-GCM for secret values. The secret's identity (org and name) is the
// additional authenticated data, so a ciphertext copied onto another secret's
// row fails to decrypt instead of leaking under another name.
// Stored form: "v1.<iv>.<ciphertext>.<tag>", each part base64url.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function encryptSecret(key: Buffer, identity: string, value: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(identity, 'utf8'));
  const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer, identity: string, stored: string): string {
  const [v, iv, ct, tag] = stored.split('.');
  if (v !== 'v1' || iv === undefined || ct === undefined || tag === undefined) throw new Error('unknown secret encoding');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(identity, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}
