// The explorer's pure result handling (web/src/lib): query answers to chart
// series and tables, alignment of series on one time axis, CSV, the SSE
// parser for Particle streams, pasted integration templates, token scopes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromInfluxQl, fromSqlRows, parseTime, QueryError, seriesLabel } from '../web/src/lib/result-series.ts';
import { tableFromInfluxQl, tableFromSqlRows } from '../web/src/lib/result-table.ts';
import { alignSeries } from '../web/src/lib/align.ts';
import { csvFileName, toCsv } from '../web/src/lib/csv.ts';
import { SseParser, toParticleEvent } from '../web/src/lib/sse-parse.ts';
import { declaredSecrets, formToTemplate, parseTemplate, templateToForm } from '../web/src/lib/integration-template.ts';
import { relativeTime } from '../web/src/lib/relative-time.ts';
import { formatExact, formatTick, needsMilliseconds, seriesColors } from '../web/src/lib/chart-format.ts';
import { allAccessPermissions, describePermissions, permissionsOf } from '../web/src/lib/token-scopes.ts';

describe('query answers', () => {
  const influx = {
    results: [
      {
        statement_id: 0,
        series: [
          { name: 'data', tags: { device: 'a' }, columns: ['time', 'count', 'temp'], values: [[1000, 1, 20.5], [2000, 2, null]] },
          { name: 'data', tags: { device: 'b' }, columns: ['time', 'count', 'temp'], values: [[1000, 10, true]] },
        ],
      },
    ],
  };

  test('InfluxQL: a series per field and tag set', () => {
    const r = fromInfluxQl(influx);
    assert.deepEqual(
      r.series.map((s) => [s.label, s.times, s.values]),
      [
        ['data.count {device=a}', [1000, 2000], [1, 2]],
        ['data.temp {device=a}', [1000, 2000], [20.5, null]],
        ['data.count {device=b}', [1000], [10]],
        ['data.temp {device=b}', [1000], [1]],
      ],
    );
    assert.equal(r.points, 3);
  });

  test('InfluxQL errors (per statement or whole) are thrown', () => {
    assert.throws(() => fromInfluxQl({ results: [{ statement_id: 0, error: 'measurement not found' }] }), QueryError);
    assert.throws(() => fromInfluxQl({ error: 'error parsing query' }), /error parsing query/);
  });

  test('SQL rows: text columns are series keys, numbers are values, missing cells skipped', () => {
    const rows = [
      { time: '2025-01-01T00:00:00', device: 'a', count: 1 },
      { time: '2025-01-01T00:00:10', device: 'a', count: 2, temp: 20 },
      { time: '2025-01-01T00:00:00', device: 'b', count: '3', ok: true },
    ];
    const r = fromSqlRows(rows, 'data');
    assert.deepEqual(
      r.series.map((s) => [s.label, s.times, s.values]),
      [
        ['data.count {device=a}', [Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 1, 0, 0, 10)], [1, 2]],
        ['data.temp {device=a}', [Date.UTC(2025, 0, 1, 0, 0, 10)], [20]],
        ['data.ok {device=a}', [], []],
        ['data.count {device=b}', [Date.UTC(2025, 0, 1)], [3]],
        ['data.temp {device=b}', [], []],
        ['data.ok {device=b}', [Date.UTC(2025, 0, 1)], [1]],
      ],
    );
  });

  test('SQL rows without time chart nothing, and say so', () => {
    const r = fromSqlRows([{ device: 'a' }]);
    assert.deepEqual(r.series, []);
    assert.match(r.warnings[0], /no `time` column/);
  });

  test('times: epoch numbers and zone-less ISO text (UTC)', () => {
    assert.equal(parseTime(5), 5);
    assert.equal(parseTime('2025-12-01T21:51:47'), Date.UTC(2025, 11, 1, 21, 51, 47));
    assert.equal(parseTime('2025-12-01 21:51:47.250'), Date.UTC(2025, 11, 1, 21, 51, 47, 250));
    assert.equal(parseTime('2025-12-01T21:51:47+01:00'), Date.UTC(2025, 11, 1, 20, 51, 47));
    assert.equal(parseTime('never'), undefined);
    assert.equal(seriesLabel('', 'v', {}), 'v');
    assert.equal(seriesLabel('m', 'v', { z: '1', a: '2' }), 'm.v {a=2, z=1}');
    // InfluxQL's GROUP BY answers "" for a missing tag; SQL has no value: one label for both.
    assert.equal(seriesLabel('universe', 'value', { device: '' }), 'universe.value');
  });

  test('tables: SQL rows with `time` first; InfluxQL series with name and tags', () => {
    assert.deepEqual(tableFromSqlRows([{ a: 1, time: 't1' }, { b: 2, time: 't2' }]), { columns: ['time', 'a', 'b'], rows: [['t1', 1, null], ['t2', null, 2]] });
    assert.deepEqual(tableFromInfluxQl(influx), {
      columns: ['name', 'device', 'time', 'count', 'temp'],
      rows: [
        ['data', 'a', 1000, 1, 20.5],
        ['data', 'a', 2000, 2, null],
        ['data', 'b', 1000, 10, true],
      ],
    });
  });
});

describe('one time axis', () => {
  const s = (times: number[], values: number[]) => ({ label: 'x', measurement: '', field: 'x', tags: {}, times, values });

  test('shared times are passed through (seconds)', () => {
    assert.deepEqual(alignSeries([s([1000, 2000], [1, 2]), s([1000, 2000], [3, 4])]), { xs: [1, 2], ys: [[1, 2], [3, 4]] });
  });

  test('different times are joined; gaps are undefined', () => {
    assert.deepEqual(alignSeries([s([3000, 1000], [3, 1]), s([2000], [2])]), {
      xs: [1, 2, 3],
      ys: [
        [1, undefined, 3],
        [undefined, 2, undefined],
      ],
    });
    assert.deepEqual(alignSeries([]), { xs: [], ys: [] });
  });

  test('100k points align quickly enough to redraw live', () => {
    const n = 100_000;
    const a = s(Array.from({ length: n }, (_, i) => i * 1000), Array.from({ length: n }, (_, i) => i));
    const b = s(Array.from({ length: n }, (_, i) => i * 1000 + 500), Array.from({ length: n }, (_, i) => -i));
    const r = alignSeries([a, b]);
    assert.equal(r.xs.length, 2 * n);
    assert.equal(r.ys[0][2], 1);
    assert.equal(r.ys[1][3], -1);
  });
});

describe('CSV', () => {
  test('RFC 4180 quoting, CRLF, epoch times as RFC 3339', () => {
    const csv = toCsv({ columns: ['time', 'name', 'v'], rows: [[0, 'a,b', 1], [1000, 'say "hi"', null], [2000, 'x\ny', { a: 1 }]] }, { epochTime: true });
    assert.equal(csv, 'time,name,v\r\n1970-01-01T00:00:00.000Z,"a,b",1\r\n1970-01-01T00:00:01.000Z,"say ""hi""",\r\n1970-01-01T00:00:02.000Z,"x\ny","{""a"":1}"\r\n');
    assert.equal(toCsv({ columns: ['time'], rows: [['2025-01-01T00:00:00']] }), 'time\r\n2025-01-01T00:00:00\r\n');
  });

  test('file names', () => {
    assert.equal(csvFileName('data', Date.UTC(2025, 0, 2, 3, 4, 5, 678)), 'data-2025-01-02T03-04-05Z.csv');
    assert.equal(csvFileName('a/b c', 0), 'a_b_c-1970-01-01T00-00-00Z.csv');
    assert.equal(csvFileName('', 0), 'query-1970-01-01T00-00-00Z.csv');
  });
});

describe('SSE parser', () => {
  test('Particle framing: :ok, named events, keep-alives', () => {
    const p = new SseParser();
    const out = p.push(':ok\n\nevent: temperature\ndata: {"data":"21.5","ttl":60,"published_at":"2025-01-01T00:00:00.000Z","coreid":"abc"}\n\n\n');
    assert.equal(p.comments, 1);
    assert.equal(out.length, 1);
    assert.deepEqual(toParticleEvent(out[0]), { name: 'temperature', data: '21.5', ttl: 60, published_at: '2025-01-01T00:00:00.000Z', coreid: 'abc' });
  });

  test('chunks split anywhere, CRLF and CR line ends, multi-line data, id', () => {
    const text = 'event: a\r\ndata: 1\r\ndata: 2\r\nid: 7\r\n\r\nevent: b\rdata: x\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.push('\n')];
      assert.deepEqual(got, [{ event: 'a', data: '1\n2', id: '7' }, { event: 'b', data: 'x', id: '7' }], `cut at ${cut}`);
    }
  });

  test('events without data are dropped; a field without colon is a name', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('event: x\n\ndata\n\n'), [{ event: 'message', data: '' }]);
    assert.equal(toParticleEvent({ event: 'x', data: 'not json' }), undefined);
    assert.equal(toParticleEvent({ event: 'x', data: '[1]' }), undefined);
  });
});

describe('integration templates', () => {
  const seed = `{
  "name": "InfluxDB", "event": "data", "disabled": false,
  "secrets": [{"name": "INFLUX_API_KEY"}, {"name": "INFLUX_ORG"}, {"name": "INFLUX_BUCKET"}],
  "template": "webhook", "url": "https://us-east-1-1.aws.cloud2.influxdata.com/api/v2/write", "requestType": "POST",
  "noDefaults": true, "rejectUnauthorized": true, "unchunked": false, "data_url_response_event": false,
  "headers": {"Content-Type": "text/plain; charset=utf-8", "Authorization": "Token {{INFLUX_API_KEY}}"},
  "query": {"orgID": "{{INFLUX_ORG}}", "bucket": "{{INFLUX_BUCKET}}", "precision": "s"},
  "body": "data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}"
}`;

  test('the seed’s template parses and survives the form unchanged', () => {
    const { template, error } = parseTemplate(seed);
    assert.equal(error, undefined);
    const form = templateToForm(template!);
    assert.equal(form.bodyKind, 'body');
    assert.deepEqual(form.secrets, ['INFLUX_API_KEY', 'INFLUX_ORG', 'INFLUX_BUCKET']);
    assert.deepEqual(form.query, [['orgID', '{{INFLUX_ORG}}'], ['bucket', '{{INFLUX_BUCKET}}'], ['precision', 's']]);
    const back = formToTemplate(form, template!);
    assert.deepEqual(back.template, template, 'fields the form does not show are kept');
    assert.deepEqual(declaredSecrets(template!), ['INFLUX_API_KEY', 'INFLUX_ORG', 'INFLUX_BUCKET']);
  });

  test('a syntax error names its line and column', () => {
    const { error } = parseTemplate('{\n  "event": "data",\n  "url": x\n}');
    assert.match(error!, /line 3, column \d+|Not valid JSON/);
  });

  test('required fields and shapes', () => {
    assert.match(parseTemplate('').error!, /Paste/);
    assert.match(parseTemplate('[1]').error!, /JSON object/);
    assert.match(parseTemplate('{"url":"http://x"}').error!, /"event"/);
    assert.match(parseTemplate('{"event":"x"}').error!, /"url"/);
    assert.equal(parseTemplate('{"eventName":"x","url":"http://x"}').error, undefined, 'eventName is an alias');
  });

  test('form edits: json objects, string json templates, removed fields', () => {
    const form = templateToForm({ event: 'e', url: 'http://x', deviceid: 'abc', json: { a: '{{{a}}}' } });
    assert.equal(form.deviceID, 'abc');
    assert.equal(form.bodyKind, 'json');
    const unquoted = formToTemplate({ ...form, bodyText: '{"t": {{t}}}' });
    assert.equal(unquoted.template.json, '{"t": {{t}}}', 'not JSON yet: a string template');
    assert.equal(unquoted.template.deviceid, undefined);
    assert.equal(unquoted.template.deviceID, 'abc');
    const none = formToTemplate({ ...form, bodyKind: 'default', headers: [['', 'ignored']], deviceID: '' });
    assert.equal(none.template.json, undefined);
    assert.equal(none.template.headers, undefined);
    assert.equal(none.template.deviceID, undefined);
    assert.match(formToTemplate({ ...form, bodyKind: 'form', bodyText: 'a=b' }).error!, /JSON object/);
  });
});

test('relative times', () => {
  assert.equal(relativeTime(0, 5_000), '5 s ago');
  assert.equal(relativeTime(0, 120_000), '2 min ago');
  assert.equal(relativeTime(0, 7_200_000), '2 h ago');
  assert.equal(relativeTime(0, 3 * 86_400_000), '3 d ago');
  assert.equal(relativeTime(10, 0), 'just now');
});

describe('token scopes', () => {
  const buckets = [{ id: 'b1', orgID: 'o', name: 'sensors', retentionRules: [] }];

  test('choices become InfluxDB 2 permissions', () => {
    assert.deepEqual(
      permissionsOf('o', { buckets: [{ id: '*', read: true, write: false }, { id: 'b1', read: false, write: true }], resources: [{ type: 'devices', read: true, write: true }] }),
      [
        { action: 'read', resource: { type: 'buckets', orgID: 'o' } },
        { action: 'write', resource: { type: 'buckets', orgID: 'o', id: 'b1' } },
        { action: 'read', resource: { type: 'devices', orgID: 'o' } },
        { action: 'write', resource: { type: 'devices', orgID: 'o' } },
      ],
    );
  });

  test('summaries', () => {
    assert.equal(describePermissions(allAccessPermissions('o'), buckets), 'All access');
    assert.equal(describePermissions(allAccessPermissions('o').map((p) => ({ ...p, resource: { type: p.resource.type } })), buckets), 'All access (every organization)');
    assert.equal(
      describePermissions(permissionsOf('o', { buckets: [{ id: '*', read: true, write: true }, { id: 'b1', read: false, write: true }], resources: [{ type: 'events', read: true, write: false }] }), buckets),
      'read/write all buckets; write bucket sensors; read events',
    );
  });
});

describe('chart formats', () => {
  test('colours follow labels, not order, and differ within a chart', () => {
    const a = seriesColors(['b', 'a', 'c']);
    const b = seriesColors(['c', 'a', 'b']);
    assert.deepEqual([...a].sort(), [...b].sort());
    assert.equal(new Set(a.values()).size, 3);
  });
  test('exact values, readable ticks, milliseconds only when needed', () => {
    assert.equal(formatExact(42.123456789), '42.123456789');
    assert.equal(formatExact(null), '—');
    assert.equal(formatTick(0.1 + 0.2), '0.3');
    assert.equal(formatTick(2_500_000), '2.5M');
    assert.equal(needsMilliseconds([1, 2, 3]), false);
    assert.equal(needsMilliseconds([1, 1.25]), true);
  });
});
