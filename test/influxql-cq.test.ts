// Continuous queries on a real server: created over /query, listed as 1.x lists
// them, run by the server every time their interval closes, writing their
// SELECT ... INTO results; kept across a restart; gone with DROP. (Statement
// answers are checked against influxd 1.6 in test/influxql-influxd16.test.ts.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, ORG, startTestServer, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

async function q(text: string, db = 'plant'): Promise<{ results: Array<{ error?: string; series?: Array<{ name: string; columns: string[]; values: unknown[][] }> }> }> {
  const r = await api(s, `/query?db=${db}&epoch=s&q=${encodeURIComponent(text)}`, { method: 'POST' });
  assert.equal(r.status, 200);
  return (await r.json()) as never;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a continuous query downsamples each interval as it closes, into another policy', async () => {
  await q('CREATE DATABASE plant; CREATE RETENTION POLICY long ON plant DURATION 0s REPLICATION 1');
  const created = await q('CREATE CONTINUOUS QUERY per_sec ON plant BEGIN SELECT count(v) AS n, max(v) AS top INTO plant.long.:MEASUREMENT FROM /^line/ GROUP BY time(1s), machine END');
  assert.equal(created.results[0].error, undefined);
  const shown = await q('SHOW CONTINUOUS QUERIES');
  const plant = shown.results[0].series!.find((x) => x.name === 'plant')!;
  assert.deepEqual(plant.values, [['per_sec', 'CREATE CONTINUOUS QUERY per_sec ON plant BEGIN SELECT count(v) AS n, max(v) AS top INTO plant.long.:MEASUREMENT FROM plant.autogen./^line/ GROUP BY time(1s), machine END']]);

  // Points in the next few whole seconds, written ahead so each second's window is complete when it closes.
  const base = Math.ceil(Date.now() / 1000) + 2;
  const lines: string[] = [];
  for (let sec = 0; sec < 3; sec++) for (let i = 0; i < 4; i++) lines.push(`line1,machine=m${i % 2} v=${sec * 10 + i} ${(base + sec) * 1000 + i * 100}`);
  const w = await api(s, '/write?db=plant&precision=ms', { method: 'POST', body: lines.join('\n') });
  assert.equal(w.status, 204);

  const rows = await until('three downsampled seconds', async () => {
    const r = await q(`SELECT n, top FROM plant.long.line1 WHERE time >= ${base}s GROUP BY machine`);
    const series = r.results[0].series ?? [];
    const m0 = series.find((x) => (x as { tags?: Record<string, string> }).tags?.machine === 'm0');
    return m0 && m0.values.length >= 3 ? series : undefined;
  });
  const byMachine = Object.fromEntries(rows.map((x) => [(x as { tags?: Record<string, string> }).tags!.machine, x.values.slice(0, 3)]));
  assert.deepEqual(byMachine.m0, [
    [base, 2, 2],
    [base + 1, 2, 12],
    [base + 2, 2, 22],
  ]);
  assert.deepEqual(byMachine.m1, [
    [base, 2, 3],
    [base + 1, 2, 13],
    [base + 2, 2, 23],
  ]);
});

test('continuous queries survive a restart; DROP CONTINUOUS QUERY stops one; DROP DATABASE drops its queries', async () => {
  s = await s.restart();
  let shown = await q('SHOW CONTINUOUS QUERIES');
  assert.equal(shown.results[0].series!.find((x) => x.name === 'plant')!.values.length, 1);
  await q('DROP CONTINUOUS QUERY per_sec ON plant');
  shown = await q('SHOW CONTINUOUS QUERIES');
  assert.equal(shown.results[0].series!.find((x) => x.name === 'plant')!.values, undefined);
  // Nothing new is written once dropped.
  const count = async () => JSON.stringify((await q('SELECT count(n) FROM plant.long.line1')).results[0].series);
  const before = await count();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await count(), before);

  await q('CREATE CONTINUOUS QUERY again ON plant BEGIN SELECT mean(v) INTO means FROM line1 GROUP BY time(1m) END');
  await q('DROP DATABASE plant');
  await q('CREATE DATABASE plant');
  shown = await q('SHOW CONTINUOUS QUERIES');
  assert.equal(shown.results[0].series!.find((x) => x.name === 'plant')!.values, undefined);
});

test('creating a continuous query needs read on what it reads and write on its target', async () => {
  const created = await api(s, '/api/v2/authorizations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orgID: s.tenancy.orgByName(ORG)!.id, permissions: [{ action: 'read', resource: { type: 'buckets', orgID: s.tenancy.orgByName(ORG)!.id } }] }),
  });
  assert.equal(created.status, 201);
  const { token } = (await created.json()) as { token: string };
  const r = await fetch(`${s.url}/query?q=${encodeURIComponent('CREATE CONTINUOUS QUERY x ON plant BEGIN SELECT mean(v) INTO y FROM line1 GROUP BY time(1m) END')}`, { method: 'POST', headers: { authorization: `Token ${token}` } });
  assert.equal(r.status, 403);
  assert.match(((await r.json()) as { error: string }).error, /not authorized to execute statement 'CREATE CONTINUOUS QUERY x ON plant .*', requires WRITE on plant/);
});
