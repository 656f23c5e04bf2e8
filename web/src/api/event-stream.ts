// Reads a Particle Server-Sent Events stream with fetch(), so the token
// travels in the Authorization header rather than the URL, and so every event
// name arrives (see lib/sse-parse.ts for why EventSource cannot). Reconnects
// with backoff when the stream drops, as particle-api-js does.

import { SseParser, toParticleEvent, type ParticleEvent } from '../lib/sse-parse.ts';
import { errorMessage, request } from './client.ts';

export type StreamStatus = { state: 'connecting' } | { state: 'open' } | { state: 'retrying'; inMs: number; reason: string } | { state: 'failed'; reason: string } | { state: 'closed' };

export interface EventStream {
  close(): void;
}

export function openEventStream(path: string, onEvent: (e: ParticleEvent) => void, onStatus: (s: StreamStatus) => void): EventStream {
  const abort = new AbortController();
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  const retry = (reason: string) => {
    if (closed) return;
    const inMs = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
    attempt++;
    onStatus({ state: 'retrying', inMs, reason });
    retryTimer = setTimeout(connect, inMs);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    onStatus({ state: 'connecting' });
    let res: Response;
    try {
      res = await request(path, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    } catch (e) {
      if (!closed) retry((e as Error).message);
      return;
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      const reason = errorMessage(res.status, body, 'the event stream was refused');
      // A refused token or a missing endpoint will not fix itself by retrying.
      if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 400) onStatus({ state: 'failed', reason });
      else retry(reason);
      return;
    }
    attempt = 0;
    onStatus({ state: 'open' });
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const m of parser.push(value)) {
          const e = toParticleEvent(m);
          if (e) onEvent(e);
        }
      }
      retry('the server closed the stream');
    } catch (e) {
      if (!closed) retry((e as Error).message);
    }
  }

  void connect();
  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      abort.abort();
      onStatus({ state: 'closed' });
    },
  };
}
