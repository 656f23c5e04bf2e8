import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommitLog, listSegments, readSegment, segmentPath } from './commit-log.ts';
import { encodeRecordHead, sealRecord, RECORD_WRITE } from './wal-record.ts';
import { crc32, crc32Js } from './crc32.ts';

function record(text: string): Buffer[] {
  const payload = Buffer.from(text);
  const head = encodeRecordHead({ kind: RECORD_WRITE, precision: 's', nowSec: 1.5e9, nowNsec: 7, header: { b: 'bucket' } }, payload.length);
  sealRecord(head, payload);
  return [head, payload];
}

test('CRC-32 matches the standard check value, and the portable version matches zlib in pieces', () => {
  const check = Buffer.from('123456789');
  assert.equal(crc32(check).toString(16), 'cbf43926');
  assert.equal(crc32Js(check).toString(16), 'cbf43926');
  const buf = Buffer.alloc(1000);
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919) & 255;
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    const whole = crc32(buf);
    assert.equal(crc32(buf, crc32(buf, 0, 0, cut), cut), whole);
    assert.equal(crc32Js(buf, crc32Js(buf, 0, 0, cut), cut), whole);
  }
});

test('appends are applied in order after they are durable; rotate() lands between them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wal-'));
  const applied: string[] = [];
  const log = await CommitLog.open<string>({ dir, segment: 1, apply: (e) => applied.push(...e), onRotate: (n) => applied.push(`rotate ${n}`) });
  const writes = [log.append(record('a'), 'a'), log.append(record('b'), 'b'), log.rotate(), log.append(record('c'), 'c')];
  await Promise.all(writes);
  assert.deepEqual(applied, ['a', 'b', 'rotate 1', 'c']);
  await log.close();
  assert.deepEqual(await listSegments(dir), [1, 2]);
  const seg1 = await readSegment(dir, 1);
  assert.deepEqual(seg1.records.map((r) => Buffer.from(r.payload).toString()), ['a', 'b']);
  assert.equal(seg1.records[0].precision, 's');
  assert.equal(seg1.records[0].nowNsec, 7);
  assert.deepEqual(seg1.records[0].header, { b: 'bucket' });
  await rm(dir, { recursive: true });
});

test('a torn or corrupted tail ends replay at the last whole record', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wal-'));
  const log = await CommitLog.open<string>({ dir, segment: 1, apply: () => undefined, onRotate: () => undefined });
  await log.append(record('first'), 'x');
  await log.append(record('second'), 'y');
  await log.close();
  const path = segmentPath(dir, 1);
  const full = await readFile(path);
  for (let cut = full.length - 1; cut > full.length - 40; cut -= 7) {
    await writeFile(path, full.subarray(0, cut));
    const r = await readSegment(dir, 1);
    assert.deepEqual(r.records.map((x) => Buffer.from(x.payload).toString()), ['first']);
    assert.ok(r.tornAt !== undefined);
  }
  const flipped = Buffer.from(full);
  flipped[flipped.length - 2] ^= 0xff;
  await writeFile(path, flipped);
  assert.deepEqual((await readSegment(dir, 1)).records.map((x) => Buffer.from(x.payload).toString()), ['first']);
  await rm(dir, { recursive: true });
});
