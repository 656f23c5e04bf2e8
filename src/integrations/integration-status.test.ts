import { test } from 'node:test';
import assert from 'node:assert/strict';
import { causeOf } from './failure-cause.ts';
import { integrationStatus } from './integration-status.ts';

test('causeOf: a network code, an HTTP status, the head of another message', () => {
  assert.equal(causeOf({ error: 'ECONNRESET' }), 'ECONNRESET');
  assert.equal(causeOf({ error: 'ESOCKETTIMEDOUT' }), 'ESOCKETTIMEDOUT');
  assert.equal(causeOf({ response: { status: 503 }, error: 'error status 503 from h' }), 'HTTP 503');
  assert.equal(causeOf({ error: 'refused: h resolves to 10.0.0.1, an internal address' }), 'address refused (internal address)');
  assert.equal(causeOf({ error: 'invalid request: url: bad' }), 'invalid request');
  assert.equal(causeOf({}), 'unknown error');
});

test('integrationStatus: healthy, failing, sleeping (skips folded in), disabled', () => {
  const base = { causes: [], breaker: { state: 'closed' as const }, deadLetters: 0, disabled: false };
  assert.equal(integrationStatus(base).summary, 'healthy: nothing delivered yet');
  const failing = integrationStatus({ ...base, host: 'h', episode: { since: '2026-12-07T10:00:00.000Z', attempts: 3, skipped: 0, cause: 'ECONNRESET' } });
  assert.equal(failing.state, 'failing');
  assert.equal(failing.summary, 'failing since 2026-12-07T10:00:00.000Z with ECONNRESET, 3 attempts');
  const until = Date.parse('2026-12-07T10:05:00.000Z');
  const sleeping = integrationStatus({ ...base, host: 'h', breaker: { state: 'open', until }, episode: { since: '2026-12-07T10:00:00.000Z', attempts: 12, skipped: 40, cause: 'HTTP 500' } });
  assert.equal(sleeping.state, 'sleeping');
  assert.equal(sleeping.sleepingUntil, '2026-12-07T10:05:00.000Z');
  assert.equal(sleeping.skipped, 40);
  assert.equal(sleeping.summary, 'host h sleeping until 2026-12-07T10:05:00.000Z (too many errors), 40 deliveries skipped; failing since 2026-12-07T10:00:00.000Z with HTTP 500, 12 attempts');
  // Only skips, breaker closed again: nothing failed that the user must act on.
  assert.equal(integrationStatus({ ...base, episode: { since: 'x', attempts: 0, skipped: 2 } }).state, 'healthy');
  assert.match(integrationStatus({ ...base, disabled: true }).summary, /^disabled; healthy/);
});
