import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from './secret-cipher.ts';
import { maskText, SENSITIVE } from './mask-secrets.ts';

test('AES-256-GCM round trip; a ciphertext is bound to its secret\'s identity', () => {
  const key = randomBytes(32);
  const c = encryptSecret(key, 'org.A', 'tök=n==');
  assert.equal(decryptSecret(key, 'org.A', c), 'tök=n==');
  assert.notEqual(encryptSecret(key, 'org.A', 'tök=n=='), c, 'random IV');
  assert.throws(() => decryptSecret(key, 'org.B', c));
  assert.throws(() => decryptSecret(randomBytes(32), 'org.A', c));
});

test('masking replaces raw and URL-encoded values', () => {
  assert.equal(maskText('a=s3cr t&b=s3cr%20t&c=s3cr+t', ['s3cr t']), `a=${SENSITIVE}&b=${SENSITIVE}&c=${SENSITIVE}`);
  assert.equal(maskText('abc', ['ab']), 'abc', 'values under 4 characters are left to the rendered masking');
});
