// A minimal HTTP client on node:http. The load generator shares two cores
// with the server under test, so every microsecond the client spends is taken
// from the server: node:http with a keep-alive agent costs far less per
// request than fetch (undici's web-streams layer), and it lets us send a
// pre-built Buffer without copying it.
import http from 'node:http';

export const HOST = '127.0.0.1';

export interface HttpResponse {
  readonly status: number;
  /** Response headers, lower-case names (node:http). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface HttpRequestOptions {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  /** Path with query string, already URL-encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** Reuse connections (load phase). Without one, a fresh connection is used. */
  readonly agent?: http.Agent;
  /** Longest silence on the socket before giving up: a server that hangs must not hang the benchmark. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = Buffer.byteLength(options.body);
    const req = http.request(
      {
        host: HOST,
        port: options.port,
        method: options.method,
        path: options.path,
        headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => {
      req.destroy(new Error(`${options.method} ${options.path}: no answer for ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Shortens a response body for an error message. */
export function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} chars)`;
}

/** Throws with the status and body when the response is not the one expected. */
export function expectStatus(res: HttpResponse, expected: number | '2xx', what: string): void {
  const ok = expected === '2xx' ? res.status >= 200 && res.status < 300 : res.status === expected;
  if (!ok) throw new Error(`${what}: expected HTTP ${expected}, got ${res.status}: ${clip(res.body)}`);
}

/** GET that reports success as a boolean; for readiness probes, where refusals are expected. */
export async function probe(port: number, path: string, expected: number): Promise<boolean> {
  try {
    const res = await httpRequest({ port, method: 'GET', path, timeoutMs: 2000 });
    return res.status === expected;
  } catch {
    return false;
  }
}
