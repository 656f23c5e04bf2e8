// What issue 16's single-node parts cost, on this machine (docs/backup.md,
// /api/v2/replications): one fixed dataset (bench/lib/dataset.ts) is
//   1. written to hub A (2 writers): the baseline ingest rate;
//   2. backed up with `hookline backup` while A is idle: time, size, MiB/s;
//   3. backed up again while the dataset, a million seconds later, is written
//      to A: the backup's time under load and the write rate meanwhile;
//   4. restored with `hookline restore`: time;
//   5. written to a fresh hub A2 whose bucket is replicated to hub B (a
//      second hookline): A2's ingest rate with replication, and how long B
//      takes to hold every point.
// Prints one `BENCH_JSON {...}` line. BENCH_POINTS (default 1000000) sets the size.
//
//   node --import tsx bench/backup-replication.ts

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progress, runBench, tempDirs } from './lib/bench-process.ts';
import { generateDataset, type Dataset } from './lib/dataset.ts';
import { expectStatus, httpRequest } from './lib/http-client.ts';
import { diskUsage } from './lib/measure.ts';
import { startHookline } from './lib/target-hookline.ts';
import type { TargetContext } from './lib/target.ts';
import { runWriteLoad } from './lib/write-load.ts';

const repoRoot = new URL('..', import.meta.url).pathname;
const WRITE_PATH = '/api/v2/write?org=bench&bucket=bench&precision=s';

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hookline.js', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out, ms: performance.now() - started }));
  });
}

async function count(port: number, token: string): Promise<number> {
  const q = encodeURIComponent('SELECT count(*) AS n FROM data');
  const res = await httpRequest({ port, method: 'GET', path: `/api/v3/query_sql?db=bench&format=json&q=${q}`, headers: { Authorization: `Token ${token}` } });
  if (res.status !== 200) return 0;
  return Number((JSON.parse(res.body) as Array<{ n: number | string }>)[0]?.n ?? 0);
}

async function json(port: number, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await httpRequest({ port, method, path, headers: { Authorization: `Token ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expectStatus(res, '2xx', `${method} ${path}`);
  return JSON.parse(res.body);
}

runBench('backup-replication', async () => {
  const points = Number(process.env.BENCH_POINTS ?? 1_000_000);
  const root = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'hookline-bench-nodes-'));
  tempDirs.add(root);
  progress(`generating ${points} points`);
  const dataset: Dataset = generateDataset(points, 5000);
  const ctx = (name: string): TargetContext => {
    const workDir = join(root, name);
    mkdirSync(workDir, { recursive: true });
    return { repoRoot, workDir, dataDir: join(workDir, 'data'), dataset };
  };
  const rate = (ms: number) => Math.round(points / (ms / 1000));

  // 1. baseline ingest
  const a = await startHookline(ctx('a'));
  const headers = { Authorization: `Token ${a.token}` };
  progress('writing the dataset to hub A');
  const w1 = await runWriteLoad({ port: a.port, path: WRITE_PATH, headers, batches: dataset.batches, writers: 2, isAlive: () => a.server.isAlive() });

  // 2. backup, idle
  progress('backup of an idle hub');
  const env = { HOOKLINE_TOKEN: a.token };
  const b1 = await cli(['backup', join(root, 'backup-idle'), '--host', `http://127.0.0.1:${a.port}`], env);
  if (b1.code !== 0) throw new Error(`backup failed: ${b1.out}`);
  const backupBytes = (await diskUsage(join(root, 'backup-idle'))).apparentBytes;

  // 3. backup under load
  progress('backup while the dataset is written again');
  // New points (the dataset a million seconds later), so the rate compares with step 1's.
  const later = dataset.batches.map((b) => Buffer.from(b.toString('utf8').replace(/ (\d+)$/gm, (_, t: string) => ` ${Number(t) + 1_000_000}`)));
  const load = runWriteLoad({ port: a.port, path: WRITE_PATH, headers, batches: later, writers: 2, isAlive: () => a.server.isAlive() });
  await new Promise((r) => setTimeout(r, 500));
  const b2 = await cli(['backup', join(root, 'backup-load'), '--host', `http://127.0.0.1:${a.port}`], env);
  const w2 = await load;
  if (b2.code !== 0) throw new Error(`backup under load failed: ${b2.out}`);

  // 4. restore
  progress('restore');
  const r1 = await cli(['restore', join(root, 'backup-idle'), '--data-dir', join(root, 'restored')], {});
  if (r1.code !== 0) throw new Error(`restore failed: ${r1.out}`);
  await a.server.stop();

  // 5. replication to a second hookline
  progress('ingest into a hub that replicates to another');
  const b = await startHookline(ctx('b'));
  process.env.HOOKLINE_REPLICATION_ALLOW_PRIVATE = '127.0.0.1'; // B listens on loopback
  const a2 = await startHookline(ctx('a2'));
  const orgID = (await json(a2.port, a2.token, 'GET', '/api/v2/orgs?org=bench')).orgs[0].id;
  const bucketID = (await json(a2.port, a2.token, 'GET', '/api/v2/buckets?name=bench')).buckets[0].id;
  const remote = await json(a2.port, a2.token, 'POST', '/api/v2/remotes', { orgID, name: 'b', remoteURL: `http://127.0.0.1:${b.port}`, remoteAPIToken: b.token, remoteOrgID: 'bench' });
  await json(a2.port, a2.token, 'POST', '/api/v2/replications', { orgID, name: 'to-b', remoteID: remote.id, localBucketID: bucketID, remoteBucketName: 'bench', maxQueueSizeBytes: 1024 * 1024 * 1024 });
  const w3 = await runWriteLoad({ port: a2.port, path: WRITE_PATH, headers: { Authorization: `Token ${a2.token}` }, batches: dataset.batches, writers: 2, isAlive: () => a2.server.isAlive() });
  const catchUpStarted = performance.now();
  let onB = 0;
  while ((onB = await count(b.port, b.token)) < points) {
    if (performance.now() - catchUpStarted > 600_000) throw new Error(`B holds ${onB} of ${points} after 10 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const catchUpMs = performance.now() - catchUpStarted;
  await a2.server.stop();
  await b.server.stop();

  const result = {
    points,
    ingestPointsPerSec: rate(w1.elapsedMs),
    backupIdleSec: +(b1.ms / 1000).toFixed(2),
    backupBytes,
    backupMiBPerSec: +(backupBytes / 1048576 / (b1.ms / 1000)).toFixed(1),
    backupUnderLoadSec: +(b2.ms / 1000).toFixed(2),
    ingestDuringBackupPointsPerSec: rate(w2.elapsedMs),
    restoreSec: +(r1.ms / 1000).toFixed(2),
    ingestReplicatedPointsPerSec: rate(w3.elapsedMs),
    replicaCatchUpAfterLastWriteSec: +(catchUpMs / 1000).toFixed(2),
    replicaEndToEndPointsPerSec: rate(w3.elapsedMs + catchUpMs),
  };
  console.log(`BENCH_JSON ${JSON.stringify({ bench: 'backup-replication', ...result })}`);
  return 0;
});
