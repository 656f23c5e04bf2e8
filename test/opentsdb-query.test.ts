// /api/query and the endpoints Grafana's OpenTSDB datasource calls, on data
// written through /api/put: aggregators, downsampling with fill policies,
// rates with counter options, filters with and without group by, interpolation
// across series, ms resolution, and the shapes Grafana reads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, writeLp, type TestServer } from './helpers/server.ts';
import { basic } from './helpers/opentsdb.ts';

let s: TestServer;
const T0 = 1699999980; // a whole minute
const COUNTER = [0, 100, 200, 300, 50, 150, 250, 350, 450, 550, 650, 750];

before(async () => {
  s = await startTestServer();
  const points: unknown[] = [];
  for (let i = 0; i < 12; i++) {
    points.push({ metric: 'cpu.load', timestamp: T0 + 10 * i, value: i + 1, tags: { host: 'web01', dc: 'eu' } });
    points.push({ metric: 'cpu.load', timestamp: T0 + 10 * i + 5, value: 10 * (i + 1), tags: { host: 'web02', dc: 'eu' } });
    points.push({ metric: 'cpu.load', timestamp: T0 + 10 * i, value: COUNTER[i], tags: { host: 'db01', dc: 'us' } });
  }
  const r = await call('POST', '/api/put', points);
  assert.equal(r.status, 204);
  assert.equal((await writeLp(s, `weather,station=a temp=21.5,hum=40i ${T0}\nweather,station=a temp=22.5,hum=41i ${T0 + 60}`)).status, 204);
});
after(() => s.stop());

function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(s.url + path, { method, headers: { authorization: basic(s.token, 'metrics') }, body: body === undefined ? undefined : JSON.stringify(body) });
}

type Result = { metric: string; tags: Record<string, string>; aggregateTags: string[]; dps: Record<string, number | null | string>; query?: { index: number } };

async function query(q: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Result[]> {
  // Grafana's body: start/end in ms, globalAnnotations, msResolution.
  const r = await call('POST', '/api/query', { start: T0 * 1000, end: (T0 + 119) * 1000, queries: [q], msResolution: false, globalAnnotations: true, ...extra });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return (JSON.parse(text) as Result[]).sort((a, b) => JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags)));
}

const at = (offset: number) => String(T0 + offset);

test('Grafana default: avg aggregator, 1m-avg downsample, tags shortcut dc=* groups by dc', async () => {
  assert.deepEqual(await query({ metric: 'cpu.load', aggregator: 'sum', downsample: '1m-avg', tags: { dc: '*' } }), [
    { metric: 'cpu.load', tags: { dc: 'eu' }, aggregateTags: ['host'], dps: { [at(0)]: 3.5 + 35, [at(60)]: 9.5 + 95 } },
    { metric: 'cpu.load', tags: { dc: 'us', host: 'db01' }, aggregateTags: [], dps: { [at(0)]: 800 / 6, [at(60)]: 500 } },
  ]);
});

test('without a downsampler, series are interpolated linearly across each other (no extrapolation)', async () => {
  const [r] = await query({ metric: 'cpu.load', aggregator: 'sum', filters: [{ type: 'literal_or', tagk: 'host', filter: 'web01|web02', groupBy: false }] });
  assert.deepEqual([r.tags, r.aggregateTags], [{ dc: 'eu' }, ['host']]);
  assert.equal(Object.keys(r.dps).length, 24);
  assert.equal(r.dps[at(0)], 1); // web02 has not started yet
  assert.equal(r.dps[at(5)], 1.5 + 10); // web01 between 1 and 2
  assert.equal(r.dps[at(10)], 2 + 15); // web02 between 10 and 20
  assert.equal(r.dps[at(115)], 120); // web01 has ended
  const [z] = await query({ metric: 'cpu.load', aggregator: 'zimsum', filters: [{ type: 'literal_or', tagk: 'host', filter: 'web01|web02', groupBy: false }] });
  assert.equal(z.dps[at(5)], 10); // zimsum: a missing value counts as zero
});

test('rate with counter options: counterMax wraps, resetValue zeroes big jumps, dropResets drops them', async () => {
  const f = [{ type: 'literal_or', tagk: 'host', filter: 'db01', groupBy: false }];
  let [r] = await query({ metric: 'cpu.load', aggregator: 'sum', filters: f, rate: true, rateOptions: { counter: true, counterMax: 1000 } });
  assert.deepEqual(Object.values(r.dps).slice(0, 5), [10, 10, 10, 75, 10]);
  assert.equal(r.dps[at(0)], undefined);
  [r] = await query({ metric: 'cpu.load', aggregator: 'sum', filters: f, rate: true, rateOptions: { counter: true, counterMax: 1000, resetValue: 50 } });
  assert.equal(r.dps[at(40)], 0);
  [r] = await query({ metric: 'cpu.load', aggregator: 'sum', filters: f, rate: true, rateOptions: { counter: true, dropResets: true } });
  assert.equal(r.dps[at(40)], undefined);
  assert.equal(Object.keys(r.dps).length, 10);
  [r] = await query({ metric: 'cpu.load', aggregator: 'sum', filters: f, rate: true });
  assert.equal(r.dps[at(40)], -25); // not a counter: the drop is a negative rate
});

test('fill policies: zero, null, nan (quoted, as Jackson writes it); none leaves gaps out', async () => {
  const q = (fill: string) => query({ metric: 'cpu.load', aggregator: 'sum', downsample: `10s-max${fill}`, tags: { host: 'web01' } }, { start: (T0 - 30) * 1000, end: (T0 + 9) * 1000 });
  assert.deepEqual((await q('-zero'))[0].dps, { [at(-30)]: 0, [at(-20)]: 0, [at(-10)]: 0, [at(0)]: 1 });
  assert.deepEqual((await q('-null'))[0].dps, { [at(-30)]: null, [at(-20)]: null, [at(-10)]: null, [at(0)]: 1 });
  assert.deepEqual((await q('-nan'))[0].dps, { [at(-30)]: 'NaN', [at(-20)]: 'NaN', [at(-10)]: 'NaN', [at(0)]: 1 });
  assert.deepEqual((await q(''))[0].dps, { [at(0)]: 1 });
});

test('filters: wildcard, iliteral_or, regexp and not_literal_or, grouping by the filtered key', async () => {
  const hosts = async (filter: Record<string, unknown>) => (await query({ metric: 'cpu.load', aggregator: 'sum', downsample: '0all-count', filters: [{ tagk: 'host', groupBy: true, ...filter }] })).map((r) => r.tags.host).sort();
  assert.deepEqual(await hosts({ type: 'wildcard', filter: 'web*' }), ['web01', 'web02']);
  assert.deepEqual(await hosts({ type: 'iliteral_or', filter: 'WEB01|Db01' }), ['db01', 'web01']);
  assert.deepEqual(await hosts({ type: 'regexp', filter: '^db' }), ['db01']);
  assert.deepEqual(await hosts({ type: 'not_literal_or', filter: 'web01' }), ['db01', 'web02']);
  const [all] = await query({ metric: 'cpu.load', aggregator: 'sum', downsample: '0all-count', filters: [{ type: 'iwildcard', tagk: 'host', filter: 'WEB*', groupBy: false }] });
  assert.deepEqual([all.tags, all.aggregateTags, all.dps], [{ dc: 'eu' }, ['host'], { [at(0)]: 24 }]);
});

test('msResolution: dps keyed in ms; without it, points within a second are folded', async () => {
  const [r] = await query({ metric: 'cpu.load', aggregator: 'sum', tags: { host: 'web02' } }, { msResolution: true });
  assert.equal(r.dps[String((T0 + 5) * 1000)], 10);
});

test('GET /api/query with m= (rate options, downsampler, two brace groups) and ?arrays', async () => {
  let r = await call('GET', `/api/query?start=${T0}&end=${T0 + 119}&m=sum:1m-avg:cpu.load{dc=*}`);
  const a = ((await r.json()) as Result[]).sort((x, y) => x.tags.dc.localeCompare(y.tags.dc));
  assert.deepEqual(a.map((x) => x.dps[at(60)]), [104.5, 500]);
  r = await call('GET', `/api/query?start=${T0}&end=${T0 + 119}&m=sum:rate{counter,1000}:cpu.load{host=db01}`);
  assert.deepEqual(Object.values(((await r.json()) as Result[])[0].dps).slice(3, 4), [75]);
  r = await call('GET', `/api/query?start=${T0}&end=${T0 + 119}&m=sum:0all-count:cpu.load{dc=*}{host=web*}&arrays`);
  assert.deepEqual(await r.json(), [{ metric: 'cpu.load', tags: { dc: 'eu' }, aggregateTags: ['host'], dps: [[T0, 24]] }]);
});

test('showQuery echoes each sub query with its index (Grafana\'s OpenTSDB 2.3 mode maps results by it); none keeps series apart', async () => {
  const r = await call('POST', '/api/query', {
    start: T0 * 1000,
    end: (T0 + 119) * 1000,
    showQuery: true,
    queries: [{ metric: 'cpu.load', aggregator: 'sum', downsample: '0all-sum', tags: { dc: 'us' } }, { metric: 'cpu.load', aggregator: 'none', downsample: '0all-sum', tags: { dc: 'eu' } }],
  });
  const results = (await r.json()) as Result[];
  assert.deepEqual(results.map((x) => x.query?.index), [0, 1, 1]);
  assert.deepEqual(results.slice(1).map((x) => x.tags.host).sort(), ['web01', 'web02']);
});

test('line-protocol measurements are offered as <measurement>.<field>', async () => {
  const [r] = await query({ metric: 'weather.temp', aggregator: 'avg', downsample: '1m-avg' });
  assert.deepEqual(r.dps, { [at(0)]: 21.5, [at(60)]: 22.5 });
});

test('query errors as OpenTSDB words them: unknown metric, aggregator, missing start, bad downsampler', async () => {
  const bad = async (body: unknown) => {
    const r = await call('POST', '/api/query', body);
    assert.equal(r.status, 400);
    return (await r.json()).error.message;
  };
  assert.equal(await bad({ start: '1h-ago', queries: [{ metric: 'nope', aggregator: 'sum' }] }), "No such name for 'metrics': 'nope'");
  assert.equal(await bad({ start: '1h-ago', queries: [{ metric: 'cpu.load', aggregator: 'foo' }] }), 'No such aggregator: foo');
  assert.equal(await bad({ queries: [{ metric: 'cpu.load', aggregator: 'sum' }] }), 'Missing start time');
  assert.equal(await bad({ start: '1h-ago', queries: [{ metric: 'cpu.load', aggregator: 'sum', downsample: '1m-avg-sometimes' }] }), 'Unrecognized fill policy: sometimes');
  assert.equal(await bad({ start: '1h-ago', queries: [{ metric: 'cpu.load', aggregator: 'sum', filters: [{ type: 'wildcard', tagk: 'host', filter: 'web' }] }] }), 'Filter must contain an asterisk');
});

test('/api/suggest as Grafana calls it (metrics, tagk, tagv, max), including its "Test" button', async () => {
  const get = async (qs: string) => (await call('GET', `/api/suggest?${qs}`)).json();
  assert.deepEqual(await get('type=metrics&q=cpu&max=1000'), ['cpu.load']);
  assert.deepEqual(await get('type=metrics&q='), ['cpu.load', 'weather.hum', 'weather.temp']);
  assert.deepEqual(await get('type=tagk&q='), ['dc', 'host', 'station']);
  assert.deepEqual(await get('type=tagv&q=web&max=1000'), ['web01', 'web02']);
  assert.deepEqual(await get('type=tagv&q=&max=2'), ['a', 'db01']);
  const r = await call('GET', '/api/suggest?q=x');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.message, 'Missing parameter <code>type</code>');
  assert.deepEqual(await (await call('POST', '/api/suggest', { type: 'metrics', q: 'weather.t' })).json(), ['weather.temp']);
});

test('/api/search/lookup as Grafana\'s tag_names() and tag_values() use it', async () => {
  const r = await call('GET', `/api/search/lookup?m=${encodeURIComponent('cpu.load{host=*}')}&limit=3000`);
  const body = await r.json();
  assert.equal(body.type, 'LOOKUP');
  assert.equal(body.totalResults, 3);
  assert.deepEqual(body.results.map((x: { tags: Record<string, string> }) => x.tags.host).sort(), ['db01', 'web01', 'web02']);
  assert.match(body.results[0].tsuid, /^[0-9A-F]+$/);
  const eu = await (await call('GET', `/api/search/lookup?m=${encodeURIComponent('cpu.load{dc=eu}')}`)).json();
  assert.equal(eu.results.length, 2);
});

test('/api/aggregators, /api/config/filters and /api/version', async () => {
  const aggs = (await (await call('GET', '/api/aggregators')).json()) as string[];
  for (const a of ['sum', 'avg', 'min', 'max', 'dev', 'count', 'zimsum', 'mimmin', 'mimmax', 'first', 'last', 'none', 'p99', 'ep99r7']) assert.ok(aggs.includes(a), a);
  const filters = await (await call('GET', '/api/config/filters')).json();
  assert.deepEqual(Object.keys(filters).sort(), ['iliteral_or', 'iwildcard', 'literal_or', 'not_iliteral_or', 'not_key', 'not_literal_or', 'regexp', 'wildcard']);
  assert.match(filters.wildcard.examples, /host=wildcard\(web\*\)/);
  const v = await (await call('GET', '/api/version')).json();
  assert.equal(v.version, '2.4.0');
  assert.equal((await call('DELETE', '/api/version')).status, 405);
});
