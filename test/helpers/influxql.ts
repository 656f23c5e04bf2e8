// Helpers for the InfluxQL fixture suites: each fixture group (one upstream
// test) runs in its own org with an all-access token, so database names like
// db0 and SHOW DATABASES stay isolated; times relative to "now" are written
// as {{now}}, {{now+N}}, {{now/D}}, {{rfc:now-N}} placeholders.

import { startTestServer } from './server.ts';
import { allAccess } from '../../src/tenancy/permissions.ts';
import { rfc3339Nano } from '../../src/query/influxql/encode/v1-response.ts';
import type { Tenancy } from '../../src/tenancy/tenancy.ts';
import type { Store } from '../../src/storage/store.ts';

/** What the InfluxQL suites need from a server. */
export interface QlServer {
  url: string;
  token: string;
  dataDir: string;
  tenancy: Tenancy;
  store: Store;
  /** Stops the server; removes its data directory unless keepData. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

/** The real server (server.ts, through startTestServer) on port 0 with a temporary data directory. */
export async function startInfluxQlServer(env: Record<string, string> = {}): Promise<QlServer> {
  const s = await startTestServer(env);
  return {
    url: s.url,
    token: s.token,
    dataDir: s.dataDir,
    tenancy: s.tenancy,
    store: s.store,
    async stop(opts = {}) {
      if (opts.keepData) await s.close();
      else await s.stop();
    },
  };
}

export interface FixtureQuery {
  name: string;
  q: string;
  exp: string;
  params?: Record<string, string>;
  method?: 'GET' | 'POST';
}

export interface FixtureGroup {
  test: string;
  db: string;
  rp: string;
  setup: string[];
  writes: string;
  queries: FixtureQuery[];
}

export interface GroupClient {
  token: string;
  now: bigint;
  query(q: string, params?: Record<string, string>, method?: 'GET' | 'POST'): Promise<{ status: number; body: string }>;
  write(lp: string, db: string, rp?: string): Promise<Response>;
  expand(text: string): string;
}

let orgSeq = 0;

export async function groupClient(s: QlServer): Promise<GroupClient> {
  const org = await s.tenancy.createOrg(`fixture-org-${process.pid}-${++orgSeq}`);
  const { token } = await s.tenancy.createAuthorization({ orgID: org.id, permissions: allAccess(org.id) });
  // A realistic "now" with nanoseconds, a little in the past so `time < now()` holds.
  const now = BigInt(Date.now() - 5000) * 1_000_000n + 123_456n;
  const expand = (text: string) =>
    text.replace(/\{\{(rfc:)?now(?:([+-])(\d+))?(?:\/(\d+))?\}\}/g, (_m, rfc: string | undefined, sign?: string, n?: string, div?: string) => {
      let t = now;
      if (sign && n) t = sign === '+' ? t + BigInt(n) : t - BigInt(n);
      if (div) t = t / BigInt(div);
      return rfc ? rfc3339Nano(t) : t.toString();
    });
  return {
    token,
    now,
    expand,
    async query(q, params = {}, method = 'GET') {
      const p = new URLSearchParams({ q, ...params });
      const r =
        method === 'GET'
          ? await fetch(`${s.url}/query?${p}`, { headers: { authorization: `Token ${token}` } })
          : await fetch(`${s.url}/query`, { method: 'POST', body: p, headers: { authorization: `Token ${token}`, 'content-type': 'application/x-www-form-urlencoded' } });
      return { status: r.status, body: await r.text() };
    },
    write(lp, db, rp) {
      return fetch(`${s.url}/write?db=${encodeURIComponent(db)}${rp ? `&rp=${encodeURIComponent(rp)}` : ''}&precision=n`, {
        method: 'POST',
        body: lp,
        headers: { authorization: `Token ${token}` },
      });
    },
  };
}

/** Sets a fixture group up: its statements (POST), then its writes. */
export async function setupGroup(s: QlServer, g: FixtureGroup): Promise<GroupClient> {
  const c = await groupClient(s);
  for (const stmt of g.setup) {
    const r = await c.query(stmt, {}, 'POST');
    if (r.status !== 200 || r.body.includes('"error"')) throw new Error(`setup ${stmt}: ${r.status} ${r.body}`);
  }
  if (g.writes) {
    const w = await c.write(c.expand(g.writes), g.db, g.rp || undefined);
    if (w.status !== 204) throw new Error(`write failed: ${w.status} ${await w.text()}`);
  }
  return c;
}

// ---------------------------------------------------------------- differential corpus (scripts/influxql-diff.ts)

/** One write of a corpus group: line protocol to /write?db=&rp=&precision=. */
export interface CorpusWrite {
  db: string;
  rp: string;
  lp: string;
  precision?: string;
  /** The write is expected to be refused in part (partial write tests). */
  mayFail?: boolean;
  /** Lines generated from a template, `{i}` = 0..count-1 (appended to lp). */
  repeat?: { count: number; template: string };
}

/** The line protocol body of a corpus write, `now` placeholders expanded. */
export function corpusLines(w: CorpusWrite, now: bigint): string {
  const lines = w.lp ? [expandNow(w.lp, now)] : [];
  if (w.repeat) for (let i = 0; i < w.repeat.count; i++) lines.push(w.repeat.template.replace(/\{i\}/g, String(i)));
  return lines.join('\n');
}

export interface CorpusQuery {
  name: string;
  q: string;
  /** URL parameters besides q (db, epoch, chunked, params...). */
  params?: Record<string, string>;
  /** POST (default, as InfluxDB's server tests send it: q in the URL, empty body) or GET. */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** InfluxDB's own expected body (server_test.go, docs), when the case comes from there. */
  exp?: string;
  /** Marked skip upstream (the reason). */
  skip?: string | boolean;
  note?: string;
}

export type CorpusStep = { write: CorpusWrite } | { query: CorpusQuery };

/** A group of the corpus: fresh databases, setup statements, then writes and queries in order. */
export interface CorpusGroup {
  group: string;
  /** Where the cases come from: server_test.go, docs, grafana, own. */
  source: string;
  db: string;
  rp: string;
  setup: string[];
  steps: CorpusStep[];
  /**
   * Pins {{now}} to a multiple of this many ns at least one such step in the
   * past, so windows of relative-time queries (time >= now() - 6h GROUP BY
   * time(1m)) fall on {{now-N}} placeholders.
   */
  nowAlign?: string;
  /** How the group departs from its source (e.g. a setup upstream does in-process). */
  note?: string;
}

/** The {{now}} of a group: a little in the past, with nanoseconds, or aligned (nowAlign). */
export function groupNow(g: { nowAlign?: string }, wallMs = Date.now()): bigint {
  const wall = BigInt(wallMs) * 1_000_000n;
  if (g.nowAlign) {
    const a = BigInt(g.nowAlign);
    return (wall / a) * a - a;
  }
  return wall - 5_000_000_000n + 123_456n;
}

/** A captured answer: what influxd 1.6 said, and, where hookline answers otherwise on purpose, what it says and why. */
export interface CapturedQuery extends CorpusQuery {
  status: number;
  body: string;
  hookline?: { status: number; body: string; reason: string };
}

export type CapturedStep = { write: CorpusWrite } | { query: CapturedQuery };

export interface CapturedGroup extends Omit<CorpusGroup, 'steps'> {
  steps: CapturedStep[];
}

const NS_UNITS = [1n, 1000n, 1_000_000n, 1_000_000_000n, 60_000_000_000n, 3_600_000_000_000n];

/** Expands {{now}}, {{now+N}}, {{now-N}}, {{now/D}}, {{rfc:now...}} against one instant (ns). */
export function expandNow(text: string, now: bigint): string {
  return text.replace(/\{\{(rfc:)?now(?:([+-])(\d+))?(?:\/(\d+))?\}\}/g, (_m, rfc: string | undefined, sign?: string, n?: string, div?: string) => {
    let t = now;
    if (sign && n) t = sign === '+' ? t + BigInt(n) : t - BigInt(n);
    if (div) t = t / BigInt(div);
    return rfc ? rfc3339Nano(t) : t.toString();
  });
}

/**
 * The reverse of expandNow for a captured body: times derived from `now`
 * (as written, +1ns, a day before, in every epoch unit) become placeholders
 * again, so the fixture replays at any time. Only whole JSON tokens are replaced.
 */
/**
 * For groups whose `now` is aligned (nowAlign): every time within two days of
 * `now` (an RFC3339 string or an epoch number in any unit) becomes a
 * placeholder, since window starts (GROUP BY time) are then offsets from
 * `now` as well, not only the written times. A value is replaced only when
 * the placeholder expands back to exactly the same text.
 */
export function templateAlignedNow(body: string, now: bigint): string {
  const near = (t: bigint) => (t > now ? t - now : now - t) <= 2n * 86_400_000_000_000n;
  const token = (t: bigint, div: bigint, rfc: boolean) => {
    const d = t - now;
    return `{{${rfc ? 'rfc:' : ''}now${d === 0n ? '' : d > 0n ? `+${d}` : d}${div === 1n ? '' : '/' + div}}}`;
  };
  const rfcOut = body.replace(/"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z)"/g, (m, iso: string) => {
    const [sec, frac = ''] = iso.slice(0, -1).split('.');
    const t = BigInt(Date.parse(sec + 'Z')) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
    if (!near(t)) return m;
    const tok = token(t, 1n, true);
    return expandNow(tok, now) === iso ? `"${tok}"` : m;
  });
  return rfcOut.replace(/(?<![0-9.{+\-\/])\d{9,19}(?![0-9.}])/g, (m) => {
    for (const u of NS_UNITS) {
      const t = BigInt(m) * u;
      if (!near(t)) continue;
      const tok = token(t, u, false);
      if (expandNow(tok, now) === m) return tok;
    }
    return m;
  });
}

export function templateNow(body: string, now: bigint, extra: string[] = []): string {
  const tokens = new Set<string>(extra);
  for (const d of ['', '+1', '-60000000000', '-3600000000000', '-86400000000000', '-86460000000000']) {
    tokens.add(`{{rfc:now${d}}}`);
    for (const u of NS_UNITS) tokens.add(`{{now${d}${u === 1n ? '' : '/' + u}}}`);
  }
  const pairs = [...tokens].map((t) => [expandNow(t, now), t] as const).sort((a, b) => b[0].length - a[0].length);
  let out = body;
  for (const [value, token] of pairs) {
    if (value.length < 6) continue;
    const esc = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![0-9.])${esc}(?![0-9])`, 'g'), token);
  }
  return out;
}
