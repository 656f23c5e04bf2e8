// Checks under load (issue 13, "Scale"): N threshold checks, each over the
// same M live series (a `last()` per series, GROUP BY device), evaluated every
// 10 s in the server process, while the 2 M-point ingest benchmark writes into
// another bucket from a separate process. Prints the evaluation lag p50/p99
// (ms between when a run was due and when it started: queueing behind the
// other checks is lag) with and without ingest, the ingest rate with and
// without the checks, and one `BENCH_JSON {...}` line.
//
//   npm run bench:checks
//   BENCH_CHECKS=200 BENCH_POINTS=500000 BENCH_SECONDS=30 npm run bench:checks
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { startServer, type Server } from '../src/server.ts';

const env = process.env;
const CHECKS = Number(env.BENCH_CHECKS ?? 1000);
const SERIES = Number(env.BENCH_CHECK_SERIES ?? 1000);
const POINTS = Number(env.BENCH_POINTS ?? 2_000_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 60);
const EVERY = env.BENCH_EVERY ?? '10s';
/**
 * The checks' query. The default has the `last()` shape the last-value cache
 * answers; BENCH_QUERY=engine adds a tag condition, which sends every run
 * through the InfluxQL engine instead (what any other query costs).
 */
const QUERY =
  env.BENCH_QUERY === 'engine'
    ? `SELECT last("temp") FROM "data" WHERE time > now() - 1m AND "device" =~ /^d/ GROUP BY "device"`
    : 'SELECT last("temp") FROM "data" WHERE time > now() - 1m GROUP BY "device"';
const TOKEN = 'bench-checks-token-0123456789';
const ORG = 'bench';
const progress = (m: string) => process.stderr.write(`[bench:checks] ${m}\n`);

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
}

async function post(s: Server, path: string, body: unknown, method = 'POST'): Promise<any> {
  const r = await fetch(s.url + path, { method, headers: { authorization: `Token ${TOKEN}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function ingest(url: string, bucket: string): Promise<{ points: number; ms: number; pointsPerSecond: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib/checks-ingest-child.ts'), url, TOKEN, ORG, bucket, String(POINTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`ingest child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-bench-checks-'));
  const server = await startServer(loadConfig({ HOOKLINE_DATA_DIR: dir, HOOKLINE_HTTP_PORT: '0', HOOKLINE_INIT_ORG: ORG, HOOKLINE_INIT_BUCKET: 'live', HOOKLINE_INIT_TOKEN: TOKEN, HOOKLINE_LOG_LEVEL: 'error', HOOKLINE_MQTT_PORT: '0', HOOKLINE_OPENTSDB_PORT: '0', HOOKLINE_MAX_CHECKS: String(CHECKS) }), { logger: false });
  // The live series the checks watch, one point each every 10 s: most are ok,
  // one in a hundred crit (a steady state, not a storm of first reports).
  const writeLive = async () => {
    const now = Math.floor(Date.now() / 1000);
    let lines = '';
    for (let i = 0; i < SERIES; i++) lines += `data,device=d${String(i).padStart(4, '0')} temp=${i % 100 === 0 ? '35.0' : (20 + (i % 5)).toFixed(1)} ${now}\n`;
    await post(server, `/api/v2/write?org=${ORG}&bucket=live&precision=s`, lines);
  };
  const live = setInterval(() => void writeLive().catch((e: unknown) => progress(`live write failed: ${String(e)}`)), 10_000);
  try {
    const orgID = server.firstRun!.org.id;
    for (const b of ['bench-alone', 'bench-with-checks']) await post(server, '/api/v2/buckets', { orgID, name: b });
    await writeLive();

    progress(`ingest alone: ${POINTS} points`);
    const alone = await ingest(server.url, 'bench-alone');
    progress(`  ${alone.pointsPerSecond} points/s`);

    progress(`creating ${CHECKS} checks over ${SERIES} series each, every ${EVERY}`);
    for (let i = 0; i < CHECKS; i++) {
      await post(server, '/api/hookline/checks', { name: `hot-${i}`, type: 'threshold', bucket: 'live', query: QUERY, every: EVERY, levels: { crit: `> ${30 + (i % 5)}`, warn: '> 25' } });
    }
    server.alerts.lagSamples();
    const e0 = { ...server.alerts.evaluations };
    progress(`checks alone for ${SECONDS} s`);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const lagAlone = server.alerts.lagSamples();
    const e1 = { ...server.alerts.evaluations };

    progress(`checks with ingest: ${POINTS} points`);
    const withChecks = await ingest(server.url, 'bench-with-checks');
    const lagIngest = server.alerts.lagSamples();
    const e2 = { ...server.alerts.evaluations };
    const result = {
      bench: 'checks',
      cores: cpus().length,
      checks: CHECKS,
      seriesPerCheck: SERIES,
      every: EVERY,
      query: env.BENCH_QUERY === 'engine' ? 'engine' : 'last-value cache',
      points: POINTS,
      checksAlone: { seconds: SECONDS, evaluations: e1.count - e0.count, skipped: e1.skipped - e0.skipped, errors: e1.errors - e0.errors, lagP50Ms: pct(lagAlone, 50), lagP99Ms: pct(lagAlone, 99), evaluationsPerSecond: Math.round((e1.count - e0.count) / SECONDS) },
      checksWithIngest: { seconds: Math.round(withChecks.ms / 1000), evaluations: e2.count - e1.count, skipped: e2.skipped - e1.skipped, errors: e2.errors - e1.errors, lagP50Ms: pct(lagIngest, 50), lagP99Ms: pct(lagIngest, 99) },
      ingestPointsPerSecond: { alone: alone.pointsPerSecond, withChecks: withChecks.pointsPerSecond, ratio: +(withChecks.pointsPerSecond / alone.pointsPerSecond).toFixed(2) },
      needed: `${CHECKS} checks every ${EVERY} = ${(CHECKS / (parseFloat(EVERY) || 10)).toFixed(0)} evaluations/s`,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`BENCH_JSON ${JSON.stringify(result)}`);
  } finally {
    clearInterval(live);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
