import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachRow } from '../ingest/written-rows.ts';
import { LastValueCache } from './last-value-cache.ts';

const now = { sec: 2_000_000, nsec: 0 };
const write = (lvc: LastValueCache, lp: string) => lvc.recordRows('B', (fn) => forEachRow({ format: 'line-protocol', body: Buffer.from(lp), precision: 's' }, now, fn), 2_000_000_000);

test('line protocol rows: newest value per field, lastSeen per series, tag order and escapes do not split a series', () => {
  const lvc = new LastValueCache();
  write(lvc, 'm,device=a,site=n temp=1,door="open" 100\nm,site=n,device=a temp=2 200\nm,device=a,site=n temp=0 50\nm,device=b\\ 2 ok=true,n=5i 100');
  const series = [...lvc.series('B', 'm')];
  assert.equal(series.length, 2);
  const a = series.find((s) => s.tags.device === 'a')!;
  assert.equal(a.lastSeen, 200_000);
  assert.deepEqual(a.fields.get('temp'), { value: 2, time: 200_000 });
  assert.deepEqual(a.fields.get('door'), { value: 'open', time: 100_000 });
  const b = series.find((s) => s.tags.device === 'b 2')!;
  assert.deepEqual([b.fields.get('ok')?.value, b.fields.get('n')?.value], [true, 5]);
});

test('a future timestamp is capped at the write time; the rebuild merges with newer data', () => {
  const lvc = new LastValueCache();
  lvc.recordRows('B', (fn) => forEachRow({ format: 'line-protocol', body: Buffer.from('m,device=a v=1 4000000000'), precision: 's' }, now, fn), 5_000);
  assert.equal([...lvc.series('B', 'm')][0].lastSeen, 5_000);
  lvc.load('B', 'm', { device: 'a' }, 'v', 0, 1_000);
  assert.equal([...lvc.series('B', 'm')][0].fields.get('v')?.value, 1);
});
