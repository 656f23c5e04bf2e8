// The simulators and the demo talk to hookline as any client would: over
// HTTP, with a token, through the public API only.

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

export interface Client {
  base: string;
  token: string;
  call<T = unknown>(path: string, init?: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<T>;
}

export function createClient(base: string, token: string): Client {
  const root = base.replace(/\/+$/, '');
  return {
    base: root,
    token,
    async call<T>(path: string, init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
      let body = init.body;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      }
      const res = await fetch(root + path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
      const text = await res.text();
      if (!res.ok) throw new HttpError(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`, res.status, text);
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        return text as T;
      }
    },
  };
}
