// Sends one rendered webhook request over real HTTP(S) (docs.particle.io/reference/cloud-apis/webhooks):
// a deadline of HOOKLINE_WEBHOOK_TIMEOUT (Particle's 20 s), named like
// Particle's logs (ETIMEDOUT: no connection in time; ESOCKETTIMEDOUT:
// connected, no complete response in time); `rejectUnauthorized` validates the
// certificate chain; redirects are not followed (docs/particle.md Decisions: a 3xx is an error);
// only the first 100 KB of a body is kept. Connections are kept alive per
// origin. Addresses are checked against the SSRF policy except for hookline's
// own origins.

import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { WebhookRequest } from './build-request.ts';
import { MAX_RESPONSE_BYTES } from './response-events.ts';
import { guardedLookup, originKey, SsrfError, type AddressPolicy } from './ssrf-guard.ts';

export type SendResult =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; bodyBytes: number; latencyMs: number }
  | { ok: false; code: string; message: string; latencyMs: number };

export interface SenderOptions {
  policy: AddressPolicy;
  /** host:port keys that skip the address policy (hookline itself). */
  ownOrigins: () => Set<string>;
  /** hookline's own certificate, trusted for requests to hookline itself (self-signed TLS). */
  ownCa?: Buffer;
  timeoutMs: number;
  maxSockets: number;
}

export class WebhookSender {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly opts: SenderOptions) {}

  private agent(secure: boolean, guarded: boolean, rejectUnauthorized: boolean): http.Agent {
    const key = `${secure}|${guarded}|${rejectUnauthorized}`;
    let a = this.agents.get(key);
    if (!a) {
      const common = { keepAlive: true, maxSockets: this.opts.maxSockets, maxFreeSockets: this.opts.maxSockets, scheduling: 'lifo' as const };
      const lookup = guarded ? (guardedLookup(this.opts.policy) as unknown as typeof import('node:dns').lookup) : undefined;
      const ca = !guarded && this.opts.ownCa ? { ca: this.opts.ownCa } : {};
      a = secure ? new https.Agent({ ...common, rejectUnauthorized, ...ca, ...(lookup ? { lookup } : {}) }) : new http.Agent({ ...common, ...(lookup ? { lookup } : {}) });
      this.agents.set(key, a);
    }
    return a;
  }

  send(req: WebhookRequest, rejectUnauthorized: boolean): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const url = req.target;
    const secure = url.protocol === 'https:';
    const exempt = this.opts.ownOrigins().has(originKey(url));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!exempt && isIP(host) && this.opts.policy.blocked(host)) {
      const e = new SsrfError(`refused: ${host} is an internal address (set HOOKLINE_WEBHOOK_ALLOW_PRIVATE to allow it)`);
      return Promise.resolve({ ok: false, code: e.code, message: e.message, latencyMs: 0 });
    }
    const headers: Record<string, string> = { ...req.headers };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-length') delete headers[k];
    const body = req.body !== undefined ? Buffer.from(req.body, 'utf8') : undefined;
    if (body || req.method === 'POST' || req.method === 'PUT') headers['Content-Length'] = String(body?.length ?? 0);

    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let connected = false;
      const finish = (r: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const fail = (code: string, message: string) => finish({ ok: false, code, message, latencyMs: elapsed() });
      let r: http.ClientRequest;
      try {
        r = (secure ? https : http).request(url, { method: req.method, headers, agent: this.agent(secure, !exempt, rejectUnauthorized) });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return fail(err.code ?? 'EINVAL', err.message);
      }
      const timer = setTimeout(() => {
        const code = connected ? 'ESOCKETTIMEDOUT' : 'ETIMEDOUT';
        fail(code, `${code}: no ${connected ? 'response' : 'connection'} from ${url.host} within ${this.opts.timeoutMs / 1000} s`);
        r.destroy();
      }, this.opts.timeoutMs);
      r.on('socket', (s) => {
        if (!s.connecting) connected = true;
        else s.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
      });
      r.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ERROR', e.message));
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let total = 0;
        res.on('data', (c: Buffer) => {
          total += c.length;
          if (kept < MAX_RESPONSE_BYTES) {
            const part = c.subarray(0, MAX_RESPONSE_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
        });
        res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), bodyBytes: total, latencyMs: elapsed() }));
        res.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ECONNRESET', e.message));
        res.on('aborted', () => fail('ECONNRESET', `connection to ${url.host} closed mid-response`));
      });
      r.end(body);
    });
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
