// HOOKLINE_TLS=self-signed: a certificate hookline creates once and keeps in
// its data directory (tls/self-signed.crt and .key), so devices that pin its
// SHA-1 fingerprint (the OVH seed's config.h) keep working across restarts.
// RSA 2048 because the ESP8266's old axTLS stack (cores before 2.5) speaks RSA
// only; BearSSL (core 3.x) accepts it too. Valid until 9999-12-31 (RFC 5280
// 4.1.2.5: "no well-defined expiration date"), so it never needs renewing,
// and renewing is what breaks pinned devices (esp8266/Arduino #3784, InfluxDB-Client-for-Arduino #63).

import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { bitString, boolean, explicit, implicit, integer, nullValue, octetString, oid, sequence, set, time, utf8String } from './der.ts';

export interface SelfSignedPaths {
  cert: string;
  key: string;
}

export function selfSignedPaths(dataDir: string): SelfSignedPaths {
  return { cert: join(dataDir, 'tls', 'self-signed.crt'), key: join(dataDir, 'tls', 'self-signed.key') };
}

export interface CertificateOptions {
  commonName: string;
  /** DNS names and IP addresses for subjectAltName. */
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
}

const SHA256_WITH_RSA = () => sequence(oid('1.2.840.113549.1.1.11'), nullValue());

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand "::" and write 8 groups of 16 bits.
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** A self-signed X.509 v3 certificate (PEM) and its RSA private key (PKCS#8 PEM). */
export function createSelfSigned(opts: CertificateOptions): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(opts.commonName))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive
  // subjectKeyIdentifier (RFC 5280 4.2.1.2 method 1): SHA-1 of the subjectPublicKey bits.
  const keyBits = spki.subarray(spki.length - publicKey.export({ type: 'pkcs1', format: 'der' }).length);
  const ski = createHash('sha1').update(keyBits).digest();
  const altNames = [...new Set(opts.names)].map((n) => (isIP(n) ? implicit(7, ipBytes(n)) : implicit(2, Buffer.from(n, 'ascii'))));
  const extensions = sequence(
    // basicConstraints, critical, CA:TRUE: what `openssl req -x509` writes, so the
    // certificate can be its own trust anchor (curl --cacert, Node's `ca`).
    sequence(oid('2.5.29.19'), boolean(true), octetString(sequence(boolean(true)))),
    sequence(oid('2.5.29.14'), octetString(octetString(ski))),
    sequence(oid('2.5.29.17'), octetString(sequence(...altNames))),
  );
  const notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  const notAfter = opts.notAfter ?? new Date(Date.UTC(9999, 11, 31, 23, 59, 59));
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serial),
    SHA256_WITH_RSA(),
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA(), bitString(signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** Names the certificate covers: loopback, this machine's name, and the configured host/public URL. */
export function defaultNames(host: string, publicUrl: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1', hostname()];
  if (host && host !== '0.0.0.0' && host !== '::') names.push(host);
  if (publicUrl) {
    try {
      names.push(new URL(publicUrl).hostname.replace(/^\[|\]$/g, ''));
    } catch {
      // an invalid public URL is reported where it is used
    }
  }
  return names.filter((n) => n !== '');
}

/** The data directory's certificate and key, created on first use and reused afterwards. */
export async function ensureSelfSigned(dataDir: string, names: string[]): Promise<{ cert: Buffer; key: Buffer; paths: SelfSignedPaths; created: boolean }> {
  const paths = selfSignedPaths(dataDir);
  try {
    const [cert, key] = await Promise.all([readFile(paths.cert), readFile(paths.key)]);
    // Refuse a damaged pair loudly rather than serving something devices will not accept.
    new X509Certificate(cert);
    createPrivateKey(key);
    return { cert, key, paths, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${paths.cert}: ${(e as Error).message}`);
  }
  const made = createSelfSigned({ commonName: 'hookline', names });
  await mkdir(join(dataDir, 'tls'), { recursive: true, mode: 0o700 });
  // Key first, each written under a temporary name then renamed: a crash leaves either nothing or a usable pair.
  for (const [path, text, mode] of [[paths.key, made.key, 0o600], [paths.cert, made.cert, 0o644]] as const) {
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, text, { mode });
    await chmod(tmp, mode);
    await rename(tmp, path);
  }
  return { cert: Buffer.from(made.cert), key: Buffer.from(made.key), paths, created: true };
}
