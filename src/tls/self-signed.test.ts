// The self-signed certificate hookline writes with its own DER encoder: Node
// and openssl must both accept it, with the names, validity and extensions
// devices and tools look at; it is created once and reused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSigned, ensureSelfSigned } from './self-signed.ts';
import { integer, oid, time } from './der.ts';
import { fingerprints } from './fingerprint.ts';

test('DER pieces: INTEGER sign byte, OID arcs, UTCTime before 2050 and GeneralizedTime after', () => {
  assert.deepEqual(integer(Buffer.from([0x80])), Buffer.from([0x02, 0x02, 0x00, 0x80]));
  assert.deepEqual(integer(2), Buffer.from([0x02, 0x01, 0x02]));
  assert.deepEqual(oid('1.2.840.113549.1.1.11'), Buffer.from('06092a864886f70d01010b', 'hex'));
  assert.equal(time(new Date(Date.UTC(2049, 0, 2, 3, 4, 5))).toString('latin1', 2), '490102030405Z');
  assert.equal(time(new Date(Date.UTC(9999, 11, 31, 23, 59, 59))).toString('latin1', 2), '99991231235959Z');
});

test('the certificate verifies, names localhost and the IPs, never expires, and matches its key', () => {
  const { cert, key } = createSelfSigned({ commonName: 'hookline', names: ['localhost', '127.0.0.1', '::1', 'box.lan'] });
  const x = new X509Certificate(cert);
  assert.ok(x.verify(x.publicKey), 'self-signature');
  assert.equal(x.checkHost('localhost'), 'localhost');
  assert.equal(x.checkHost('box.lan'), 'box.lan');
  assert.equal(x.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(x.checkIP('::1'), '::1');
  assert.equal(x.subject, 'CN=hookline');
  assert.equal(new Date(x.validTo).getUTCFullYear(), 9999);
  assert.ok(x.checkPrivateKey(createPrivateKey(key)));
  assert.equal(createPublicKey(key).asymmetricKeyType, 'rsa');
  const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: cert }).toString();
  assert.match(text, /Version: 3 \(0x2\)/);
  assert.match(text, /CA:TRUE/);
  assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, DNS:box\.lan/);
  assert.match(text, /Not After : Dec 31 23:59:59 9999 GMT/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
});

test('the SHA-1 fingerprint in config.h form is what openssl x509 -fingerprint -sha1 prints, spaces for colons', () => {
  const { cert } = createSelfSigned({ commonName: 'hookline', names: ['localhost'] });
  const openssl = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: cert }).toString();
  // The seed's README: ... | sed -e "s/.*=//g" | sed -e "s/\:/ /g"
  const seedForm = openssl.replace(/.*=/g, '').replace(/:/g, ' ').trim();
  const fp = fingerprints(cert);
  assert.equal(fp.sha1, seedForm);
  assert.match(fp.sha1, /^([0-9A-F]{2} ){19}[0-9A-F]{2}$/);
  const sha256 = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: cert }).toString().replace(/.*=/, '').trim();
  assert.equal(fp.sha256, sha256);
});

test('ensureSelfSigned creates the pair once (key 0600) and then reuses it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-tls-'));
  try {
    const first = await ensureSelfSigned(dir, ['localhost']);
    assert.equal(first.created, true);
    assert.equal((await stat(first.paths.key)).mode & 0o777, 0o600);
    const again = await ensureSelfSigned(dir, ['localhost', 'other']);
    assert.equal(again.created, false);
    assert.equal(fingerprints(again.cert).sha1, fingerprints(first.cert).sha1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
