import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalDeliveryQueue } from './wal-delivery-queue.ts';
import type { DeadLetter } from './delivery-queue.ts';
import type { DeviceEvent } from '../core/device-event.ts';

const ev = (n: number): DeviceEvent => ({ id: `e${n}`, name: 'data', data: `{"n":${n}}`, coreid: 'api', publishedAt: new Date(0).toISOString(), ttl: 60, public: false, orgId: 'o', internal: false });

async function open(dir: string, filed: DeadLetter[] = [], limit = 1000, minCompactBytes?: number) {
  return WalDeliveryQueue.open({ dir, limit, minCompactBytes, fileDeadLetters: async (l) => void filed.push(...l) });
}

test('accepted deliveries survive a crash; finished ones do not come back; attempts are kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wq-'));
  const q = await open(dir);
  await q.enqueue(ev(1), ['a', 'b']);
  await q.enqueue(ev(2), ['a']);
  assert.equal(q.depth, 3);
  const d1 = q.take(Date.now())!;
  assert.equal(d1.event.id, 'e1');
  q.complete(d1);
  const d2 = q.take(Date.now())!;
  q.retry(d2, Date.now() + 60_000);
  assert.equal(q.waiting, 1);
  // Let the fire-and-forget records reach the disk, then "crash" (no close).
  await new Promise((r) => setTimeout(r, 50));
  const q2 = await open(dir);
  assert.equal(q2.depth, 2);
  assert.equal(q2.waiting, 1);
  const next = q2.take(Date.now())!;
  assert.equal(next.event.id, 'e2');
  assert.equal(next.event.data, '{"n":2}');
  assert.equal(q2.take(Date.now()), undefined);
  const later = q2.take(Date.now() + 61_000)!;
  assert.equal(later.integrationId, 'b');
  assert.equal(later.attempt, 1);
  await q2.close();
  await q.close();
  await rm(dir, { recursive: true });
});

test('dead letters are filed, then leave the queue; the queue is bounded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wq-'));
  const filed: DeadLetter[] = [];
  const q = await open(dir, filed, 3);
  await q.enqueue(ev(1), ['a', 'b']);
  await assert.rejects(q.enqueue(ev(2), ['a', 'b']), /queue full/);
  const d = q.take(Date.now())!;
  q.dead(d, 'error status 500 from x');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(filed.length, 1);
  assert.equal(filed[0].reason, 'error status 500 from x');
  assert.equal(filed[0].attempts, 1);
  assert.equal(q.depth, 1);
  await q.close();
  const q2 = await open(dir, filed);
  assert.equal(q2.depth, 1);
  await q2.close();
  await rm(dir, { recursive: true });
});

test('compaction: a snapshot starts a new segment and old segments are deleted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wq-'));
  const q = await open(dir, [], 100_000, 4096);
  for (let i = 0; i < 200; i++) {
    await q.enqueue(ev(i), ['a']);
    const d = q.take(Date.now())!;
    if (i % 50 === 0) q.retry(d, Date.now() + 3_600_000);
    else q.complete(d);
  }
  await new Promise((r) => setTimeout(r, 100));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.wal'));
  assert.ok(files.length <= 2, `segments left: ${files.join(',')}`);
  assert.equal(q.depth, 4);
  await q.close();
  const q2 = await open(dir);
  assert.equal(q2.depth, 4);
  assert.equal(q2.waiting, 4);
  await q2.close();
  await rm(dir, { recursive: true });
});
