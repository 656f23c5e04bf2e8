// Which alert checks' levels a chart draws (web/src/lib/check-thresholds.ts,
// issues 13 and 14): threshold checks on the same bucket watching the same
// query, or for InfluxQL the same field of the same measurement.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkThresholds, influxSeriesOf, levelLines, sameSeries } from '../web/src/lib/check-thresholds.ts';
import { colorOf } from '../web/src/lib/dashboard-model.ts';

const check = (over: Record<string, unknown> = {}) => ({
  name: 'too hot',
  type: 'threshold',
  bucket: 'b1',
  language: 'influxql',
  query: 'SELECT last("temp") FROM "data" GROUP BY "device"',
  levels: { crit: '> 30', warn: '> 25' },
  ...over,
});
const panel = { bucket: 'b1', language: 'influxql', query: `SELECT mean("temp") FROM "data" WHERE $timeFilter GROUP BY time($__interval), "device" fill(none)` };

describe('check thresholds on charts', () => {
  test('levels as lines: one value or both ends of a range, with the region that fires', () => {
    assert.deepEqual(levelLines('> 30'), { values: [30], region: 'above' });
    assert.deepEqual(levelLines('>= -1.5'), { values: [-1.5], region: 'above' });
    assert.deepEqual(levelLines('< 2e1'), { values: [20], region: 'below' });
    assert.deepEqual(levelLines('<= 0'), { values: [0], region: 'below' });
    assert.deepEqual(levelLines('== 1'), { values: [1] });
    assert.deepEqual(levelLines('!= 0'), { values: [0] });
    assert.deepEqual(levelLines('outside 10..20'), { values: [10, 20], region: 'outside' });
    assert.deepEqual(levelLines('INSIDE -5 .. 5'), { values: [-5, 5], region: 'inside' });
    for (const bad of ['30', '> ', 'outside 20..10', 'between 1..2']) assert.equal(levelLines(bad), undefined, bad);
  });

  test('the measurement and the field inside the first expression\'s aggregate', () => {
    assert.deepEqual(influxSeriesOf('SELECT mean("temp") FROM "data"'), { measurement: 'data', field: 'temp' });
    assert.deepEqual(influxSeriesOf('select last(temp) as t, max("hum") from autogen.data where x = 1'), { measurement: 'data', field: 'temp' });
    assert.deepEqual(influxSeriesOf('SELECT derivative(mean("bytes"::float), 1s) FROM "b"."autogen"."net" GROUP BY time(1m)'), { measurement: 'net', field: 'bytes' });
    assert.deepEqual(influxSeriesOf('SELECT count(DISTINCT "a b") FROM "m x"'), { measurement: 'm x', field: 'a b' });
    assert.deepEqual(influxSeriesOf('SELECT "temp" FROM "data"'), { measurement: 'data', field: 'temp' });
    assert.equal(influxSeriesOf('SELECT * FROM "data"'), undefined);
    assert.equal(influxSeriesOf('SHOW MEASUREMENTS'), undefined);
  });

  test('last("temp") and mean("temp") on "data" watch the same series; other fields, measurements, buckets do not', () => {
    const c = { bucket: 'b1', language: 'influxql', query: 'SELECT last("temp") FROM "data"' };
    assert.equal(sameSeries(c, panel), true);
    assert.equal(sameSeries(c, { ...panel, query: 'SELECT mean("hum") FROM "data"' }), false);
    assert.equal(sameSeries(c, { ...panel, query: 'SELECT mean("temp") FROM "other"' }), false);
    assert.equal(sameSeries(c, { ...panel, bucket: 'b2' }), false);
    assert.equal(sameSeries(c, { ...panel, language: 'sql' }), false);
  });

  test('SQL matches on the same query text, whitespace aside', () => {
    const c = { bucket: 'b1', language: 'sql', query: 'SELECT device, temp\n  FROM data' };
    assert.equal(sameSeries(c, { bucket: 'b1', language: 'sql', query: '  SELECT device,   temp FROM data ' }), true);
    assert.equal(sameSeries(c, { bucket: 'b1', language: 'sql', query: 'SELECT device, hum FROM data' }), false);
  });

  test('lines of every level of every matching threshold check, coloured by level and named after the check', () => {
    const checks = [
      check(),
      check({ name: 'band', levels: { info: 'outside 0..20', crit: '< -10', nope: '> 1' } }),
      check({ name: 'other field', query: 'SELECT last("hum") FROM "data"' }),
      check({ name: 'other bucket', bucket: 'b2' }),
      { name: 'silent', type: 'deadman', bucket: 'b1', measurement: 'data' },
    ];
    const lines = checkThresholds(checks, panel);
    assert.deepEqual(lines, [
      { check: 'too hot', level: 'crit', color: colorOf('red'), text: '> 30', values: [30], region: 'above' },
      { check: 'too hot', level: 'warn', color: colorOf('orange'), text: '> 25', values: [25], region: 'above' },
      { check: 'band', level: 'crit', color: colorOf('red'), text: '< -10', values: [-10], region: 'below' },
      { check: 'band', level: 'info', color: colorOf('blue'), text: 'outside 0..20', values: [0, 20], region: 'outside' },
    ]);
    assert.deepEqual(checkThresholds(undefined, panel), []);
    assert.deepEqual(checkThresholds([check({ levels: { crit: 'bogus' } })], panel), []);
  });
});
