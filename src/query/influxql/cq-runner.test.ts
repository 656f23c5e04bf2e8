// When continuous queries run and what they cover, from the examples of
// https://docs.influxdata.com/influxdb/v1/query_language/continuous_queries/
// (times in minutes past an hour-aligned origin).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cqWindow } from './cq-runner.ts';
import { groupByInterval, groupByOffset } from './parse-cq.ts';
import { parseQuery } from './parse-statements.ts';

const MIN = 60_000_000_000n;
const T0 = 1_700_002_800_000_000_000n; // 2023-11-14T23:00:00Z, an hour boundary

function parsed(q: string) {
  const [s] = parseQuery(q);
  assert.equal(s.kind, 'create-cq');
  if (s.kind !== 'create-cq') throw new Error('unreachable');
  return { source: s.source, interval: groupByInterval(s.source), offset: groupByOffset(s.source), every: s.every, for: s.for };
}

const cases: Array<{ name: string; q: string; runs: Array<[at: number, window: [number, number] | null]> }> = [
  {
    name: 'basic: at each interval boundary, the interval that ended',
    q: 'CREATE CONTINUOUS QUERY c ON d BEGIN SELECT count(v) INTO x FROM m GROUP BY time(1h) END',
    runs: [[60, [0, 60]], [61, null], [119, null], [120, [60, 120]]],
  },
  {
    name: 'a late check covers the intervals it missed',
    q: 'CREATE CONTINUOUS QUERY c ON d BEGIN SELECT count(v) INTO x FROM m GROUP BY time(1h) END',
    runs: [[60, [0, 60]], [185, [60, 180]], [240, [180, 240]]],
  },
  {
    name: 'GROUP BY time(1h, 15m): boundaries and windows move by the offset',
    q: 'CREATE CONTINUOUS QUERY c ON d BEGIN SELECT count(v) INTO x FROM m GROUP BY time(1h, 15m) END',
    runs: [[60, [-45, 15]], [74, null], [75, [15, 75]], [80, null]],
  },
  {
    name: 'RESAMPLE EVERY 30m with time(1h): every 30 minutes, the current hour',
    q: 'CREATE CONTINUOUS QUERY c ON d RESAMPLE EVERY 30m BEGIN SELECT count(v) INTO x FROM m GROUP BY time(1h) END',
    runs: [[60, [0, 60]], [90, [60, 120]], [100, null], [120, [60, 120]]],
  },
  {
    name: 'RESAMPLE FOR 1h with time(30m): every 30 minutes, the last hour',
    q: 'CREATE CONTINUOUS QUERY c ON d RESAMPLE FOR 1h BEGIN SELECT count(v) INTO x FROM m GROUP BY time(30m) END',
    runs: [[60, [0, 60]], [90, [30, 90]]],
  },
  {
    name: 'RESAMPLE EVERY 1h with time(30m): every hour, the last hour',
    q: 'CREATE CONTINUOUS QUERY c ON d RESAMPLE EVERY 1h BEGIN SELECT count(v) INTO x FROM m GROUP BY time(30m) END',
    runs: [[60, [0, 60]], [90, null], [120, [60, 120]]],
  },
  {
    name: 'a raw query (no aggregate) never runs',
    q: 'CREATE CONTINUOUS QUERY c ON d BEGIN SELECT v INTO x FROM m END',
    runs: [[60, null]],
  },
];

for (const c of cases) {
  test(c.name, () => {
    const p = parsed(c.q);
    let last: bigint | undefined;
    for (const [at, want] of c.runs) {
      const w = cqWindow(p, T0 + BigInt(at) * MIN, last);
      assert.deepEqual(w ? [Number((w.start - T0) / MIN), Number((w.end - T0) / MIN)] : null, want, `at +${at}m`);
      if (w) last = w.boundary;
    }
  });
}
