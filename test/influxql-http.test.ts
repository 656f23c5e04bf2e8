// /query as clients use it: the exact requests Grafana sends, node-influx's
// query(), forms and URL parameters, chunking, CSV, bound parameters, errors,
// the 1.x read-only warning, DDL over buckets; /api/v3/query_influxql.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InfluxDB as Influx1 } from 'influx';
import { groupClient, startInfluxQlServer, type GroupClient, type QlServer } from './helpers/influxql.ts';

let s: QlServer;
let c: GroupClient;
const T0 = 1_700_000_000_000; // ms

before(async () => {
  s = await startInfluxQlServer();
  c = await groupClient(s);
  const r = await c.query('CREATE DATABASE "site"', {}, 'POST');
  assert.equal(r.body, '{"results":[{"statement_id":0}]}\n');
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    lines.push(`m,tag=a value=${i} ${(T0 + i * 30_000) * 1e6}`);
    lines.push(`m,tag=b value=${i * 2} ${(T0 + i * 30_000) * 1e6}`);
  }
  lines.push(`cpu,host=server01,region=uswest value=1.5,n=3i,ok=true,s="x" ${T0 * 1e6}`);
  assert.equal((await c.write(lines.join('\n'), 'site')).status, 204);
});
after(() => s.stop());

test('Grafana: the time-series query with $timeFilter in ms, GROUP BY time(1m), "tag" fill(null), epoch=ms', async () => {
  const q = `SELECT mean("value") FROM "m" WHERE time >= ${T0}ms and time <= ${T0 + 179_999}ms GROUP BY time(1m), "tag" fill(null)`;
  const r = await c.query(q, { db: 'site', epoch: 'ms' });
  assert.equal(r.status, 200);
  assert.equal(
    r.body,
    JSON.stringify({
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'm', tags: { tag: 'a' }, columns: ['time', 'mean'], values: [[1699999980000, 0.5], [1700000040000, 2.5], [1700000100000, 4.5], [1700000160000, null]] },
            { name: 'm', tags: { tag: 'b' }, columns: ['time', 'mean'], values: [[1699999980000, 1], [1700000040000, 5], [1700000100000, 9], [1700000160000, null]] },
          ],
        },
      ],
    }) + '\n',
  );
});

test('Grafana: POST form body with epoch=ms in the URL, as the backend sends it', async () => {
  const body = new URLSearchParams({ q: `SELECT mean("value") FROM "autogen"."m" WHERE ("tag" = 'a') AND time >= ${T0}ms and time <= ${T0 + 59_999}ms GROUP BY time(30s) fill(none)` });
  const r = await fetch(`${s.url}/query?db=site&epoch=ms`, { method: 'POST', body, headers: { authorization: `Token ${c.token}`, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(await r.text(), '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","mean"],"values":[[1699999980000,0],[1700000010000,1]]}]}]}\n');
});

test('Grafana metadata: SHOW measurements, RETENTION POLICIES, TAG KEYS/VALUES, FIELD KEYS', async () => {
  assert.equal((await c.query('SHOW measurements', { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"],["m"]]}]}]}\n');
  assert.equal((await c.query('SHOW MEASUREMENTS WITH MEASUREMENT =~ /c.u/ LIMIT 100', { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]}]}\n');
  assert.equal((await c.query(`SHOW MEASUREMENTS WHERE "tag" = 'b'`, { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["m"]]}]}]}\n');
  assert.equal(
    (await c.query('SHOW RETENTION POLICIES on "site"', { db: 'site' })).body,
    '{"results":[{"statement_id":0,"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","168h0m0s",1,true]]}]}]}\n',
  );
  assert.equal((await c.query('SHOW TAG KEYS FROM "cpu"', { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]}]}]}\n');
  assert.equal((await c.query('SHOW TAG VALUES WITH KEY = "tag"', { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["key","value"],"values":[["tag","a"],["tag","b"]]}]}]}\n');
  assert.equal(
    (await c.query(`SHOW TAG VALUES FROM "cpu" WITH KEY IN ("host", "region") WHERE "host" =~ /server.*/`, { db: 'site' })).body,
    '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["key","value"],"values":[["host","server01"],["region","uswest"]]}]}]}\n',
  );
  assert.equal(
    (await c.query('SHOW FIELD KEYS FROM "cpu"', { db: 'site' })).body,
    '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["fieldKey","fieldType"],"values":[["n","integer"],["ok","boolean"],["s","string"],["value","float"]]}]}]}\n',
  );
  assert.equal((await c.query('SHOW SERIES FROM "cpu"', { db: 'site' })).body, '{"results":[{"statement_id":0,"series":[{"columns":["key"],"values":[["cpu,host=server01,region=uswest"]]}]}]}\n');
  assert.equal((await c.query('SHOW DATABASES')).body, '{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["site"]]}]}]}\n');
});

test('relative time ranges, RFC3339 strings, derivative of an aggregate (Grafana transformations)', async () => {
  const r = await c.query(`SELECT non_negative_derivative(max("value"), 1m) FROM "m" WHERE "tag" = 'a' AND time >= '2023-11-14T22:13:00Z' AND time <= '2023-11-14T22:15:59Z' GROUP BY time(1m)`, { db: 'site' });
  assert.equal(r.body, '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","non_negative_derivative"],"values":[["2023-11-14T22:14:00Z",2],["2023-11-14T22:15:00Z",2]]}]}]}\n');
  const empty = await c.query('SELECT "value" FROM "m" WHERE time > now() - 6h', { db: 'site' });
  assert.equal(empty.body, '{"results":[{"statement_id":0}]}\n');
});

test('parse errors: 400 {"error"} with X-InfluxDB-Error; missing q', async () => {
  const r = await fetch(`${s.url}/query?db=site&q=SELECT`, { headers: { authorization: `Token ${c.token}` } });
  assert.equal(r.status, 400);
  const msg = 'error parsing query: found EOF, expected identifier, string, number, bool at line 1, char 8';
  // handler.go writes the JSON with encoding/json's newline (checked against influxd 1.6).
  assert.equal(await r.text(), JSON.stringify({ error: msg }) + '\n');
  assert.equal(r.headers.get('x-influxdb-error'), msg);
  const m = await fetch(`${s.url}/query?db=site`, { headers: { authorization: `Token ${c.token}` } });
  assert.equal(m.status, 400);
  assert.deepEqual(await m.json(), { error: 'missing required parameter "q"' });
});

test('execution errors are 200 per statement; statements after a failure are "not executed"', async () => {
  assert.equal((await c.query('SELECT value FROM nodb.autogen.m')).body, '{"results":[{"statement_id":0,"error":"database not found: nodb"}]}\n');
  assert.equal(
    (await c.query('SELECT mean(value), value FROM m', { db: 'site' })).body,
    '{"results":[{"statement_id":0,"error":"mixing aggregate and non-aggregate queries is not supported"}]}\n',
  );
  assert.equal(
    (await c.query('SELECT count(value) FROM cpu; SELECT value FROM nodb..m; SELECT count(value) FROM cpu', { db: 'site' })).body,
    '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",1]]}]},{"statement_id":1,"error":"not executed"}]}\n',
  );
});

test('GET runs write statements with the read-only warning; POST does not warn', async () => {
  const r = await c.query('CREATE DATABASE scratch', {});
  assert.equal(r.body, `{"results":[{"statement_id":0,"messages":[{"level":"warning","text":"deprecated use of 'CREATE DATABASE scratch' in a read only context, please use a POST request instead"}]}]}\n`);
  assert.equal((await c.query('DROP DATABASE scratch', {}, 'POST')).body, '{"results":[{"statement_id":0}]}\n');
});

test('chunked responses, pretty, CSV, epoch units, bound parameters', async () => {
  const q = `SELECT value FROM m WHERE "tag" = 'a' AND time < ${T0 + 90_000}ms`;
  const chunked = await c.query(q, { db: 'site', chunked: 'true', chunk_size: '2', epoch: 's' });
  assert.equal(
    chunked.body,
    '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","value"],"values":[[1700000000,0],[1700000030,1]],"partial":true}],"partial":true}]}\n' +
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","value"],"values":[[1700000060,2]]}]}]}\n',
  );
  const pretty = await c.query('SHOW DATABASES', { pretty: 'true' });
  assert.equal(pretty.body, '{\n    "results": [\n        {\n            "statement_id": 0,\n            "series": [\n                {\n                    "name": "databases",\n                    "columns": [\n                        "name"\n                    ],\n                    "values": [\n                        [\n                            "site"\n                        ]\n                    ]\n                }\n            ]\n        }\n    ]\n}\n');
  const csv = await fetch(`${s.url}/query?${new URLSearchParams({ db: 'site', q: 'SELECT value, n FROM cpu GROUP BY host' })}`, { headers: { authorization: `Token ${c.token}`, accept: 'application/csv' } });
  assert.equal(await csv.text(), `name,tags,time,value,n\ncpu,host=server01,${T0 * 1e6},1.5,3\n`);
  const bound = await c.query('SELECT value FROM m WHERE "tag" = $t AND value > $v AND time < $end', { db: 'site', params: JSON.stringify({ t: 'b', v: 1, end: '2023-11-14T22:14:00Z' }) });
  assert.equal(bound.body, '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","value"],"values":[["2023-11-14T22:13:50Z",2]]}]}]}\n');
});

test('authentication: no token 401; u/p and Basic accepted', async () => {
  const r = await fetch(`${s.url}/query?q=SHOW+DATABASES`);
  assert.equal(r.status, 401);
  assert.deepEqual(await r.json(), { error: 'unable to parse authentication credentials' });
  const up = await fetch(`${s.url}/query?q=SHOW+DATABASES&u=me&p=${c.token}`);
  assert.equal(up.status, 200);
  const basic = await fetch(`${s.url}/query?q=SHOW+DATABASES`, { headers: { authorization: 'Basic ' + Buffer.from(`me:${c.token}`).toString('base64') } });
  assert.equal(basic.status, 200);
});

test('node-influx query() works unchanged', async () => {
  const host = new URL(s.url);
  const influx = new Influx1({ host: host.hostname, port: Number(host.port), database: 'site', username: 'me', password: c.token });
  const rows = await influx.query<{ time: Date; host: string; value: number }>(`SELECT value, host FROM cpu`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].value, 1.5);
  assert.equal(rows[0].host, 'server01');
  assert.equal(rows[0].time.getTime(), T0);
  const names = await influx.getMeasurements();
  assert.deepEqual(names, ['cpu', 'm']);
  assert.ok((await influx.getDatabaseNames()).includes('site'));
  await influx.createDatabase('nodeinflux');
  assert.ok((await influx.getDatabaseNames()).includes('nodeinflux'));
  await influx.dropDatabase('nodeinflux');
});

test('DDL: retention policies are buckets db/rp; DEFAULT moves writes and reads', async () => {
  const post = (q: string) => c.query(q, {}, 'POST');
  assert.equal((await post('CREATE DATABASE d1')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('CREATE DATABASE d1')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('CREATE RETENTION POLICY rp1 ON d1 DURATION 2h REPLICATION 1 DEFAULT')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('CREATE RETENTION POLICY rp2 ON d1 DURATION 30m REPLICATION 1')).body, '{"results":[{"statement_id":0,"error":"retention policy duration must be at least 1h0m0s"}]}\n');
  assert.equal((await post('CREATE RETENTION POLICY rp2 ON nodb DURATION 1h REPLICATION 1')).body, '{"results":[{"statement_id":0,"error":"database not found: nodb"}]}\n');
  assert.equal(
    (await c.query('SHOW RETENTION POLICIES ON d1')).body,
    '{"results":[{"statement_id":0,"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","168h0m0s",1,false],["rp1","2h0m0s","1h0m0s",1,true]]}]}]}\n',
  );
  assert.equal((await post('ALTER RETENTION POLICY rp1 ON d1 DURATION 3h DEFAULT')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('ALTER RETENTION POLICY autogen ON d1 SHARD DURATION 2h')).body, '{"results":[{"statement_id":0}]}\n');
  assert.match((await c.query('SHOW RETENTION POLICIES ON d1')).body, /\["autogen","0s","2h0m0s",1,false\]/);
  assert.equal((await post('ALTER RETENTION POLICY nope ON d1 DURATION 3h')).body, '{"results":[{"statement_id":0,"error":"retention policy not found: nope"}]}\n');
  assert.equal((await c.write(`w v=1 ${Date.now() * 1e6}`, 'd1')).status, 204);
  const rows = await c.query('SELECT count(v) FROM w', { db: 'd1' });
  assert.match(rows.body, /"count"\],"values":\[\["1970-01-01T00:00:00Z",1\]\]/);
  assert.equal((await c.query('SELECT count(v) FROM d1.autogen.w')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('DROP RETENTION POLICY rp1 ON d1')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await post('DROP DATABASE d1')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await c.query('SHOW RETENTION POLICIES ON d1')).body, '{"results":[{"statement_id":0,"error":"database not found: d1"}]}\n');
});

test('DELETE, DROP SERIES and DROP MEASUREMENT remove points', async () => {
  const post = (q: string) => c.query(q, { db: 'del' }, 'POST');
  await post('CREATE DATABASE del');
  assert.equal((await c.write('x,h=a v=1 1000000000\nx,h=a v=2 2000000000\nx,h=b v=3 3000000000\ny v=1 1000000000', 'del')).status, 204);
  assert.equal((await post(`DELETE FROM x WHERE time < 1500000000`)).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await c.query('SELECT v FROM x', { db: 'del', epoch: 's' })).body, '{"results":[{"statement_id":0,"series":[{"name":"x","columns":["time","v"],"values":[[2,2],[3,3]]}]}]}\n');
  assert.equal((await post(`DROP SERIES FROM x WHERE h = 'b'`)).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await c.query('SHOW SERIES', { db: 'del' })).body, '{"results":[{"statement_id":0,"series":[{"columns":["key"],"values":[["x,h=a"],["y"]]}]}]}\n');
  assert.equal((await post(`DROP SERIES WHERE time > 0`)).body, `{"results":[{"statement_id":0,"error":"DROP SERIES doesn't support time in WHERE clause"}]}\n`);
  assert.equal((await post('DROP MEASUREMENT y')).body, '{"results":[{"statement_id":0}]}\n');
  assert.equal((await c.query('SHOW MEASUREMENTS', { db: 'del' })).body, '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["x"]]}]}]}\n');
});

test('/api/v3/query_influxql: rows with iox::measurement in json, jsonl, csv and pretty; one statement only', async () => {
  const get = (q: string, format: string) =>
    fetch(`${s.url}/api/v3/query_influxql?${new URLSearchParams({ db: 'site', q, format })}`, { headers: { authorization: `Bearer ${c.token}` } });
  const json = await get('SELECT value, host FROM cpu', 'json');
  assert.equal(json.status, 200);
  assert.deepEqual(await json.json(), [{ 'iox::measurement': 'cpu', time: '2023-11-14T22:13:20', value: 1.5, host: 'server01' }]);
  const jsonl = await get('SHOW MEASUREMENTS', 'jsonl');
  assert.equal(await jsonl.text(), '{"iox::measurement":"measurements","name":"cpu"}\n{"iox::measurement":"measurements","name":"m"}\n');
  const fk = await get('SHOW FIELD KEYS FROM cpu', 'jsonl');
  assert.match(await fk.text(), /^\{"iox::measurement":"cpu","fieldKey":"n","fieldType":"integer"\}\n/);
  const grouped = await get(`SELECT max(value) FROM m WHERE time >= ${T0}ms AND time < ${T0 + 60_000}ms GROUP BY time(1m), "tag"`, 'csv');
  assert.equal(await grouped.text(), 'iox::measurement,time,tag,max\nm,2023-11-14T22:13:00,a,1\nm,2023-11-14T22:14:00,a,\nm,2023-11-14T22:13:00,b,2\nm,2023-11-14T22:14:00,b,\n');
  const pretty = await get('SHOW TAG KEYS FROM cpu', 'pretty');
  assert.match(await pretty.text(), /\| iox::measurement \| tagKey \|/);
  const two = await get('SHOW DATABASES; SHOW DATABASES', 'json');
  assert.equal(two.status, 400);
  assert.deepEqual(await two.json(), { error: 'must provide only one InfluxQl statement per query' });
  const bad = await get('SELEC', 'json');
  assert.equal(bad.status, 400);
});
