// The explorer's pure query logic (web/src/lib): the automatic window, time
// ranges, the InfluxQL and SQL it writes, and the state kept in the address.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { autoInterval, formatDuration, humanDuration, parseDuration, roundInterval, sqlInterval } from '../web/src/lib/interval.ts';
import { fromLocalInput, rangeFromParam, rangeToParam, resolveRange, toLocalInput } from '../web/src/lib/time-range.ts';
import { buildInfluxQl, groupFilters } from '../web/src/lib/build-influxql.ts';
import { buildSql } from '../web/src/lib/build-sql.ts';
import { emptySpec, isRunnable, type ExploreSpec } from '../web/src/lib/explore-spec.ts';
import { influxIdent, influxString, sqlIdent, sqlString, sqlTimestamp } from '../web/src/lib/quote.ts';
import { filterFromParam, stateFromQuery, stateToQuery, type ExploreState } from '../web/src/lib/explore-url.ts';

describe('auto interval (Grafana $__interval)', () => {
  test('rounds with Grafana’s table', () => {
    const cases: Array<[number, number]> = [
      [1, 10],
      [14, 10],
      [15, 20],
      [999, 1000],
      [1499, 1000],
      [1500, 2000],
      [8000, 10000],
      [12_499, 10_000],
      [12_500, 15_000],
      [40_000, 30_000],
      [89_999, 60_000],
      [3_000_000, 3_600_000],
      [100_000_000, 86_400_000],
      [700_000_000, 604_800_000],
      [5e9, 31_536_000_000],
    ];
    for (const [ms, nice] of cases) assert.equal(roundInterval(ms), nice, `${ms} ms`);
  });

  test('range / max data points, floored at the minimum interval', () => {
    const hour = 3_600_000;
    assert.equal(autoInterval({ fromMs: 0, toMs: hour, maxDataPoints: 1000 }), 5000); // 3.6 s -> 5 s
    assert.equal(autoInterval({ fromMs: 0, toMs: 24 * hour, maxDataPoints: 1000 }), 60_000); // 86.4 s -> 1 m
    assert.equal(autoInterval({ fromMs: 0, toMs: 7 * 24 * hour, maxDataPoints: 1000 }), 600_000); // 604.8 s -> 10 m
    assert.equal(autoInterval({ fromMs: 0, toMs: 5 * 60_000, maxDataPoints: 1000 }), 1000); // 0.3 s, floored at 1 s
    assert.equal(autoInterval({ fromMs: 0, toMs: 5 * 60_000, maxDataPoints: 1000, minIntervalMs: 10 }), 200); // 0.3 s -> 0.2 s
    assert.equal(autoInterval({ fromMs: 0, toMs: hour, maxDataPoints: 0 }), 3_600_000); // never divides by zero
  });

  test('durations', () => {
    assert.equal(formatDuration(10_000), '10s');
    assert.equal(formatDuration(90_000), '90s');
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(86_400_000), '1d');
    assert.equal(formatDuration(604_800_000), '1w');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(humanDuration(5_400_000), '1h 30m');
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(parseDuration(''), undefined);
    assert.equal(sqlInterval(10_000), '10 seconds');
    assert.equal(sqlInterval(300_000), '5 minutes');
    assert.equal(sqlInterval(86_400_000), '1 days');
    assert.equal(sqlInterval(500), '500 milliseconds');
  });
});

describe('time ranges', () => {
  test('relative ranges end now; absolute ones stay', () => {
    assert.deepEqual(resolveRange({ kind: 'relative', lastMs: 60_000 }, 1_000_000), { fromMs: 940_000, toMs: 1_000_000 });
    assert.deepEqual(resolveRange({ kind: 'absolute', fromMs: 1, toMs: 2 }, 1_000_000), { fromMs: 1, toMs: 2 });
  });

  test('round-trip through the address', () => {
    assert.deepEqual(rangeFromParam(rangeToParam({ kind: 'relative', lastMs: 3_600_000 })), { kind: 'relative', lastMs: 3_600_000 });
    const abs = { kind: 'absolute' as const, fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 0, 2) };
    assert.equal(rangeToParam(abs), '2025-01-01T00:00:00.000Z..2025-01-02T00:00:00.000Z');
    assert.deepEqual(rangeFromParam(rangeToParam(abs)), abs);
    assert.equal(rangeFromParam('2025-01-02T00:00:00Z..2025-01-01T00:00:00Z'), undefined, 'backwards');
    assert.equal(rangeFromParam('garbage'), undefined);
  });

  test('datetime-local inputs read and write local time', () => {
    const ms = new Date(2025, 5, 7, 8, 9).getTime();
    assert.equal(toLocalInput(ms), '2025-06-07T08:09');
    assert.equal(fromLocalInput('2025-06-07T08:09'), ms);
    assert.equal(fromLocalInput('nope'), undefined);
  });
});

const spec = (over: Partial<ExploreSpec> = {}): ExploreSpec => ({ ...emptySpec(), bucket: 'b', measurement: 'data', fields: ['count'], ...over });
const w = { fromMs: 1_700_000_000_000, toMs: 1_700_003_600_000, intervalMs: 10_000 };

describe('InfluxQL', () => {
  test('the query Grafana would send', () => {
    assert.equal(
      buildInfluxQl(spec({ groupBy: ['device'] }), w),
      'SELECT mean("count") AS "count" FROM "data" WHERE time >= 1700000000000ms AND time <= 1700003600000ms GROUP BY time(10s), "device" fill(none)',
    );
  });

  test('raw points, several fields, filters', () => {
    const q = buildInfluxQl(
      spec({
        aggregate: 'none',
        fields: ['count', 'temp'],
        filters: [
          { key: 'device', op: '=', value: 'a' },
          { key: 'device', op: '=', value: "o'b" },
          { key: 'room', op: '!=', value: 'attic' },
          { key: 'room', op: '!=', value: 'cellar' },
        ],
      }),
      w,
    );
    assert.equal(
      q,
      `SELECT "count", "temp" FROM "data" WHERE time >= 1700000000000ms AND time <= 1700003600000ms AND ("device" = 'a' OR "device" = 'o\\'b') AND "room" != 'attic' AND "room" != 'cellar' LIMIT 200000`,
    );
  });

  test('every name and value is quoted', () => {
    assert.equal(influxIdent('we"ird\\name'), '"we\\"ird\\\\name"');
    assert.equal(influxString("it's \\ here"), "'it\\'s \\\\ here'");
    const q = buildInfluxQl(spec({ measurement: 'cpu "load"', fields: ['user time'], aggregate: 'max' }), w);
    assert.ok(q.startsWith('SELECT max("user time") AS "user time" FROM "cpu \\"load\\"" WHERE'));
  });

  test('filters without a key are ignored; the same value once', () => {
    assert.deepEqual(
      groupFilters([
        { key: '', op: '=', value: 'x' },
        { key: 'd', op: '=', value: 'v' },
        { key: 'd', op: '=', value: 'v' },
      ]),
      [{ key: 'd', op: '=', values: ['v'] }],
    );
  });
});

describe('SQL', () => {
  test('windows with time_bucket, one column per tag and field', () => {
    assert.equal(
      buildSql(spec({ groupBy: ['device'] }), w),
      `SELECT time_bucket(INTERVAL '10 seconds', time) AS time, "device", avg("count") AS "count" FROM "data" WHERE time >= TIMESTAMP '2023-11-14 22:13:20.000' AND time <= TIMESTAMP '2023-11-14 23:13:20.000' GROUP BY ALL ORDER BY time`,
    );
  });

  test('aggregates map to DuckDB functions', () => {
    const sel = (aggregate: ExploreSpec['aggregate']) => buildSql(spec({ aggregate }), w).split(' FROM ')[0];
    assert.match(sel('first'), /first\("count" ORDER BY time\)/);
    assert.match(sel('last'), /last\("count" ORDER BY time\)/);
    assert.match(sel('spread'), /max\("count"\) - min\("count"\)/);
    assert.match(sel('stddev'), /stddev_samp\("count"\)/);
    assert.match(sel('median'), /median\("count"\)/);
  });

  test('raw points and filters', () => {
    assert.equal(
      buildSql(spec({ aggregate: 'none', filters: [{ key: 'device', op: '=', value: 'a' }, { key: 'device', op: '=', value: 'b' }, { key: 'room', op: '!=', value: "o'clock" }] }), w),
      `SELECT time, "count" FROM "data" WHERE time >= TIMESTAMP '2023-11-14 22:13:20.000' AND time <= TIMESTAMP '2023-11-14 23:13:20.000' AND "device" IN ('a', 'b') AND "room" <> 'o''clock' ORDER BY time LIMIT 200000`,
    );
    assert.equal(sqlIdent('a"b'), '"a""b"');
    assert.equal(sqlString("a'b"), "'a''b'");
    assert.equal(sqlTimestamp(0), "TIMESTAMP '1970-01-01 00:00:00.000'");
  });

  test('a spec needs a bucket, a measurement and a field', () => {
    assert.equal(isRunnable(spec()), true);
    assert.equal(isRunnable(spec({ fields: [] })), false);
    assert.equal(isRunnable(spec({ measurement: '' })), false);
  });
});

describe('state in the address', () => {
  test('round-trips', () => {
    const s: ExploreState = {
      spec: spec({ groupBy: ['device', 'room'], filters: [{ key: 'room', op: '!=', value: 'a=b' }], aggregate: 'max', window: 60_000, range: { kind: 'relative', lastMs: 6 * 3_600_000 } }),
      language: 'sql',
      customQuery: 'SELECT 1',
      view: 'table',
      refreshMs: 10_000,
    };
    assert.deepEqual(stateFromQuery(stateToQuery(s)), s);
  });

  test('defaults for an empty or damaged address', () => {
    const s = stateFromQuery('agg=bogus&window=soon&range=nope&lang=cobol&refresh=x&where=novalue');
    assert.equal(s.spec.aggregate, 'mean');
    assert.equal(s.spec.window, 'auto');
    assert.deepEqual(s.spec.range, { kind: 'relative', lastMs: 900_000 });
    assert.equal(s.language, undefined);
    assert.equal(s.refreshMs, 0);
    assert.deepEqual(s.spec.filters, []);
  });

  test('a filter value may hold = and !=', () => {
    assert.deepEqual(filterFromParam('k=v=w'), { key: 'k', op: '=', value: 'v=w' });
    assert.deepEqual(filterFromParam('k!=a!=b'), { key: 'k', op: '!=', value: 'a!=b' });
    assert.deepEqual(filterFromParam('k='), { key: 'k', op: '=', value: '' });
  });
});
