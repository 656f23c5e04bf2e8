// Replication to VictoriaMetrics (issue 16: "a hub can feed an existing
// clustered TSDB"), Debian's `victoria-metrics` started on loopback by the
// test: VictoriaMetrics takes InfluxDB line protocol on /api/v2/write
// (docs.victoriametrics.com/#how-to-send-data-from-influxdb-compatible-agents-such-as-telegraf)
// and stores field `v` of measurement `rep` as the series `rep_v`. Every point
// written to the hub arrives, including those written while VictoriaMetrics
// was stopped. Skipped only when the binary is not installed
// (apt-get install victoria-metrics).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { api, BUCKET, freePort, startTestServer, tempDir, writeLp } from './helpers/server.ts';

// .ci/run installs Debian's victoria-metrics when it is missing; without it this test fails, it is not skipped.
const BIN = spawnSync('sh', ['-c', 'command -v victoria-metrics || ls /usr/bin/victoria-metrics'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
const T0 = 1_700_000_000;
const lines = (from: number, n: number) => Array.from({ length: n }, (_, k) => `rep,dev=d${(from + k) % 5} v=${from + k} ${T0 + from + k}`).join('\n');

async function startVm(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(BIN, [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-search.disableCache', '-loggerLevel=ERROR'], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('victoria-metrics did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopVm(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Samples of rep_v VictoriaMetrics holds (raw, through /api/v1/export). */
async function samples(port: number): Promise<Map<number, number>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/export?match[]=rep_v&start=${T0 - 10}`);
  const out = new Map<number, number>();
  for (const line of (await r.text()).split('\n')) {
    if (!line) continue;
    const s = JSON.parse(line) as { values: number[]; timestamps: number[] };
    s.timestamps.forEach((t, i) => out.set(t, s.values[i]!));
  }
  return out;
}

async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('replication to VictoriaMetrics: every point arrives, also after it was down', { timeout: 240_000 }, async () => {
  assert.ok(BIN, 'victoria-metrics is not installed (apt-get install victoria-metrics; .ci/run does it)');
  const port = await freePort();
  const dir = await tempDir('hookline-vm-');
  let vm = await startVm(dir, port);
  const a = await startTestServer({ HOOKLINE_REPLICATION_MAX_RETRY_DELAY: '500ms', HOOKLINE_REPLICATION_ALLOW_PRIVATE: '127.0.0.1' });
  try {
    const orgID = a.tenancy.listOrgs()[0]!.id;
    const bucketID = a.tenancy.listBuckets({ orgID }).find((b) => b.name === BUCKET)!.id;
    const post = (path: string, body: unknown) => api(a, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const remote = await (await post('/api/v2/remotes', { orgID, name: 'vm', remoteURL: `http://127.0.0.1:${port}`, remoteAPIToken: 'unused-by-vm' })).json();
    const rep = await (await post('/api/v2/replications', { orgID, name: 'to-vm', remoteID: remote.id, localBucketID: bucketID, remoteBucketName: 'ignored' })).json();
    assert.ok(rep.id, JSON.stringify(rep));

    for (let i = 0; i < 3000; i += 500) assert.equal((await writeLp(a, lines(i, 500))).status, 204);
    await until('3000 samples in VictoriaMetrics', async () => (await samples(port)).size === 3000);

    await stopVm(vm);
    for (let i = 3000; i < 5000; i += 500) assert.equal((await writeLp(a, lines(i, 500))).status, 204);
    await until('the outage noticed', async () => (await (await api(a, `/api/v2/replications/${rep.id}`)).json()).latestErrorMessage !== undefined);
    vm = await startVm(dir, port);
    await until('5000 samples in VictoriaMetrics', async () => (await samples(port)).size === 5000);
    const got = await samples(port);
    for (const i of [0, 2999, 3000, 4321, 4999]) assert.equal(got.get((T0 + i) * 1000), i, `sample ${i}`);
    const st = await (await api(a, `/api/v2/replications/${rep.id}`)).json();
    assert.equal(st.latestResponseCode, 204);
  } finally {
    await a.stop();
    await stopVm(vm);
    await rm(dir, { recursive: true, force: true });
  }
});
