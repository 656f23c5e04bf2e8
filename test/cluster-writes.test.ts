// Writes through the cluster's write log (issue 16): three hookline nodes
// (two in this process, one a child process) on one NATS JetStream server
// (127.0.0.1:4222), each with its own data directory. Every point written
// through any node is readable from every node; a node killed with SIGKILL
// catches up from where it stopped; a body larger than NATS' max_payload is
// split, not refused; read-your-writes through X-Hookline-Position.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dropNatsCluster, requireNats } from './helpers/nats.ts';
import { BUCKET, ORG, spawnServer, startTestServer, tempDir, TOKEN, type ChildServer, type TestServer } from './helpers/server.ts';

const ns = `hltest_${randomBytes(4).toString('hex')}`;
let a: TestServer;
let b: TestServer;
let c: ChildServer;
let env: Record<string, string>;
const dirs: string[] = [];

before(async () => {
  await requireNats();
  const keyDir = await tempDir('hookline-key-');
  env = { HOOKLINE_NATS_URL: `nats://127.0.0.1:4222/${ns}`, HOOKLINE_SECRETS_KEY_FILE: join(keyDir, 'secrets.key'), HOOKLINE_READ_YOUR_WRITES_TIMEOUT: '1s' };
  dirs.push(keyDir);
  for (let i = 0; i < 3; i++) dirs.push(await tempDir());
  a = await startTestServer(env, dirs[1]);
  b = await startTestServer(env, dirs[2]);
  c = await spawnServer(dirs[3], env);
});

after(async () => {
  await c?.kill('SIGKILL');
  await a?.stop();
  await b?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  await dropNatsCluster(ns);
});

type Node = { url: string };

async function write(node: Node, lines: string): Promise<number> {
  const r = await fetch(`${node.url}/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: lines });
  assert.equal(r.status, 204, await r.text());
  const pos = Number(r.headers.get('x-hookline-position'));
  assert.ok(pos > 0, 'a write through a cluster node answers its write-log position');
  return pos;
}

async function count(node: Node, measurement: string, minPosition: number): Promise<number> {
  const r = await fetch(`${node.url}/query?db=${BUCKET}&q=${encodeURIComponent(`SELECT count(v) FROM "${measurement}"`)}`, { headers: { authorization: `Token ${TOKEN}`, 'x-hookline-min-position': String(minPosition) } });
  assert.equal(r.status, 200, await r.clone().text());
  const body = (await r.json()) as { results: Array<{ series?: Array<{ values: unknown[][] }> }> };
  return Number(body.results[0].series?.[0].values[0][1] ?? 0);
}

function batch(measurement: string, node: string, from: number, n: number): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(`${measurement},node=${node},k=${i % 7} v=${i} ${1_700_000_000 + i}`);
  return out.join('\n');
}

test('points written through any node are read through every node, and a SIGKILLed node catches up', async () => {
  const nodes: Array<[string, Node]> = [['a', a], ['b', b], ['c', c]];
  let last = 0;
  // Writers spread over the nodes, concurrently.
  const positions = await Promise.all(nodes.flatMap(([name, n]) => [0, 1, 2, 3].map((k) => write(n, batch('rr', name, k * 100, 100)))));
  last = Math.max(...positions);
  for (const [, n] of nodes) assert.equal(await count(n, 'rr', last), 1200);

  await c.kill('SIGKILL');
  for (let k = 4; k < 8; k++) last = Math.max(last, await write(a, batch('rr', 'a', k * 100, 100)), await write(b, batch('rr', 'b', k * 100, 100)));
  assert.equal(await count(a, 'rr', last), 2000);
  c = await spawnServer(dirs[3], env);
  assert.equal(await count(c, 'rr', last), 2000, 'the restarted node applied what it missed');
});

test('a body larger than the NATS maximum message size is split and written whole', async () => {
  const lines = batch('big', 'a', 0, 120_000);
  assert.ok(Buffer.byteLength(lines) > 2 * 1024 * 1024);
  const pos = await write(a, lines);
  assert.equal(await count(b, 'big', pos), 120_000);
  assert.equal(await count(c, 'big', pos), 120_000);
});

test('a line that does not parse is refused by the node that took the write, as alone, and nothing of it is anywhere', async () => {
  const r = await fetch(`${a.url}/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: 'bad v=1 1\nbad v= 2' });
  assert.equal(r.status, 400);
  const pos = await write(a, 'marker v=1 1');
  assert.equal(await count(b, 'bad', pos), 0);
});

test('X-Hookline-Min-Position beyond what was written waits, then answers 503 HL_NOT_CAUGHT_UP', async () => {
  const r = await fetch(`${b.url}/query?db=${BUCKET}&q=${encodeURIComponent('SHOW MEASUREMENTS')}`, { headers: { authorization: `Token ${TOKEN}`, 'x-hookline-min-position': '999999999' } });
  assert.equal(r.status, 503);
  assert.match(await r.text(), /not yet applied/);
  const bad = await fetch(`${b.url}/query?db=${BUCKET}&q=${encodeURIComponent('SHOW MEASUREMENTS')}`, { headers: { authorization: `Token ${TOKEN}`, 'x-hookline-min-position': 'soon' } });
  assert.equal(bad.status, 400);
});

test('InfluxQL DELETE and DROP MEASUREMENT through one node reach every node (they go through the write log too)', async () => {
  let pos = await write(a, batch('dd', 'a', 0, 70));
  for (const n of [a, b, c]) assert.equal(await count(n, 'dd', pos), 70);
  const q = async (node: Node, text: string) => {
    const r = await fetch(`${node.url}/query?db=${BUCKET}&q=${encodeURIComponent(text)}`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` } });
    assert.equal(r.status, 200, await r.clone().text());
    assert.doesNotMatch(await r.text(), /"error"/);
  };
  // k runs 0..6: k = '3' holds 10 points, as does k < '1' (k = '0').
  await q(a, `DELETE FROM "dd" WHERE "k" = '3' OR "k" < '1'`);
  // The log is ordered: a write after the delete has a later position.
  pos = await write(a, 'marker v=2 2');
  for (const n of [a, b, c]) assert.equal(await count(n, 'dd', pos), 50);
  await q(b, 'DROP MEASUREMENT "dd"');
  pos = await write(b, 'marker v=3 3');
  for (const n of [a, b, c]) assert.equal(await count(n, 'dd', pos), 0);
});

test('device state on every node follows writes made through any node (the write log feeds the last-value cache)', async () => {
  const pos = await write(a, `climate,device=cl-7 temp=21.5 ${Math.floor(Date.now() / 1000)}`);
  for (const node of [b, c]) {
    const r = await fetch(`${node.url}/api/hookline/devices/cl-7/state`, { headers: { authorization: `Token ${TOKEN}`, 'x-hookline-min-position': String(pos) } });
    assert.equal(r.status, 200, await r.clone().text());
    assert.match(await r.text(), /21\.5/);
  }
});
