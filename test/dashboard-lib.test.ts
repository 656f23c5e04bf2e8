// The dashboards' pure parts: Grafana-style variable substitution, time
// strings, the 24-column layout, thresholds and units (web/src/lib), and the
// server's document checks (src/dashboards).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, parseTimeString, varsFromQuery } from '../web/src/lib/dashboard-vars.ts';
import { collides, compact, nextFree, place } from '../web/src/lib/grid-layout.ts';
import { parseThresholds, thresholdColor, formatThresholds } from '../web/src/lib/dashboard-model.ts';
import { formatValue } from '../web/src/lib/units.ts';
import { validateDashboard } from '../src/dashboards/validate-dashboard.ts';
import { dashboardFromQuery, templateQuery } from '../web/src/lib/dashboard-from-query.ts';

const ctx = { values: { device: 'd2', quote: "it's" }, fromMs: 1_700_000_000_000, toMs: 1_700_003_600_000, intervalMs: 60_000 };

describe('variable substitution', () => {
  test('InfluxQL: $var, ${var}, [[var]], $timeFilter and $__interval as Grafana writes them', () => {
    const q = interpolate(`SELECT mean("temp") FROM "data" WHERE "device" = '$device' AND "x" = '\${device}' AND "y" = '[[device]]' AND $timeFilter GROUP BY time($__interval)`, { ...ctx, language: 'influxql' });
    assert.equal(q, `SELECT mean("temp") FROM "data" WHERE "device" = 'd2' AND "x" = 'd2' AND "y" = 'd2' AND time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(1m)`);
  });
  test('SQL: $__timeFilter as TIMESTAMP literals, $__interval as an INTERVAL text, quotes doubled', () => {
    const q = interpolate(`SELECT time_bucket(INTERVAL '$__interval', time) AS time, avg(temp) FROM data WHERE device = '$quote' AND $__timeFilter GROUP BY ALL`, { ...ctx, language: 'sql' });
    assert.equal(q, `SELECT time_bucket(INTERVAL '1 minutes', time) AS time, avg(temp) FROM data WHERE device = 'it''s' AND time >= TIMESTAMP '2023-11-14 22:13:20.000' AND time <= TIMESTAMP '2023-11-14 23:13:20.000' GROUP BY ALL`);
  });
  test("InfluxQL escapes a value's quote; unknown names and $__from/$__to", () => {
    assert.equal(interpolate(`'$quote' $nope $__from $__to $__interval_ms`, { ...ctx, language: 'influxql' }), `'it\\'s' $nope 1700000000000 1700003600000 60000`);
  });
  test('?var-device=d2 and time strings', () => {
    assert.deepEqual(varsFromQuery(new URLSearchParams('var-device=d2&from=now-1h&var-x=')), { device: 'd2', x: '' });
    const now = 1_700_000_000_000;
    assert.equal(parseTimeString('now', now), now);
    assert.equal(parseTimeString('now-6h', now), now - 6 * 3_600_000);
    assert.equal(parseTimeString('2023-11-14T22:13:20.000Z', now), now);
    assert.equal(parseTimeString('1700000000000', now), now);
    assert.equal(parseTimeString('yesterday', now), undefined);
  });
});

describe('24-column layout', () => {
  test('a moved panel keeps its place; the one it lands on moves down; gaps close upward', () => {
    const layout = [
      { x: 0, y: 0, w: 12, h: 8 },
      { x: 12, y: 0, w: 12, h: 8 },
      { x: 0, y: 8, w: 24, h: 4 },
    ];
    const next = place(layout, 1, { x: 0, y: 0, w: 12, h: 8 });
    assert.deepEqual(next[1], { x: 0, y: 0, w: 12, h: 8 });
    assert.deepEqual(next[0], { x: 0, y: 8, w: 12, h: 8 });
    assert.deepEqual(next[2], { x: 0, y: 16, w: 24, h: 4 });
    for (let i = 0; i < next.length; i++) for (let j = i + 1; j < next.length; j++) assert.ok(!collides(next[i], next[j]));
  });
  test('positions are clamped to the grid, and compaction lifts floating panels', () => {
    assert.deepEqual(place([{ x: 0, y: 0, w: 6, h: 4 }], 0, { x: 30, y: -3, w: 40, h: 0 })[0], { x: 0, y: 0, w: 24, h: 1 });
    assert.deepEqual(compact([{ x: 0, y: 10, w: 6, h: 4 }]), [{ x: 0, y: 0, w: 6, h: 4 }]);
    assert.deepEqual(nextFree([{ x: 0, y: 0, w: 12, h: 8 }], 12, 8), { x: 12, y: 0, w: 12, h: 8 });
    assert.deepEqual(nextFree([{ x: 0, y: 0, w: 24, h: 8 }], 12, 8), { x: 0, y: 8, w: 12, h: 8 });
  });
});

describe('thresholds and units', () => {
  test("the highest step at or below the value wins, as Grafana's absolute thresholds", () => {
    const steps = parseThresholds('80:orange, 90:red')!;
    assert.equal(formatThresholds(steps), '80:orange, 90:red');
    assert.equal(thresholdColor(steps, 10), '#73bf69');
    assert.equal(thresholdColor(steps, 85), '#ff9830');
    assert.equal(thresholdColor(steps, 90), '#f2495c');
    assert.equal(thresholdColor(steps, null), undefined);
  });
  test('units and decimals', () => {
    assert.equal(formatValue(21.456, 'celsius', 1), '21.5 °C');
    assert.equal(formatValue(55, 'percent'), '55%');
    assert.equal(formatValue(2048, 'bytes', 0), '2 KiB');
    assert.equal(formatValue(null, 'celsius'), '—');
    assert.equal(formatValue(1234567), '1.235M');
  });
});

describe('document checks', () => {
  test('unknown fields and Grafana panel types are kept; the field at fault is named', () => {
    const doc = { name: 'x', panels: [{ type: 'heatmap', gridPos: { x: 0, y: 0, w: 24, h: 3 }, grafanaOnly: { a: 1 } }], tags: ['a'] };
    assert.equal(validateDashboard(doc), doc);
    assert.throws(() => validateDashboard({ name: 'x', panels: [{ type: 'stat', gridPos: { x: 0, y: 0, w: 0, h: 3 } }] }), /panels\[0\]\.gridPos\.w/);
    assert.throws(() => validateDashboard({ name: 'x', variables: [{ name: 'a' }, { name: 'a' }] }), /variables\[1\]\.name/);
    assert.throws(() => validateDashboard({ name: 'x', time: { from: 'now-1h' } }), /^Error: time:|time: must be/);
  });
});

describe('a dashboard from an explorer query', () => {
  test("the builder's fixed range and auto window become $timeFilter and $__interval", () => {
    assert.equal(
      templateQuery(`SELECT mean("count") AS "count" FROM "data" WHERE time >= 1700000000000ms AND time <= 1700003600000ms AND "device" = 'a' GROUP BY time(10s), "device" fill(none)`, 'influxql', true),
      `SELECT mean("count") AS "count" FROM "data" WHERE $timeFilter AND "device" = 'a' GROUP BY time($__interval), "device" fill(none)`,
    );
    assert.equal(
      templateQuery(`SELECT time_bucket(INTERVAL '10 seconds', time) AS time, avg("count") AS "count" FROM "data" WHERE time >= TIMESTAMP '2023-11-14 22:13:20.000' AND time <= TIMESTAMP '2023-11-14 23:13:20.000' GROUP BY ALL ORDER BY time`, 'sql', false),
      `SELECT time_bucket(INTERVAL '10 seconds', time) AS time, avg("count") AS "count" FROM "data" WHERE $__timeFilter GROUP BY ALL ORDER BY time`,
    );
    const d = dashboardFromQuery({ name: 'data', language: 'influxql', bucket: 'b', query: 'SELECT 1', range: { kind: 'relative', lastMs: 3_600_000 }, autoWindow: true });
    assert.deepEqual(d.time, { from: 'now-1h', to: 'now' });
    assert.doesNotThrow(() => validateDashboard(d));
  });
});
