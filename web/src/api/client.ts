// fetch() against hookline's public API with the signed-in token. Every API
// family has its own error body ({"code","message"} for InfluxDB 2, {"error"}
// for 1.x/3.x, {"ok":false,"error"} for Particle); errorMessage() reads them all.

import { getToken } from './session.ts';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners: Listener[] = [];

/** Called when the server refuses the token (revoked, deactivated): the shell goes back to sign-in. */
export function onUnauthorized(fn: Listener): void {
  unauthorizedListeners.push(fn);
}

export function errorMessage(status: number, body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.error_description === 'string') return b.error_description;
    if (typeof b.message === 'string') return b.message;
    if (typeof b.error === 'string') return b.error;
    if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string') return (b.error as { message: string }).message;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  return `${fallback} (HTTP ${status})`;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  token?: string;
  signal?: AbortSignal;
  /** Leave a 401 to the caller (sign-in checks a token that is not stored yet). */
  quiet401?: boolean;
}

export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  const token = opts.token ?? getToken();
  if (token && !headers.has('authorization')) headers.set('authorization', `Token ${token}`);
  let body = opts.body;
  if (opts.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(path, { method: opts.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, signal: opts.signal });
  if (res.status === 401 && !opts.quiet401) for (const fn of unauthorizedListeners) fn();
  return res;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON API call: the parsed body, or an ApiError carrying the server's own message. */
export async function call<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  const body = await readBody(res);
  if (!res.ok) throw new ApiError(errorMessage(res.status, body, `${opts.method ?? 'GET'} ${path} failed`), res.status, body);
  return body as T;
}
