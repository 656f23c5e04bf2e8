// putReply (pure) for the cases a live server rarely shows: sync_timeout
// expiring, storage failures beside validation failures (PutDataPointRpc 2.4
// processDataPoint / PutTimeout; TestPutRpc sync* tests).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { putReply, type PutOutcome } from './put-response.ts';
import type { RawPoint } from '../ingest/opentsdb/parse-put-json.ts';

const p = (metric: string): RawPoint => ({ metric, timestamp: 1365465600, value: '42', tags: [['host', 'web01']] });
const outcome = (o: Partial<PutOutcome>): PutOutcome => {
  const points = [p('a'), p('b'), p('c')];
  return { total: 3, point: (i) => points[i], invalid: [], storageFailed: [], ...o };
};
const none = { summary: false, details: false, syncTimeout: 0 };

test('all stored: 204; with summary 200; with sync_timeout the summary has timeouts: 0 (syncOKTimeoutSummary)', () => {
  assert.deepEqual(putReply(none, outcome({})), { status: 204 });
  assert.deepEqual(JSON.stringify(putReply({ ...none, summary: true }, outcome({})).body), '{"success":3,"failed":0}');
  assert.deepEqual(JSON.stringify(putReply({ ...none, summary: true, syncTimeout: 30000 }, outcome({})).body), '{"success":3,"timeouts":0,"failed":0}');
});

test('storage failures only: 400 without flags, 200 with a summary (syncOneFailedSummary)', () => {
  const o = outcome({ storageFailed: [{ index: 1, error: 'boom' }] });
  assert.deepEqual(putReply(none, o).error?.message, 'One or more data points had errors');
  const r = putReply({ ...none, details: true }, o);
  assert.equal(r.status, 200);
  assert.equal(JSON.stringify(r.body), '{"success":2,"failed":1,"errors":[{"datapoint":{"metric":"b","timestamp":1365465600,"value":"42","tags":{"host":"web01"}},"error":"Storage exception: boom"}]}');
});

test('validation and storage failures: 400 (syncTwoFailedDetails)', () => {
  const r = putReply({ ...none, details: true }, outcome({ invalid: [{ index: 0, error: 'Invalid timestamp' }], storageFailed: [{ index: 2, error: 'boom' }] }));
  assert.equal(r.status, 400);
  assert.deepEqual((r.body as { errors: Array<{ error: string }> }).errors.map((e) => e.error), ['Invalid timestamp', 'Storage exception: boom']);
});

test('sync_timeout expired: 400 with the counts, or a summary with timeouts (syncTimeoutOneFailedTimedoutSummary/Details)', () => {
  const o = outcome({ invalid: [{ index: 0, error: 'Invalid timestamp' }], timedOut: [1, 2] });
  assert.deepEqual(putReply({ ...none, syncTimeout: 10 }, o), {
    status: 400,
    error: { message: 'The put call has timedout with 0 successful writes, 0 failed writes and 2 timed out writes.', details: 'Please see the TSD logs or append "details" to the put request' },
  });
  const r = putReply({ summary: false, details: true, syncTimeout: 10 }, o);
  assert.equal(r.status, 400);
  const body = r.body as { success: number; failed: number; timeouts: number; errors: Array<{ error: string }> };
  assert.deepEqual([body.success, body.failed, body.timeouts], [0, 1, 2]);
  assert.deepEqual(body.errors.map((e) => e.error), ['Invalid timestamp', 'Write timedout', 'Write timedout']);
});
