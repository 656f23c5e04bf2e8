// `hookline query` (bin/hookline.js query): InfluxQL and SQL against a running
// server, and against a data directory once no server holds it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startInfluxQlServer, type QlServer } from './helpers/influxql.ts';
import { BUCKET, TOKEN } from './helpers/server.ts';

let s: QlServer;
const root = new URL('..', import.meta.url).pathname;

/** Runs the CLI as a child process (asynchronously: the server under test lives in this process). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hookline.js', 'query', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  s = await startInfluxQlServer();
  const w = await fetch(`${s.url}/write?db=${BUCKET}&precision=s`, { method: 'POST', body: 'cpu,host=a v=1.5 1700000000\ncpu,host=b v=2 1700000060', headers: { authorization: `Token ${TOKEN}` } });
  assert.equal(w.status, 204);
});
after(() => s.stop());

test('InfluxQL against a running server: table, csv and json', async () => {
  const table = await cli(['--url', s.url, '--token', TOKEN, '--db', BUCKET, 'SELECT v FROM cpu GROUP BY host']);
  assert.equal(table.status, 0, table.stderr);
  assert.equal(
    table.stdout,
    'name: cpu\ntags: host=a\ntime                  v\n--------------------  ---\n2023-11-14T22:13:20Z  1.5\n\nname: cpu\ntags: host=b\ntime                  v\n--------------------  -\n2023-11-14T22:14:20Z  2\n\n',
  );
  const csv = await cli(['--url', s.url, '--token', TOKEN, '--db', BUCKET, '--format', 'csv', 'SELECT v FROM cpu']);
  assert.equal(csv.stdout, 'name,tags,time,v\ncpu,,1700000000000000000,1.5\ncpu,,1700000060000000000,2\n');
  const json = await cli(['--url', s.url, '--token', TOKEN, '--db', BUCKET, '--format', 'json', '--epoch', 's', 'SELECT max(v) FROM cpu']);
  assert.equal(json.stdout, '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","max"],"values":[[1700000060,2]]}]}]}\n');
  const bad = await cli(['--url', s.url, '--token', TOKEN, '--db', BUCKET, 'SELECT']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /error parsing query: found EOF/);
});

test('SQL against a running server', async () => {
  const r = await cli(['--url', s.url, '--token', TOKEN, '--db', BUCKET, '--sql', '--format', 'csv', 'SELECT host, v FROM cpu ORDER BY time']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'host,v\na,1.5\nb,2\n');
});

test('a data directory: refused while the server holds it, read once it stopped', async () => {
  const held = await cli(['--data-dir', s.dataDir, '--db', BUCKET, 'SHOW MEASUREMENTS']);
  assert.equal(held.status, 1);
  assert.match(held.stderr, /in use by a running hookline/);
  await s.stop({ keepData: true });
  const r = await cli(['--data-dir', s.dataDir, '--db', BUCKET, '--format', 'json', 'SELECT count(v) FROM cpu; SHOW MEASUREMENTS']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",2]]}]},{"statement_id":1,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]}]}\n');
  const sql = await cli(['--data-dir', s.dataDir, '--db', BUCKET, '--sql', '--format', 'csv', 'SELECT count(*) AS n FROM cpu']);
  assert.equal(sql.stdout, 'n\n2\n');
});
