// hookline query: InfluxQL (default) or SQL (--sql) against a running server
// (--url, --token) or a data directory no server holds (--data-dir), printed
// as a table, CSV or JSON.
//
//   hookline query --url http://localhost:8086 --token $TOKEN --db mydb 'SELECT mean(v) FROM m GROUP BY time(1h)'
//   hookline query --data-dir ./data --db mydb --format csv 'SHOW MEASUREMENTS'
//   hookline query --sql --db mydb 'SELECT * FROM m LIMIT 5'

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { rfc3339Nano, encodeCsv, encodeJson } from '../query/influxql/encode/v1-response.ts';
import type { StatementResult } from '../query/influxql/executor.ts';
import { TimeCell, type OutCell } from '../query/influxql/select/values.ts';

interface Options {
  url?: string;
  token?: string;
  dataDir?: string;
  db: string;
  rp: string;
  org?: string;
  sql: boolean;
  format: 'table' | 'csv' | 'json';
  epoch: string;
  query?: string;
}

const USAGE = `usage: hookline query [options] <query>

  --url URL          server to ask (default http://127.0.0.1:8086, or HOOKLINE_URL)
  --token TOKEN      API token (or HOOKLINE_TOKEN)
  --data-dir DIR     read a data directory directly (only when no server holds it)
  --org NAME         org whose databases --data-dir queries (default: the first org)
  --db NAME          database (bucket) to query
  --rp NAME          retention policy (InfluxQL)
  --sql              the query is SQL (InfluxDB 3 style) instead of InfluxQL
  --format F         table (default), csv or json
  --epoch U          print times as epoch integers in U (ns, u, ms, s, m, h)
`;

function parseArgs(argv: string[]): Options | string {
  const o: Options = { db: '', rp: '', sql: false, format: 'table', epoch: '', url: process.env.HOOKLINE_URL, token: process.env.HOOKLINE_TOKEN };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--url':
        o.url = value();
        break;
      case '--token':
        o.token = value();
        break;
      case '--data-dir':
        o.dataDir = value();
        break;
      case '--org':
        o.org = value();
        break;
      case '--db':
        o.db = value() ?? '';
        break;
      case '--rp':
        o.rp = value() ?? '';
        break;
      case '--sql':
        o.sql = true;
        break;
      case '--format': {
        const f = value();
        if (f !== 'table' && f !== 'csv' && f !== 'json') return `unknown format: ${f} (table, csv or json)`;
        o.format = f;
        break;
      }
      case '--epoch':
        o.epoch = value() ?? '';
        break;
      case '-h':
      case '--help':
        return '';
      default:
        if (a.startsWith('--')) return `unknown option: ${a}`;
        rest.push(a);
    }
  }
  o.query = rest.join(' ');
  if (!o.query) return 'missing query';
  return o;
}

function cellText(c: OutCell, epoch: string): string {
  if (c === null) return '';
  if (c instanceof TimeCell) return epoch ? String(c.ns / ({ u: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n }[epoch] ?? 1n)) : rfc3339Nano(c.ns);
  return String(c);
}

function table(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => (v ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** InfluxQL results as text tables, one per series (like the influx shell). */
export function renderTables(results: StatementResult[], epoch: string): string {
  let out = '';
  for (const r of results) {
    if (r.error) out += `ERR: ${r.error}\n`;
    for (const m of r.messages ?? []) out += `${m.level}: ${m.text}\n`;
    for (const s of r.series ?? []) {
      if (s.name) out += `name: ${s.name}\n`;
      if (s.tags && Object.keys(s.tags).length) out += `tags: ${Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(', ')}\n`;
      out += table(s.columns, s.values.map((row) => row.map((c) => cellText(c, epoch)))) + '\n';
    }
  }
  return out;
}

async function viaServer(o: Options): Promise<{ out: string; ok: boolean }> {
  const base = (o.url || 'http://127.0.0.1:8086').replace(/\/$/, '');
  const headers: Record<string, string> = o.token ? { authorization: `Token ${o.token}` } : {};
  if (o.sql) {
    const format = o.format === 'table' ? 'pretty' : o.format;
    const r = await fetch(`${base}/api/v3/query_sql?${new URLSearchParams({ db: o.db, q: o.query!, format })}`, { headers });
    const text = await r.text();
    return { out: text.endsWith('\n') ? text : text + '\n', ok: r.ok };
  }
  const params = new URLSearchParams({ q: o.query!, db: o.db, rp: o.rp });
  if (o.epoch) params.set('epoch', o.epoch);
  const r = await fetch(`${base}/query`, {
    method: 'POST',
    body: params,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', ...(o.format === 'csv' ? { accept: 'application/csv' } : {}) },
  });
  const text = await r.text();
  if (!r.ok || o.format !== 'table') return { out: text.endsWith('\n') ? text : text + '\n', ok: r.ok };
  // Tables are rendered from the 1.x JSON.
  const body = JSON.parse(text) as { results: Array<{ statement_id: number; series?: Array<{ name?: string; tags?: Record<string, string>; columns: string[]; values?: unknown[][] }>; error?: string; messages?: Array<{ level: string; text: string }> }> };
  const results: StatementResult[] = body.results.map((x) => ({
    statementId: x.statement_id,
    error: x.error,
    messages: x.messages,
    series: x.series?.map((s) => ({ name: s.name, tags: s.tags, columns: s.columns, values: (s.values ?? []).map((row) => row.map((c) => (c === null ? null : typeof c === 'object' ? JSON.stringify(c) : (c as string)))) })),
  }));
  return { out: renderTables(results, ''), ok: !results.some((x) => x.error) };
}

async function viaDataDir(o: Options): Promise<{ out: string; ok: boolean }> {
  const dir = o.dataDir!;
  if (!existsSync(join(dir, 'hookline.duckdb'))) return { out: `no hookline data in ${dir}\n`, ok: false };
  const { Duck } = await import('../storage/duck/duck.ts');
  const { Tenancy } = await import('../tenancy/tenancy.ts');
  const { Store } = await import('../storage/store.ts');
  const { operatorPermissions } = await import('../tenancy/permissions.ts');
  let duck;
  try {
    duck = await Duck.open({ path: join(dir, 'hookline.duckdb'), threads: 2 });
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg)) return { out: `${dir} is in use by a running hookline (its catalog is locked); query that server with --url instead\n`, ok: false };
    throw e;
  }
  try {
    const tenancy = await Tenancy.open(duck.meta);
    const org = o.org ? tenancy.findOrg(o.org) : tenancy.listOrgs()[0];
    if (!org) return { out: `org not found: ${o.org ?? '(none)'}\n`, ok: false };
    const store = await Store.open({
      dataDir: dir,
      duck,
      bucketInfo: (id) => {
        const b = tenancy.bucket(id);
        return b && { id: b.id, retentionSeconds: b.retentionSeconds, shardGroupSeconds: b.shardGroupSeconds };
      },
    });
    try {
      if (o.sql) {
        const { SqlService } = await import('../query/sql/run-sql.ts');
        const { formatResult } = await import('../query/sql/format-results.ts');
        const bucket = tenancy.bucketByName(org.id, o.db);
        if (!bucket) return { out: `database not found: ${o.db}\n`, ok: false };
        const { sqlSourceOf } = await import('../storage/query/sql-source.ts');
        // The operator's own query, but through the same sandbox as the API.
        const service = new SqlService(sqlSourceOf(store), { timeoutMs: 600_000, memoryBytes: 2 ** 30, maxResultBytes: 2 ** 30, sandboxDir: join(dir, '.sandbox'), processes: 1 });
        const res = await service.query(bucket.id, o.query!).finally(() => service.close());
        return { out: formatResult(res, o.format === 'table' ? 'pretty' : o.format), ok: true };
      }
      const { executeStatements, parseRequest } = await import('../query/influxql/run-query.ts');
      const { IngestPipeline } = await import('../ingest/pipeline.ts');
      const { ParquetPointStore } = await import('../storage/parquet-point-store.ts');
      // SELECT INTO from the CLI writes through the same ingest call as the server.
      const points = new ParquetPointStore(store);
      const ingest = new IngestPipeline(points);
      const now = new Date().toISOString();
      const auth = { id: 'cli', tokenHash: '', description: 'hookline query', status: 'active' as const, orgID: org.id, userID: '', permissions: operatorPermissions(), createdAt: now, updatedAt: now };
      const results = await executeStatements({ store: points, ingest, tenancy, timeoutMs: 600_000 }, auth, parseRequest(o.query!), { db: o.db, rp: o.rp, readOnly: false });
      const ok = !results.some((r) => r.error);
      if (o.format === 'json') return { out: encodeJson(results, { epoch: o.epoch, pretty: false }), ok };
      if (o.format === 'csv') return { out: encodeCsv(results, { epoch: o.epoch, pretty: false }), ok };
      return { out: renderTables(results, o.epoch), ok };
    } finally {
      await store.close();
    }
  } finally {
    await duck.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (typeof o === 'string') {
    process.stderr.write((o ? `${o}\n\n` : '') + USAGE);
    return o ? 2 : 0;
  }
  try {
    const { out, ok } = o.dataDir ? await viaDataDir(o) : await viaServer(o);
    (ok ? process.stdout : process.stderr).write(out);
    return ok ? 0 : 1;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.cause?.code === 'ECONNREFUSED') process.stderr.write(`cannot reach ${o.url || 'http://127.0.0.1:8086'}: is hookline running? (or use --data-dir)\n`);
    else process.stderr.write(`${err.message}\n`);
    return 1;
  }
}
