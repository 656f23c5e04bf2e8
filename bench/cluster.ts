// Issue 16: what several nodes cost on the write path. The bench:ingest
// dataset is written to 1 hookline alone, then to 1, 2 and 3 hookline nodes on
// a three-server NATS cluster (R3 write log), with the writers spread
// round-robin over the nodes. Prints points/s and per-request latency p50/p99,
// each as a ratio to the single node, and checks that every node ends up with
// every point.
//
//   node --import tsx bench/cluster.ts              # 2 M points
//   BENCH_POINTS=500000 npm run bench:cluster       # quicker
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { progress, runBench, tempDirs } from './lib/bench-process.ts';
import { generateDataset } from './lib/dataset.ts';
import { expectStatus, HOST, httpRequest, probe, type HttpResponse } from './lib/http-client.ts';
import { readOptions } from './lib/options.ts';
import { findExecutable, findFreePort, ServerProcess, waitUntilReady } from './lib/server-process.ts';

const TOKEN = 'bench-cluster-token-0123456789abcdef';
const REPO = new URL('..', import.meta.url).pathname;
// 6 writers unless told: a multiple of 1, 2 and 3, so every node takes the
// same share of the load in each run.
const options = readOptions({ ...process.env, BENCH_WRITERS: process.env.BENCH_WRITERS || '6' });
const WRITERS = options.writers;
const NATS_BIN = process.env.NATS_SERVER ?? findExecutable(['nats-server']) ?? '/usr/sbin/nats-server';

interface Run {
  name: string;
  pointsPerSecond: number;
  p50: number;
  p99: number;
  check: string;
  ok: boolean;
}

/** A fresh temp dir under BENCH_TMPDIR (the OS temp dir), removed however the run ends. */
function workDir(prefix: string): string {
  const dir = mkdtempSync(join(options.tmpRoot, prefix));
  tempDirs.add(dir);
  return dir;
}

/** Three nats-server with JetStream, routed to each other, on free ports. */
async function startNats(dir: string): Promise<{ servers: ServerProcess[]; url: string }> {
  const ports = [];
  for (let i = 0; i < 3; i++) ports.push({ client: await findFreePort(), route: await findFreePort() });
  const routes = ports.map((p) => `nats://${HOST}:${p.route}`).join(',');
  const servers = ports.map((p, i) => {
    mkdirSync(join(dir, `n${i}`));
    return new ServerProcess({
      name: `nats-n${i}`,
      command: NATS_BIN,
      args: ['-a', HOST, '-p', String(p.client), '-js', '-sd', join(dir, `n${i}`), '--server_name', `n${i}`, '--cluster_name', 'bench', '--cluster', `nats://${HOST}:${p.route}`, '--routes', routes],
      cwd: dir,
      env: process.env,
      logPath: join(dir, `n${i}.log`),
    });
  });
  const url = ports.map((p) => `${HOST}:${p.client}`).join(',');
  // Ready once an R3 stream can be made: before the meta leader is elected,
  // hookline's own stream creation would fail and the node would not start.
  await waitUntilReady(servers[0], async () => {
    try {
      const nc = await connect({ servers: url.split(','), timeout: 1000 });
      try {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.add({ name: 'probe', subjects: ['probe'], num_replicas: 3 });
        await jsm.streams.delete('probe');
        return true;
      } finally {
        await nc.close();
      }
    } catch {
      return false;
    }
  }, 60_000);
  return { servers, url };
}

async function startNode(dir: string, name: string, env: Record<string, string>): Promise<{ server: ServerProcess; port: number }> {
  const port = await findFreePort();
  mkdirSync(join(dir, 'data'));
  const server = new ServerProcess({
    name,
    command: process.execPath,
    args: ['bin/hookline.js', 'serve'],
    cwd: REPO,
    env: {
      ...process.env,
      HOOKLINE_HOST: HOST,
      HOOKLINE_HTTP_PORT: String(port),
      HOOKLINE_DATA_DIR: join(dir, 'data'),
      HOOKLINE_INIT_ORG: 'bench',
      HOOKLINE_INIT_BUCKET: 'bench',
      HOOKLINE_INIT_TOKEN: TOKEN,
      HOOKLINE_MQTT_PORT: '0',
      HOOKLINE_OPENTSDB_PORT: '0',
      // The count check waits for a lagging node instead of a 503 after 5 s.
      HOOKLINE_READ_YOUR_WRITES_TIMEOUT: '300s',
      ...env,
    },
    logPath: join(dir, 'server.log'),
  });
  await waitUntilReady(server, () => probe(port, '/health', 200), 60_000);
  return { server, port };
}

/** POST on a keep-alive agent; unlike httpRequest, keeps X-Hookline-Position. */
function post(port: number, path: string, body: Buffer, agent: http.Agent): Promise<HttpResponse & { position: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method: 'POST', path, agent, headers: { Authorization: `Token ${TOKEN}`, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), position: Number(res.headers['x-hookline-position'] ?? 0) }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error('write: no answer for 120 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Writer w posts to node w mod n; batches come in dataset order from one shared queue, as in bench:ingest. */
async function writeAll(ports: number[], batches: readonly Buffer[], isAlive: () => boolean): Promise<{ seconds: number; latencies: number[]; maxPosition: number }> {
  const latencies: number[] = [];
  let next = 0;
  let maxPosition = 0;
  const agents: http.Agent[] = [];
  const writer = async (w: number): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const port = ports[w % ports.length];
    while (next < batches.length) {
      if (!isAlive()) throw new Error('a server exited during the write phase');
      const i = next++;
      const t0 = performance.now();
      const res = await post(port, '/api/v2/write?org=bench&bucket=bench&precision=s', batches[i], agent);
      latencies.push(performance.now() - t0);
      expectStatus(res, 204, `write of batch ${i + 1}/${batches.length}`);
      maxPosition = Math.max(maxPosition, res.position);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  } finally {
    for (const a of agents) a.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, latencies, maxPosition };
}

async function count(port: number, minPosition: number): Promise<number> {
  const q = encodeURIComponent('SELECT count(*) AS n FROM data');
  const headers: Record<string, string> = { Authorization: `Token ${TOKEN}` };
  if (minPosition > 0) headers['X-Hookline-Min-Position'] = String(minPosition);
  const res = await httpRequest({ port, method: 'GET', path: `/api/v3/query_sql?db=bench&format=json&q=${q}`, headers, timeoutMs: 600_000 });
  expectStatus(res, 200, 'count query');
  return Number((JSON.parse(res.body) as { n: number | string }[])[0].n);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One measured run: `nodes` hookline nodes, on NATS when `clustered`. Everything it starts is stopped and removed. */
async function run(nodes: number, clustered: boolean, batches: readonly Buffer[]): Promise<Run> {
  const name = clustered ? `${nodes} node${nodes > 1 ? 's' : ''}, NATS R3` : '1 node, no NATS';
  progress(`${name}: starting`);
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  try {
    const env: Record<string, string> = {};
    if (clustered) {
      const natsDir = workDir('hookline-bench-nats-');
      dirs.push(natsDir);
      const nats = await startNats(natsDir);
      servers.push(...nats.servers);
      // Nodes share the key that encrypts secrets, as a real cluster must.
      Object.assign(env, { HOOKLINE_NATS_URL: `nats://${nats.url}/bench`, HOOKLINE_NATS_REPLICAS: '3', HOOKLINE_SECRETS_KEY_FILE: join(natsDir, 'secrets.key') });
    }
    const ports: number[] = [];
    // One after another: the first node creates the streams and the tenancy the others join.
    for (let i = 0; i < nodes; i++) {
      const dir = workDir(`hookline-bench-node${i}-`);
      dirs.push(dir);
      const node = await startNode(dir, `hookline-${i}`, env);
      servers.push(node.server);
      ports.push(node.port);
    }
    progress(`${name}: writing ${options.points} points with ${WRITERS} writers`);
    const w = await writeAll(ports, batches, () => servers.every((s) => s.isAlive()));
    const sorted = [...w.latencies].sort((a, b) => a - b);
    // Every node, not just the one that took a write, must hold every point:
    // the position makes a lagging node wait until it has applied them all.
    const checkStarted = performance.now();
    const counts = await Promise.all(ports.map((p) => count(p, w.maxPosition)));
    const ok = counts.every((n) => n === options.points);
    const check = `${counts.join(' / ')} points${clustered ? ` at position >= ${w.maxPosition}, all nodes after ${((performance.now() - checkStarted) / 1000).toFixed(1)} s` : ''}: ${ok ? 'OK' : 'MISMATCH'}`;
    progress(`${name}: ${Math.round(options.points / w.seconds)} points/s, check ${check}`);
    return { name, pointsPerSecond: options.points / w.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), check, ok };
  } finally {
    // Nodes before NATS, so they do not spend the teardown reconnecting.
    for (const s of servers.slice().reverse()) await s.stop();
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
      tempDirs.delete(d);
    }
  }
}

runBench('cluster', async () => {
  const dataset = generateDataset(options.points, options.batchLines);
  progress(`dataset: ${dataset.points} points in ${dataset.batches.length} batches, sha256 ${dataset.sha256}`);
  const runs = [await run(1, false, dataset.batches)];
  for (const nodes of [1, 2, 3]) runs.push(await run(nodes, true, dataset.batches));

  const base = runs[0];
  const k = (n: number) => `${(n / 1000).toFixed(1)} k`;
  const x = (n: number) => `x${n.toFixed(2)}`;
  console.log(`\n${options.points} points, ${options.batchLines} lines/request, ${WRITERS} writers, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log('| setup | points/s | p50 ms | p99 ms | points/s vs 1 node | p50 vs 1 node | p99 vs 1 node |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of runs) console.log(`| ${r.name} | ${k(r.pointsPerSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${x(r.pointsPerSecond / base.pointsPerSecond)} | ${x(r.p50 / base.p50)} | ${x(r.p99 / base.p99)} |`);
  console.log('\nSame points on every node:');
  for (const r of runs) console.log(`  ${r.name}: ${r.check}`);
  console.log(`BENCH_JSON ${JSON.stringify({ bench: 'cluster', points: options.points, batch: options.batchLines, writers: WRITERS, sha256: dataset.sha256, loadAverage: loadavg(), runs })}`);
  return runs.every((r) => r.ok) ? 0 : 1;
});
