import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decryptSecret, encryptSecret } from './secret-cipher.ts';

test('AES-256-GCM round trip; a ciphertext is bound to its secret\'s identity', () => {
  const key = randomBytes(32);
  const c = encryptSecret(key, 'org.A', 'tök=n==');
  assert.equal(decryptSecret(key, 'org.A', c), 'tök=n==');
  assert.notEqual(encryptSecret(key, 'org.A', 'tök=n=='), c, 'random IV');
  assert.throws(() => decryptSecret(key, 'org.B', c));
  assert.throws(() => decryptSecret(randomBytes(32), 'org.A', c));
});

