import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from './disk-queue.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-dq-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const texts = (rs: Array<{ payload: Buffer }>) => rs.map((r) => r.payload.toString('utf8'));

test('records come back in order; ack moves on; the size counts what waits', () =>
  withDir(async (dir) => {
    const q = await DiskQueue.open(dir, 1 << 20);
    await Promise.all(['a', 'bb', 'ccc'].map((s) => q.enqueue(Buffer.from(s))));
    assert.equal(q.bytes, 3 * 16 + 6);
    const { records, end } = await q.peek(2);
    assert.deepEqual(texts(records), ['a', 'bb']);
    await q.ack(end);
    assert.equal(q.bytes, 16 + 3);
    const rest = await q.peek(100);
    assert.deepEqual(texts(rest.records), ['ccc']);
    await q.ack(rest.end);
    assert.equal(q.bytes, 0);
    assert.deepEqual((await q.peek(100)).records, []);
    await q.close();
  }));

test('a full queue refuses without storing anything', () =>
  withDir(async (dir) => {
    const q = await DiskQueue.open(dir, 100);
    assert.equal(await q.enqueue(Buffer.alloc(50)), true);
    assert.equal(await q.enqueue(Buffer.alloc(50)), false);
    assert.equal(q.bytes, 66);
    await q.close();
  }));

test('what was not acknowledged survives a reopen; a torn tail is cut off', () =>
  withDir(async (dir) => {
    const q = await DiskQueue.open(dir, 1 << 20);
    for (const s of ['one', 'two', 'three']) await q.enqueue(Buffer.from(s));
    const first = await q.peek(1);
    await q.ack(first.end);
    await q.close();
    const seg = (await readdir(dir)).find((f) => f.endsWith('.seg'))!;
    await appendFile(join(dir, seg), Buffer.from([9, 0, 0, 0, 1, 2])); // half a header: a crash mid-append
    const again = await DiskQueue.open(dir, 1 << 20);
    assert.deepEqual(texts((await again.peek(1000)).records), ['two', 'three']);
    await again.enqueue(Buffer.from('four'));
    assert.deepEqual(texts((await again.peek(1000)).records), ['two', 'three', 'four']);
    await again.close();
  }));

test('a corrupt record ends the segment there (its CRC no longer matches)', () =>
  withDir(async (dir) => {
    const q = await DiskQueue.open(dir, 1 << 20);
    for (const s of ['alpha', 'beta']) await q.enqueue(Buffer.from(s));
    await q.close();
    const seg = join(dir, (await readdir(dir)).find((f) => f.endsWith('.seg'))!);
    const buf = await readFile(seg);
    buf[buf.length - 1] ^= 0xff;
    await writeFile(seg, buf);
    const again = await DiskQueue.open(dir, 1 << 20);
    assert.deepEqual(texts((await again.peek(1000)).records), ['alpha']);
    await again.close();
  }));

test('segments wholly sent are deleted', () =>
  withDir(async (dir) => {
    const q = await DiskQueue.open(dir, 64 << 20);
    const big = Buffer.alloc(3 << 20, 120);
    for (let i = 0; i < 4; i++) await q.enqueue(big); // 12 MiB: two segments of 8 MiB
    assert.equal((await readdir(dir)).filter((f) => f.endsWith('.seg')).length, 2);
    for (;;) {
      const { records, end } = await q.peek(1);
      if (records.length === 0) break;
      await q.ack(end);
    }
    assert.equal(q.bytes, 0);
    assert.equal((await readdir(dir)).filter((f) => f.endsWith('.seg')).length, 1);
    await q.close();
  }));
