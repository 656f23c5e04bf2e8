import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressPolicy, ownOrigins } from './ssrf-guard.ts';
import { CircuitBreaker, backoffMs } from './circuit-breaker.ts';

test('internal ranges are refused by default, public addresses pass', () => {
  const p = addressPolicy('');
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1']) assert.equal(p.blocked(a), true, a);
  for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(p.blocked(a), false, a);
});

test('"1" allows everything; a CIDR list allows just those ranges', () => {
  assert.equal(addressPolicy('1').blocked('127.0.0.1'), false);
  const p = addressPolicy('10.0.0.0/8, fd00::/8');
  assert.equal(p.blocked('10.9.9.9'), false);
  assert.equal(p.blocked('fd12::1'), false);
  assert.equal(p.blocked('192.168.1.1'), true);
  assert.throws(() => addressPolicy('nonsense'), /not an address/);
});

test('own origins include the loopback spellings of a loopback listener', () => {
  const o = ownOrigins(['http://127.0.0.1:8086', 'https://hub.example.com']);
  for (const k of ['127.0.0.1:8086', 'localhost:8086', '::1:8086', 'hub.example.com:443']) assert.ok(o.has(k), k);
  assert.equal(o.has('127.0.0.1:8087'), false);
});

test('circuit breaker: opens when failures dominate, probes after the cool-down, closes on success', () => {
  const b = new CircuitBreaker({ minFailures: 3, cooldownMs: 1000 });
  let t = 0;
  b.record('h', true, t);
  for (let i = 0; i < 3; i++) b.record('h', false, t);
  assert.equal(b.allow('h', t), false);
  assert.equal(b.allow('other', t), true);
  t += 1000;
  assert.equal(b.allow('h', t), true, 'one probe');
  assert.equal(b.allow('h', t), false, 'only one');
  b.record('h', false, t);
  assert.equal(b.allow('h', t + 1500), false, 'cool-down doubled to 2 s');
  assert.equal(b.allow('h', t + 2000), true);
  b.record('h', true, t + 2000);
  assert.equal(b.allow('h', t + 2000), true);
});

test('backoff grows by 4x with ±25% jitter', () => {
  assert.equal(backoffMs(1, 2000, 600000, () => 0.5), 2000);
  assert.equal(backoffMs(2, 2000, 600000, () => 0.5), 8000);
  assert.equal(backoffMs(3, 2000, 600000, () => 0), 24000);
  assert.equal(backoffMs(10, 2000, 600000, () => 1), 750000);
});

test('selfTargetWarning: this hub by the wrong scheme or an unserved port is warned about; others are not', async () => {
  const { selfTargetWarning } = await import('./ssrf-guard.ts');
  const own = ['https://0.0.0.0:8086', 'https://hub.example.com'];
  assert.match(selfTargetWarning('http://localhost:8086/api/v2/write', own)!, /serves https there, not http.*Use https:\/\/localhost:8086\/api\/v2\/write/);
  assert.equal(selfTargetWarning('https://localhost:8086/api/v2/write', own), undefined);
  assert.match(selfTargetWarning('http://hub.example.com/api/v2/write', own)!, /on port 80, which hookline does not serve; it serves https:\/\/hub\.example\.com:443/);
  assert.equal(selfTargetWarning('http://localhost:9000/some/other/app', own), undefined, 'another program on our host');
  assert.equal(selfTargetWarning('https://influx.example.org/api/v2/write', own), undefined);
  assert.equal(selfTargetWarning('http://{{{HOST}}}/x', own), undefined);
  // Both served on one port: no warning either way.
  assert.equal(selfTargetWarning('http://127.0.0.1:8086/write', ['http://127.0.0.1:8086', 'https://127.0.0.1:8086']), undefined);
});
