import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HooklineError } from '../core/errors.ts';
import { QueryLimiter } from './query-limiter.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('runs at most maxConcurrent at once and starts waiters in order', async () => {
  const lim = new QueryLimiter({ maxConcurrent: 2, maxQueued: 10, queueTimeoutMs: 10_000 });
  const gates = [deferred(), deferred(), deferred(), deferred()];
  const started: number[] = [];
  const runs = gates.map((g, i) =>
    lim.run(async () => {
      started.push(i);
      await g.promise;
      return i;
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(lim.stats, { running: 2, queued: 2 });
  gates[1].resolve();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2]);
  for (const g of gates) g.resolve();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
  assert.deepEqual(lim.stats, { running: 0, queued: 0 });
});

test('a full queue refuses at once with TOO_MANY_QUERIES and Retry-After', async () => {
  const lim = new QueryLimiter({ maxConcurrent: 1, maxQueued: 1, queueTimeoutMs: 10_000 });
  const gate = deferred();
  const a = lim.run(() => gate.promise);
  const b = lim.run(async () => 'b');
  await assert.rejects(lim.run(async () => 'c'), (e: unknown) => e instanceof HooklineError && e.def.code === 'HL_TOO_MANY_QUERIES' && e.retryAfter === 1 && e.status === 503);
  gate.resolve();
  await a;
  assert.equal(await b, 'b');
});

test('a waiter that waits too long is refused and leaves the queue', async () => {
  const lim = new QueryLimiter({ maxConcurrent: 1, maxQueued: 5, queueTimeoutMs: 20 });
  const gate = deferred();
  const a = lim.run(() => gate.promise);
  await assert.rejects(lim.run(async () => 'late'), /max-concurrent-queries limit exceeded/);
  assert.equal(lim.stats.queued, 0);
  gate.resolve();
  await a;
  assert.equal(await lim.run(async () => 'after'), 'after');
});

test('a failing query releases its slot', async () => {
  const lim = new QueryLimiter({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 1000 });
  await assert.rejects(lim.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await lim.run(async () => 1), 1);
});
