// One POST of a replication batch to `<remoteURL>/api/v2/write`, as InfluxDB
// 2's replication writer sends it (replications/remotewrite/writer.go:
// org and bucket parameters, `Authorization: Token`, gzip, precision ns).
// allowInsecureTLS skips certificate checks (InfluxDB's flag of that name).
// What a failure says is cut to the remote's own `message` (InfluxDB and
// VictoriaMetrics answer JSON) or its status: no more of a remote's body is
// kept, so a replication cannot be used to read internal pages. Internal
// addresses are refused unless HOOKLINE_REPLICATION_ALLOW_PRIVATE allows them,
// checked as webhooks are (integrations/ssrf-guard.ts: every resolved address,
// inside the socket's own lookup, so DNS rebinding cannot slip through).

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { gzipSync } from 'node:zlib';
import { guardedLookup, type AddressPolicy } from '../integrations/ssrf-guard.ts';

export interface SendTarget {
  remoteURL: string;
  token: string;
  remoteOrgID?: string;
  bucket: { id?: string; name?: string };
  allowInsecureTLS: boolean;
  /** Which addresses may be reached; absent: any. */
  policy?: AddressPolicy;
}

export interface SendOutcome {
  /** HTTP status; 0 when no answer came (refused, reset, timeout). */
  status: number;
  message?: string;
  /** Seconds the remote asked to wait (Retry-After on 429/503). */
  retryAfter?: number;
}

export function writeUrl(t: SendTarget): URL {
  const u = new URL(t.remoteURL.replace(/\/+$/, '') + '/api/v2/write');
  if (t.remoteOrgID) u.searchParams.set('org', t.remoteOrgID);
  if (t.bucket.name) u.searchParams.set('bucket', t.bucket.name);
  else if (t.bucket.id) u.searchParams.set('bucket', t.bucket.id);
  u.searchParams.set('precision', 'ns');
  return u;
}

export function sendBatch(t: SendTarget, body: Buffer, timeoutMs: number): Promise<SendOutcome> {
  const url = writeUrl(t);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refused = (h: string) => `refused: ${h} is an internal address (set HOOKLINE_REPLICATION_ALLOW_PRIVATE to allow it)`;
  if (t.policy && isIP(host) && t.policy.blocked(host)) return Promise.resolve({ status: 0, message: refused(host) });
  const lookup = t.policy && !isIP(host) ? { lookup: guardedLookup(t.policy) as unknown as typeof import('node:dns').lookup } : {};
  const gz = gzipSync(body);
  return new Promise((resolve) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Token ${t.token}`,
          'content-type': 'text/plain; charset=utf-8',
          'content-encoding': 'gzip',
          'content-length': gz.length,
          'user-agent': 'hookline-replication',
        },
        timeout: timeoutMs,
        ...lookup,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !t.allowInsecureTLS } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ra = Number(res.headers['retry-after']);
          resolve({ status, message: status >= 300 ? messageOf(status, Buffer.concat(chunks).toString('utf8')) : undefined, retryAfter: Number.isFinite(ra) && ra > 0 ? ra : undefined });
        });
        res.on('error', (e) => resolve({ status: 0, message: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      resolve({ status: 0, message: code === 'EADDRBLOCKED' ? refused(host) : `${url.origin}: ${code ?? ''} ${e.message}`.trim() });
    });
    req.end(gz);
  });
}

function messageOf(status: number, body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown; error?: unknown }).message ?? (JSON.parse(body) as { error?: unknown }).error;
    if (typeof m === 'string') return `${status}: ${m.slice(0, 300)}`;
  } catch {
    // not JSON: the status alone
  }
  return `HTTP ${status}`;
}

/** 429 and 5xx and no answer at all are worth retrying; other 4xx mean the data or the setup is wrong. */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
