// Sends one rendered webhook request over real HTTP(S) (docs.particle.io/reference/cloud-apis/webhooks):
// a deadline of HOOKLINE_WEBHOOK_TIMEOUT (Particle's 20 s), named like
// Particle's logs (ETIMEDOUT: no connection in time; ESOCKETTIMEDOUT:
// connected, no complete response in time); `rejectUnauthorized` validates the
// certificate chain; redirects are not followed (docs/particle.md Decisions: a 3xx is an error);
// only the first 100 KB of a body is kept. Addresses are checked against the
// SSRF policy except for hookline's own origins.
//
// The client is undici's (github.com/nodejs/undici, the one behind Node's
// fetch) through its low-level dispatch(): a pool of kept-alive connections per
// origin, at most HOOKLINE_WEBHOOK_CONCURRENCY each, without node:http's
// per-request ClientRequest/IncomingMessage streams. Issue 15's profile of
// bench/webhooks.ts had node:http's request set-up and response streams as the
// largest part of the server's CPU per delivery; undici needs about half.

import { isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
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

/**
 * Connection-specific fields (RFC 9110 §7.6.1) are the client's to manage;
 * undici refuses a request carrying them, so a template's are not forwarded.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length']);

/** undici's own error codes, in the names Particle's logs and node:http use. */
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ESOCKETTIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ESOCKETTIMEDOUT',
  // "other side closed": the connection ended before a complete response.
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_DESTROYED: 'ECONNRESET',
  UND_ERR_INVALID_ARG: 'ERR_INVALID_ARG',
  UND_ERR_NOT_SUPPORTED: 'ERR_INVALID_ARG',
};

function errorCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? 'ERROR';
  if (!code.startsWith('UND_ERR_')) return code;
  // A socket error carries the system's code (ECONNRESET, EPIPE) as its cause.
  if (err.cause?.code && !err.cause.code.startsWith('UND_ERR_')) return err.cause.code;
  return UNDICI_CODES[code] ?? code;
}

export class WebhookSender {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly opts: SenderOptions) {}

  private agent(secure: boolean, guarded: boolean, rejectUnauthorized: boolean): Agent {
    const key = `${secure}|${guarded}|${rejectUnauthorized}`;
    let a = this.agents.get(key);
    if (!a) {
      const lookup = guarded ? (guardedLookup(this.opts.policy) as unknown as typeof import('node:dns').lookup) : undefined;
      const ca = secure && !guarded && this.opts.ownCa ? { ca: this.opts.ownCa } : {};
      a = new Agent({
        connections: this.opts.maxSockets,
        // The deadline is send()'s own timer, over the whole request.
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: { timeout: this.opts.timeoutMs, ...(secure ? { rejectUnauthorized, ...ca } : {}), ...(lookup ? { lookup } : {}) },
      } as Agent.Options);
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
    const headers: Record<string, string> = {};
    let hasAuth = false;
    for (const [k, v] of Object.entries(req.headers)) {
      const lower = k.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      if (lower === 'authorization') hasAuth = true;
      headers[k] = v;
    }
    // Credentials in the URL become Basic auth unless the template sets Authorization (as node:http does).
    if (!hasAuth && (url.username || url.password)) headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    const body = req.body !== undefined ? Buffer.from(req.body, 'utf8') : undefined;
    // undici sends Content-Length: 0 itself for a POST or PUT without a body.

    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      const finish = (r: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const fail = (code: string, message: string) => finish({ ok: false, code, message, latencyMs: elapsed() });
      const timer = setTimeout(() => {
        const code = controller ? 'ESOCKETTIMEDOUT' : 'ETIMEDOUT';
        fail(code, `${code}: no ${controller ? 'response' : 'connection'} from ${url.host} within ${this.opts.timeoutMs / 1000} s`);
        controller?.abort(new Error(code));
      }, this.opts.timeoutMs);
      let status = 0;
      let resHeaders: Record<string, string | string[] | undefined> = {};
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          // Called once a connection is open, as the request is written.
          controller = c;
          if (settled) c.abort(new Error('timed out'));
        },
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          resHeaders = h as Record<string, string | string[] | undefined>;
        },
        onResponseData(_c, chunk) {
          total += chunk.length;
          if (kept < MAX_RESPONSE_BYTES) {
            const part = chunk.subarray(0, MAX_RESPONSE_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
        },
        onResponseEnd() {
          finish({ ok: true, status, headers: resHeaders, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), bodyBytes: total, latencyMs: elapsed() });
        },
        onResponseError(_c, e) {
          fail(errorCode(e), (e as Error).message);
        },
      };
      try {
        this.agent(secure, !exempt, rejectUnauthorized).dispatch({ origin: url.origin, path: url.pathname + url.search, method: req.method, headers, body: body ?? null }, handler);
      } catch (e) {
        fail(errorCode(e), (e as Error).message);
      }
    });
  }

  close(): void {
    for (const a of this.agents.values()) void a.destroy().catch(() => undefined);
    this.agents.clear();
  }
}
