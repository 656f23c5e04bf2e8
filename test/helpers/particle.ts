// Helpers for the Particle-compatible tests: a real HTTP capture server that
// webhooks call, particle-api-js against the real server, and small API calls.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Particle from 'particle-api-js';
import { api, type TestServer } from './server.ts';

export interface Captured {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export interface CaptureServer {
  url: string;
  requests: Captured[];
  /** How to answer each request (default 204, empty). */
  reply: (req: Captured) => Reply;
  waitFor(n: number, timeoutMs?: number): Promise<Captured[]>;
  close(): Promise<void>;
}

export async function captureServer(host = '127.0.0.1'): Promise<CaptureServer> {
  const requests: Captured[] = [];
  const waiters: Array<() => void> = [];
  const cap: CaptureServer = {
    url: '',
    requests,
    reply: () => ({ status: 204 }),
    waitFor(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length >= n) {
            clearTimeout(t);
            resolve(requests.slice(0, n));
            return true;
          }
          return false;
        };
        const t = setTimeout(() => reject(new Error(`expected ${n} requests, got ${requests.length}`)), timeoutMs);
        const wait = () => {
          if (!check()) waiters.push(wait);
        };
        wait();
      });
    },
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const c: Captured = { method: req.method ?? '', url: req.url ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(c);
      for (const w of waiters.splice(0)) w();
      const r = cap.reply(c);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 204, r.headers ?? {});
        res.end(r.body);
      };
      if (r.delayMs) setTimeout(send, r.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  cap.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return cap;
}

export function particle(s: TestServer): InstanceType<typeof Particle> {
  return new Particle({ baseUrl: s.url });
}

export async function json<T = any>(r: Response): Promise<T> {
  const text = await r.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (${r.status}): ${text}`);
  }
}

export async function createDevice(s: TestServer, body: Record<string, unknown> = {}): Promise<{ id: string; name: string; token: string }> {
  const r = await api(s, '/v1/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`device creation failed ${r.status}: ${await r.text()}`);
  return json(r);
}

/** Publishes as `token` (a device token or an API token). */
export async function publish(s: TestServer, token: string, name: string, data?: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${s.url}/v1/devices/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, data, ...extra }),
  });
}

export async function putSecret(s: TestServer, name: string, value: string): Promise<Response> {
  return api(s, `/v1/secrets/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: { value } }) });
}

export async function createIntegration(s: TestServer, def: Record<string, unknown>): Promise<any> {
  const r = await api(s, '/v1/integrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(def) });
  const body = await json(r);
  if (r.status !== 201) throw new Error(`integration creation failed ${r.status}: ${JSON.stringify(body)}`);
  return body;
}

export interface StreamEvent {
  name: string;
  data: string | null;
  ttl: number;
  published_at: string;
  coreid: string;
}

/** Opens particle-api-js's own event stream and collects what it parses. */
export async function openStream(s: TestServer, opts: { deviceId?: string; name?: string; auth?: string } = {}): Promise<{ events: StreamEvent[]; waitFor(pred: (e: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>; close(): void }> {
  const stream = await particle(s).getEventStream({ deviceId: opts.deviceId, name: opts.name, auth: opts.auth ?? s.token });
  const events: StreamEvent[] = [];
  const waiters: Array<() => void> = [];
  stream.on('event', (e: StreamEvent) => {
    events.push(e);
    for (const w of waiters.splice(0)) w();
  });
  return {
    events,
    waitFor(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching event; got ${JSON.stringify(events.map((e) => e.name))}`)), timeoutMs);
        const check = () => {
          const e = events.find(pred);
          if (e) {
            clearTimeout(t);
            resolve(e);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => {
      stream.abort();
      // abort() leaves particle-api-js's 15 s idle timer armed, which would hold the test process open.
      (stream as unknown as { stopIdleTimeout(): void }).stopIdleTimeout();
    },
  };
}

/** A token for a fresh org with the given rights on events/devices/integrations/secrets. */
export async function orgToken(s: TestServer, orgName: string, types = ['events', 'devices', 'integrations', 'secrets', 'buckets'], actions = ['read', 'write']): Promise<{ token: string; orgID: string }> {
  const org = await json(await api(s, '/api/v2/orgs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: orgName }) }));
  const permissions = types.flatMap((type) => actions.map((action) => ({ action, resource: { type, orgID: org.id } })));
  const a = await json(await api(s, '/api/v2/authorizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID: org.id, description: orgName, permissions }) }));
  return { token: a.token, orgID: org.id };
}
