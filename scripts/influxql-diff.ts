// Differential test of /query: the same writes and InfluxQL statements go to a
// real InfluxDB 1.6 (influxd, the oracle) and to hookline, and every answer
// that differs is printed (status, both bodies) with the match rate.
//
//   node --import tsx scripts/influxql-diff.ts [--filter re] [--corpus file]
//        [--influxd http://127.0.0.1:8086] [--hookline http://...:port --token t]
//        [--hookline-dir /other/checkout] [--verbose] [--quiet]
//        [--capture src/query/influxql/fixtures/influxd16-cases.json]
//
// Without --influxd / --hookline both servers are started on free loopback
// ports with temporary directories and stopped at the end (a hookline that
// dies is restarted; --hookline-dir runs another checkout's, e.g. a base
// commit's, to measure a change). --verbose also prints the answers both
// give alike (to read influxd's answers to new probes). The corpus is a
// JSON table (scripts/influxql-diff-corpus.json): `groups` of setup
// statements, writes and queries (CorpusGroup in test/helpers/influxql.ts)
// taken from InfluxDB 1.x's server tests and docs, Grafana's generated
// queries and our own cases, and `decisions`: the differences hookline keeps
// on purpose, each with its reason (docs/influxql.md). --capture writes influxd's answers as the
// fixture test/influxql-influxd16.test.ts replays without influxd.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, spawnServer, TOKEN, type ChildServer } from '../test/helpers/server.ts';
import { corpusLines, expandNow, groupNow, templateAlignedNow, templateNow, type CapturedGroup, type CapturedStep, type CorpusGroup, type CorpusQuery, type CorpusWrite } from '../test/helpers/influxql.ts';

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
  /** Starts the server again when a query crashed it (influxd 1.6 panics on some statements). */
  revive?(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
}

const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'scripts/influxql-diff-corpus.json' },
    filter: { type: 'string' },
    influxd: { type: 'string' },
    hookline: { type: 'string' },
    /** Start hookline from this checkout instead (another commit's tree with node_modules). */
    'hookline-dir': { type: 'string' },
    token: { type: 'string', default: TOKEN },
    capture: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    /** Also print the queries both answer alike (to read influxd's answers to new probes). */
    verbose: { type: 'boolean', default: false },
    'include-skipped': { type: 'boolean', default: false },
  },
});

async function waitFor(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`influxd exited: ${log()}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`influxd did not start: ${log()}`);
}

/** influxd 1.6 on loopback with temporary directories, no auth, no _internal database. */
async function startInfluxd(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'influxql-diff-influxd-'));
  const [http, rpc] = [await freePort(), await freePort()];
  const conf = [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpc}"`,
    '[meta]',
    `  dir = "${dir}/meta"`,
    '[data]',
    `  dir = "${dir}/data"`,
    `  wal-dir = "${dir}/wal"`,
    '  query-log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[http]',
    `  bind-address = "127.0.0.1:${http}"`,
    '  log-enabled = false',
    '',
  ].join('\n');
  await writeFile(join(dir, 'influxd.conf'), conf);
  let log = '';
  let proc: ChildProcess;
  const url = `http://127.0.0.1:${http}`;
  const launch = async () => {
    proc = spawn('influxd', ['-config', join(dir, 'influxd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => (log = (log + d).slice(-4000)));
    proc.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
    await waitFor(`${url}/ping`, proc, () => log);
  };
  await launch();
  return {
    name: 'influxd',
    url,
    headers: {},
    async revive() {
      if (proc.exitCode === null) await new Promise((r) => setTimeout(r, 500));
      if (proc.exitCode !== null || proc.signalCode !== null) await launch();
    },
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** hookline from another checkout (--hookline-dir, e.g. to measure a base commit), as spawnServer starts it. */
async function spawnIn(cwd: string, dataDir: string): Promise<ChildServer> {
  const token = 'influxql-diff-token';
  const child = spawn(process.execPath, ['bin/hookline.js', 'serve'], {
    cwd,
    env: { ...process.env, HOOKLINE_DATA_DIR: dataDir, HOOKLINE_HTTP_PORT: '0', HOOKLINE_INIT_ORG: 'diff-org', HOOKLINE_INIT_BUCKET: 'diff-bucket', HOOKLINE_INIT_TOKEN: token, HOOKLINE_LOG_LEVEL: 'warn', HOOKLINE_MQTT_PORT: '0', HOOKLINE_OPENTSDB_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hookline did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /hookline is running: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`hookline exited with ${code}:\n${out}`)));
  });
  return {
    url,
    token,
    dataDir,
    child,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
    },
  };
}

async function startHookline(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'influxql-diff-hookline-'));
  const start = () => (opts['hookline-dir'] ? spawnIn(opts['hookline-dir'], dir) : spawnServer(dir, { HOOKLINE_LOG_LEVEL: 'warn' }));
  let s = await start();
  const t: Target = {
    name: 'hookline',
    url: s.url,
    headers: { authorization: `Token ${s.token}` },
    async revive() {
      await new Promise((r) => setTimeout(r, 500));
      if (s.child.exitCode === null && s.child.signalCode === null) return;
      console.log(`! hookline exited:\n${s.output().slice(-2000)}`);
      s = await start();
      t.url = s.url;
    },
    async stop() {
      await s.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return t;
}

function external(name: string, url: string, token?: string): Target {
  return { name, url: url.replace(/\/$/, ''), headers: token ? { authorization: `Token ${token}` } : {}, stop: async () => undefined };
}

/** As InfluxDB's server tests send statements: POST /query?q=...&db=... with an empty JSON body. */
async function query(t: Target, q: CorpusQuery, now: bigint): Promise<Answer> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q.params ?? {})) p.set(k, expandNow(v, now));
  p.set('q', expandNow(q.q, now));
  const method = q.method ?? 'POST';
  try {
    const r = await fetch(`${t.url}/query?${p}`, {
      signal: AbortSignal.timeout(60_000),
      method,
      headers: { ...t.headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(q.headers ?? {}) },
    });
    return { status: r.status, body: (await r.text()).trim() };
  } catch (e) {
    await t.revive?.();
    return { status: 0, body: `<${t.name} closed the connection: ${(e as Error).message}>` };
  }
}

async function write(t: Target, w: CorpusWrite, now: bigint): Promise<Answer> {
  const p = new URLSearchParams({ db: w.db });
  if (w.rp) p.set('rp', w.rp);
  if (w.precision) p.set('precision', w.precision);
  const r = await fetch(`${t.url}/write?${p}`, { method: 'POST', body: corpusLines(w, now), headers: t.headers });
  return { status: r.status, body: (await r.text()).trim() };
}

/** Every database goes, so each group starts as a fresh server does. */
async function reset(t: Target): Promise<void> {
  const r = await query(t, { name: '', q: 'SHOW DATABASES' }, 0n);
  const dbs = (JSON.parse(r.body).results?.[0]?.series?.[0]?.values ?? []) as string[][];
  for (const [db] of dbs) await query(t, { name: '', q: `DROP DATABASE "${db.replace(/"/g, '\\"')}"` }, 0n);
}

/**
 * GROUP BY time() with neither an upper time bound nor now() runs to now():
 * over data from 1970 or 2000 that is billions of windows, and influxd 1.6
 * fills them until it runs out of memory. Such statements stay out.
 */
function unbounded(q: string): boolean {
  // Only plain SELECTs: CREATE CONTINUOUS QUERY bodies are never executed here.
  return /^\s*select\b/i.test(q) && /group\s+by[^;]*\btime\s*\(\s*\d/i.test(q) && !/\btime\s*(<|<=|=)\s|now\(\)/i.test(q);
}

interface Decision {
  group: string;
  name?: string;
  q?: string;
  reason: string;
}

function decisionFor(decisions: Decision[], group: string, q: CorpusQuery): Decision | undefined {
  return decisions.find((d) => (d.group === group || new RegExp(`^${d.group}$`).test(group)) && (d.name === undefined || d.name === q.name) && (d.q === undefined || d.q === q.q));
}

async function main(): Promise<void> {
  const { groups: corpus, decisions } = JSON.parse(await readFile(opts.corpus!, 'utf8')) as { groups: CorpusGroup[]; decisions: Decision[] };
  const filter = opts.filter ? new RegExp(opts.filter) : undefined;
  const influxd = opts.influxd ? external('influxd', opts.influxd) : await startInfluxd();
  const hookline = opts.hookline ? external('hookline', opts.hookline, opts.token) : await startHookline();
  const captured: CapturedGroup[] = [];
  let total = 0;
  let same = 0;
  let decided = 0;
  let expTotal = 0;
  let influxdExp = 0;
  let hooklineExp = 0;
  try {
    for (const g of corpus) {
      if (filter && !filter.test(g.group)) continue;
      const now = groupNow(g);
      await Promise.all([reset(influxd), reset(hookline)]);
      for (const s of g.setup) {
        const [a, b] = await Promise.all([query(influxd, { name: '', q: s }, now), query(hookline, { name: '', q: s }, now)]);
        if (a.body !== b.body) console.log(`! ${g.group} setup ${s}\n    influxd  ${a.status} ${a.body}\n    hookline ${b.status} ${b.body}`);
      }
      const steps: CapturedStep[] = [];
      for (const step of g.steps) {
        if ('write' in step) {
          const [a, b] = await Promise.all([write(influxd, step.write, now), write(hookline, step.write, now)]);
          if (a.status !== b.status) console.log(`! ${g.group} write to ${step.write.db}: influxd ${a.status} ${a.body} / hookline ${b.status} ${b.body}`);
          steps.push(step);
          continue;
        }
        const q = step.query;
        if (unbounded(q.q)) {
          console.log(`! ${g.group} / ${q.name}: GROUP BY time() without an upper time bound or now(); not sent (influxd would fill windows up to now)`);
          steps.push({ query: { ...q, status: 0, body: '', skip: 'GROUP BY time() without an upper time bound: influxd 1.6 fills windows up to now() (billions over this data) and runs out of memory' } });
          continue;
        }
        if (q.skip && !opts['include-skipped']) {
          steps.push({ query: { ...q, status: 0, body: '' } });
          continue;
        }
        const a = await query(influxd, q, now);
        const b = await query(hookline, q, now);
        total++;
        const d = decisionFor(decisions, g.group, q);
        const match = a.status === b.status && a.body === b.body;
        if (match) same++;
        else if (d) decided++;
        if (q.exp !== undefined) {
          const exp = expandNow(q.exp, now);
          expTotal++;
          if (a.body === exp) influxdExp++;
          if (b.body === exp) hooklineExp++;
        }
        const template = (x: string) => (g.nowAlign ? templateAlignedNow(x, now) : templateNow(x, now));
        const body = template(a.body);
        steps.push({
          query: { ...q, status: a.status, body, ...(!match && d ? { hookline: { status: b.status, body: template(b.body), reason: d.reason } } : {}) },
        });
        if (match && opts.verbose) console.log(`\n= ${g.group} / ${q.name}\n  q: ${q.q}\n  both     ${a.status} ${a.body.slice(0, 3000)}`);
        if (!match && !(opts.quiet && d)) {
          console.log(`\n✗ ${g.group} / ${q.name}${d ? `   [decided: ${d.reason}]` : ''}\n  q: ${q.q}${q.params ? `  ${JSON.stringify(q.params)}` : ''}`);
          // Chunked bodies are several JSON lines: shown with visible newlines.
          const show = (x: string) => (x.includes('\n') ? x.replace(/\n/g, '⏎') : x).slice(0, 3000);
          console.log(`  influxd  ${a.status} ${show(a.body)}`);
          console.log(`  hookline ${b.status} ${show(b.body)}`);
          if (a.body.length > 3000 || b.body.length > 3000) {
            let i = 0;
            while (i < a.body.length && a.body[i] === b.body[i]) i++;
            console.log(`  first difference at ${i}: influxd …${a.body.slice(Math.max(0, i - 200), i + 300)}…\n                       hookline …${b.body.slice(Math.max(0, i - 200), i + 300)}…`);
          }
          if (q.exp !== undefined && expandNow(q.exp, now) !== a.body) console.log(`  upstream expected ${expandNow(q.exp, now).slice(0, 3000)}`);
        }
      }
      captured.push({ ...g, steps });
    }
  } finally {
    await Promise.all([influxd.stop(), hookline.stop()]);
  }
  const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '-');
  console.log(`\nhookline = influxd 1.6 on ${same}/${total} queries (${pct(same, total)} %); ${decided} of the differences are decided (docs/influxql.md)`);
  console.log(`upstream expected bodies: influxd 1.6 ${influxdExp}/${expTotal} (${pct(influxdExp, expTotal)} %), hookline ${hooklineExp}/${expTotal} (${pct(hooklineExp, expTotal)} %)`);
  if (opts.capture) {
    await writeFile(opts.capture, JSON.stringify(captured, null, 1) + '\n');
    console.log(`captured ${captured.length} groups into ${opts.capture}`);
  }
}

await main();
