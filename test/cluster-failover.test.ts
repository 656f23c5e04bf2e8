// Several nodes for real (issue 16): three hookline nodes on a three-server
// NATS cluster with every stream and bucket at R3. Writers spread over the
// nodes; mid-run one hookline node and one NATS server are killed with
// SIGKILL. Every acknowledged point is then readable from each surviving
// node (the writes retry the 503s of the failover, as clients do), and the
// killed node, restarted with its NATS server, catches up to the same counts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BUCKET, ORG, spawnServer, startTestServer, tempDir, TOKEN, type ChildServer, type TestServer } from './helpers/server.ts';
import { startNatsCluster, type NatsCluster } from './helpers/nats-cluster.ts';

const ns = 'hlfailover';
let nats: NatsCluster;
let a: TestServer;
let b: TestServer;
let c: ChildServer;
const dirs: string[] = [];
let envOf: (first: number) => Record<string, string>;

before(async () => {
  nats = await startNatsCluster(3);
  const keyDir = await tempDir('hookline-key-');
  dirs.push(keyDir);
  for (let i = 0; i < 3; i++) dirs.push(await tempDir());
  envOf = (first) => ({ HOOKLINE_NATS_URL: nats.url(ns, first), HOOKLINE_NATS_REPLICAS: '3', HOOKLINE_SECRETS_KEY_FILE: join(keyDir, 'secrets.key'), HOOKLINE_READ_YOUR_WRITES_TIMEOUT: '30s' });
  a = await startTestServer(envOf(0), dirs[1]);
  b = await startTestServer(envOf(1), dirs[2]);
  c = await spawnServer(dirs[3], envOf(2));
});

after(async () => {
  await c?.kill('SIGKILL');
  await a?.stop();
  await b?.stop();
  await nats?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

type Node = { url: string };

function lines(id: string): string {
  const out: string[] = [];
  for (let i = 0; i < 100; i++) out.push(`ha,batch=${id} v=${i} ${1_700_000_000 + i}`);
  return out.join('\n');
}

/** Writes one batch, retrying a 503 (a NATS leader election) as a client would; the position when acknowledged. */
async function writeAcked(node: Node, id: string, giveUpAt: number): Promise<number | undefined> {
  for (;;) {
    try {
      const r = await fetch(`${node.url}/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: lines(id), signal: AbortSignal.timeout(20_000) });
      if (r.status === 204) return Number(r.headers.get('x-hookline-position'));
      await r.body?.cancel();
      if (r.status !== 503) throw new Error(`write ${id}: ${r.status}`);
    } catch (e) {
      // The node itself is gone (killed): this batch was never acknowledged.
      if (e instanceof TypeError || (e as Error).name === 'TimeoutError') return undefined;
      throw e;
    }
    if (Date.now() > giveUpAt) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function perBatch(node: Node, minPosition: number): Promise<Map<string, number>> {
  const q = 'SELECT count(v) FROM ha GROUP BY batch';
  const r = await fetch(`${node.url}/query?db=${BUCKET}&q=${encodeURIComponent(q)}`, { headers: { authorization: `Token ${TOKEN}`, 'x-hookline-min-position': String(minPosition) } });
  assert.equal(r.status, 200, await r.clone().text());
  const body = (await r.json()) as { results: Array<{ series?: Array<{ tags: { batch: string }; values: unknown[][] }> }> };
  return new Map((body.results[0].series ?? []).map((s) => [s.tags.batch, Number(s.values[0][1])]));
}

test('kill -9 of a hookline node and a NATS server mid-run loses no acknowledged point; the node catches up', { timeout: 240_000 }, async () => {
  const acked = new Map<string, number>();
  const giveUpAt = Date.now() + 120_000;
  let killed = false;
  const writer = async (name: string, node: () => Node, rounds: number) => {
    for (let k = 0; k < rounds; k++) {
      if (name === 'c' && killed) return;
      const id = `${name}${k}`;
      const pos = await writeAcked(node(), id, giveUpAt);
      if (pos !== undefined) acked.set(id, pos);
      if (name === 'a' && k === 6 && !killed) {
        killed = true;
        await Promise.all([c.kill('SIGKILL'), nats.servers[2].kill('SIGKILL')]);
      }
    }
  };
  await Promise.all([writer('a', () => a, 20), writer('b', () => b, 20), writer('c', () => c, 20)]);
  assert.ok(killed);
  assert.ok([...acked.keys()].filter((k) => k.startsWith('a')).length >= 15, `most of A's writes were acknowledged across the failover (${acked.size} in all)`);
  const last = Math.max(...acked.values());
  for (const [name, node] of [['a', a], ['b', b]] as const) {
    const seen = await perBatch(node, last);
    for (const id of acked.keys()) assert.equal(seen.get(id), 100, `batch ${id} on node ${name}`);
  }
  // The NATS server and the hookline node come back (as after a crash and a
  // restart by the service manager); the node catches up.
  await nats.servers[2].restart();
  c = await spawnServer(dirs[3], envOf(2));
  const onA = await perBatch(a, last);
  const onC = await perBatch(c, last);
  assert.deepEqual(new Map([...onC].sort()), new Map([...onA].sort()), 'the restarted node holds what the others hold');
});
