// OpenTSDB's series pipeline on small hand-computed series: filling,
// rates with counter options, cross-series aggregation with each
// interpolation, folding into seconds, grouping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregator } from './aggregators.ts';
import { aggregateGroup, fillBuckets, groupSeries, toRate, toSeconds, type Series } from './pipeline.ts';
import { parseDownsample } from './parse-query.ts';

const agg = (n: string) => aggregator(n)!;
const s = (ts: number[], values: number[], tags: Record<string, string> = {}): Series => ({ tags, ts, values });

test('fill: every bucket of the range, gaps as 0 or NaN', () => {
  const got = fillBuckets(s([20_000], [5]), parseDownsample('10s-sum-zero'), 5_000, 31_000);
  assert.deepEqual([got.ts, got.values], [[0, 10_000, 20_000, 30_000], [0, 0, 5, 0]]);
  assert.ok(Number.isNaN(fillBuckets(s([20_000], [5]), parseDownsample('10s-sum-nan'), 0, 10_000).values[0]));
});

test('rate: per second; counters wrap at counterMax, resetValue and dropResets', () => {
  const c = s([0, 10_000, 20_000, 30_000], [100, 200, 50, 150]);
  const base = { counter: false, counterMax: Number.MAX_SAFE_INTEGER, resetValue: 0, dropResets: false };
  assert.deepEqual(toRate(c, base).values, [10, -15, 10]);
  assert.deepEqual(toRate(c, { ...base, counter: true, counterMax: 250 }).values, [10, 10, 10]);
  assert.deepEqual(toRate(c, { ...base, counter: true, counterMax: 250, resetValue: 5 }).values, [10, 0, 10]);
  assert.deepEqual(toRate(c, { ...base, counter: true, dropResets: true }), { tags: {}, ts: [10_000, 30_000], values: [10, 10] });
});

test('aggregation across series: lerp inside a series only, zim counts zero, mimmin ignores, NaN gaps skipped', () => {
  const a = s([0, 20], [0, 20]);
  const b = s([10, 30], [100, 300]);
  assert.deepEqual(aggregateGroup([a, b], agg('sum')), { ts: [0, 10, 20, 30], values: [0, 110, 220, 300] });
  assert.deepEqual(aggregateGroup([a, b], agg('zimsum')).values, [0, 100, 20, 300]);
  assert.deepEqual(aggregateGroup([a, b], agg('mimmin')).values, [0, 100, 20, 300]);
  assert.deepEqual(aggregateGroup([a, b], agg('min')).values, [0, 10, 20, 300]);
  assert.deepEqual(aggregateGroup([a, b], agg('count')).values, [2, 2, 2, 2]);
  assert.deepEqual(aggregateGroup([s([0], [NaN]), s([0], [4])], agg('avg')).values, [4]);
  assert.deepEqual(aggregateGroup([s([0, 5], [1, 2]), s([0, 5], [3, 4]), s([0, 5], [5, 9])], agg('p50')).values, [3, 4]);
});

test('without ms resolution, points of one second are folded with the aggregator', () => {
  assert.deepEqual(toSeconds([1000, 1500, 2000], [1, 2, 3], agg('sum')), { ts: [1000, 2000], values: [3, 3] });
});

test('groups: shared tags stay, varying ones become aggregateTags; none keeps each series', () => {
  const series = [s([0], [1], { host: 'a', dc: 'eu' }), s([0], [2], { host: 'b', dc: 'eu' }), s([0], [3], { host: 'c', dc: 'us', rack: '1' })];
  assert.deepEqual(groupSeries(series, ['dc'], false).map((g) => [g.tags, g.aggregateTags, g.series.length]), [
    [{ dc: 'eu' }, ['host'], 2],
    [{ dc: 'us', host: 'c', rack: '1' }, [], 1],
  ]);
  assert.deepEqual(groupSeries(series, [], false)[0].aggregateTags, ['dc', 'host', 'rack']);
  assert.equal(groupSeries(series, [], true).length, 3);
});
