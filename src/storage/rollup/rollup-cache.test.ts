import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coarsen, emptyField, HOUR_NS, MINUTE_NS, rollupBytes, type FileRollup } from './file-rollup.ts';
import { RollupCache } from './rollup-cache.ts';

/** One series, one field, a point per minute for `minutes` minutes from minute `from` (value = minute index). */
function minutes(from: number, count: number): FileRollup {
  const f = emptyField(0, 0, count);
  const bucket = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    bucket[i] = from + i;
    f.count[i] = 1;
    f.sum[i] = f.min[i] = f.max[i] = f.firstV[i] = f.lastV[i] = from + i;
    f.firstO[i] = f.lastO[i] = 5_000_000_000; // 5 s into the minute
  }
  return { level: MINUTE_NS, series: [['d0']], start: Int32Array.from([0, count]), bucket, fields: [f] };
}

describe('file rollups', () => {
  it('coarsen merges minutes into hours with offsets from the hour', () => {
    const h = coarsen(minutes(58, 4), HOUR_NS); // minutes 58, 59 | 60, 61
    assert.deepEqual([...h.bucket], [0, 1]);
    const f = h.fields[0];
    assert.deepEqual([...f.count], [2, 2]);
    assert.deepEqual([...f.sum], [58 + 59, 60 + 61]);
    assert.deepEqual([...f.min], [58, 60]);
    assert.deepEqual([...f.max], [59, 61]);
    assert.deepEqual([...f.firstV], [58, 60]);
    assert.deepEqual([...f.lastV], [59, 61]);
    assert.equal(f.firstO[0], 58 * MINUTE_NS + 5e9);
    assert.equal(f.lastO[1], 1 * MINUTE_NS + 5e9);
  });

  it('the cache builds once, shares a build in flight, and evicts the least recently used beyond its budget', async () => {
    const one = rollupBytes(minutes(0, 1000));
    const cache = new RollupCache(one * 2 + 1);
    let builds = 0;
    const build = (from: number) => async () => {
      builds++;
      return minutes(from, 1000);
    };
    const [a, b] = await Promise.all([cache.get('a', MINUTE_NS, build(0), 0), cache.get('a', MINUTE_NS, build(0), 0)]);
    assert.equal(a, b);
    assert.ok(a);
    assert.equal(builds, 1);
    await cache.get('b', MINUTE_NS, build(1), 0);
    await cache.get('a', MINUTE_NS, build(0), 0); // a is now the most recent
    await cache.get('c', MINUTE_NS, build(2), 0); // evicts b
    assert.equal(builds, 3);
    await cache.get('a', MINUTE_NS, build(0), 0);
    assert.equal(builds, 3, 'a stayed');
    await cache.get('b', MINUTE_NS, build(1), 0);
    assert.equal(builds, 4, 'b was evicted');
    assert.ok(cache.size <= cache.maxBytes);
  });

  it('an hour level is derived from the minutes, not scanned again', async () => {
    const cache = new RollupCache(1 << 30);
    let builds = 0;
    const h = (await cache.get('f', HOUR_NS, async () => (builds++, minutes(0, 180)), 0))!;
    assert.deepEqual([...h.bucket], [0, 1, 2]);
    await cache.get('f', MINUTE_NS, async () => (builds++, minutes(0, 180)), 0);
    assert.equal(builds, 1);
    assert.equal(cache.built, 1);
  });
});

describe('file rollups too large for the budget', () => {
  it('never builds the minutes of a file whose minute level would take over a quarter of the budget; its hours are scanned directly', async () => {
    const cache = new RollupCache(1000);
    const levels: number[] = [];
    const build = async (level: number) => {
      levels.push(level);
      return level === HOUR_NS ? coarsen(minutes(0, 120), HOUR_NS) : minutes(0, 120);
    };
    assert.equal(await cache.get('big', MINUTE_NS, build, 251), undefined);
    const h = await cache.get('big', HOUR_NS, build, 251);
    assert.deepEqual([...h!.bucket], [0, 1]);
    assert.deepEqual(levels, [HOUR_NS]);
  });
});
