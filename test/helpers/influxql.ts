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
