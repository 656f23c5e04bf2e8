// Server-Sent Events in Particle's framing (docs.particle.io/reference/cloud-apis/api, spark-server's
// EventViews001.js): headers text/event-stream, no-cache, keep-alive; ":ok"
// first; each event "event: <name>\ndata: <one-line JSON>\n\n"; a "\n" when
// nothing else was written for half the keep-alive period, so the longest
// silence is HOOKLINE's 9 s, under particle-api-js's 15 s idle timeout.
// Best effort: a client that stops reading (4 MiB backlog) is disconnected.

import type { ServerResponse } from 'node:http';
import type { EventBus } from './event-bus.ts';
import { sseJson } from './event.ts';
import type { DeviceEvent } from '../core/device-event.ts';

export const KEEP_ALIVE_MS = 9000;
const MAX_BACKLOG = 4 * 1024 * 1024;

export interface SseFilter {
  /** Events of these orgs only. */
  canRead: (orgId: string) => boolean;
  /** Case-sensitive name prefix (docs.particle.io/reference/cloud-apis/api [INFERRED] like webhooks). */
  prefix?: string;
  /** One device (coreid) only. */
  coreid?: string;
}

export function matchesFilter(ev: DeviceEvent, f: SseFilter): boolean {
  if (f.coreid !== undefined && ev.coreid !== f.coreid) return false;
  if (f.prefix && !ev.name.startsWith(f.prefix)) return false;
  return f.canRead(ev.orgId);
}

export function frameEvent(ev: DeviceEvent): string {
  return `event: ${ev.name.replace(/[\r\n]/g, ' ')}\ndata: ${sseJson(ev)}\n\n`;
}

/** Streams matching events to `res` until the client goes away; returns a stop function. */
export function streamEvents(res: ServerResponse, bus: EventBus, filter: SseFilter, keepAliveMs = KEEP_ALIVE_MS): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(':ok\n\n');
  let last = Date.now();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    clearInterval(timer);
    if (!res.writableEnded) res.end();
  };
  const unsubscribe = bus.subscribe((ev) => {
    if (!matchesFilter(ev, filter)) return;
    if (res.writableLength > MAX_BACKLOG) return void res.destroy();
    res.write(frameEvent(ev));
    last = Date.now();
  });
  const timer = setInterval(() => {
    if (Date.now() - last >= keepAliveMs / 2) {
      res.write('\n');
      last = Date.now();
    }
  }, keepAliveMs / 2);
  timer.unref();
  res.on('close', stop);
  res.on('error', stop);
  return stop;
}
