// The per-integration delivery log and daily counters (docs.particle.io/integrations/webhooks "Console
// monitoring"): Particle keeps the last 10 successes and 10 errors; hookline
// keeps the last 100 of each (errors and skips together), each with the
// request as sent (secrets masked), the response status, headers and a body
// excerpt, the latency and the attempt number; plus success/error/skipped
// counts per UTC day for 30 days. Skips (the host sleeping) have a ring of
// their own, so a sleeping host cannot push the one useful error out. The
// current failure episode (since the last success: first failure, attempts,
// last cause, skips) and failures grouped by cause (kept 30 days) feed the
// integration's one-line status (integration-status.ts). Kept in memory and saved every 10 s (and on close),
// one catalog row per changed integration (never a write per delivery).

import type { SerialConnection } from '../storage/duck/duck.ts';
import { causeOf } from './failure-cause.ts';
import type { Recorded } from './recorded.ts';

export const LOG_KEEP = 100;

/** A best-effort broadcast between nodes (core NATS subjects; see events/nats-hub.ts). */
export interface Channel {
  publish(msg: unknown): void;
  /** Returns the unsubscribe function. */
  subscribe(fn: (msg: unknown) => void): () => void;
}
export const EXCERPT_BYTES = 4096;
const DAYS_KEPT = 30;

export type Outcome = 'success' | 'error' | 'skipped';

export interface DeliveryLogEntry {
  at: string;
  eventId: string;
  eventName: string;
  coreid: string;
  attempt: number;
  outcome: Outcome;
  latencyMs?: number;
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string; bytes: number };
  error?: string;
  /** What happens next: "retry at …", "dead-lettered", or absent when finished. */
  next?: string;
  /** When the next attempt is due (RFC 3339), with next = "retry at …". */
  retryAt?: string;
}

export interface CauseCount {
  cause: string;
  count: number;
  first: string;
  last: string;
}

/** Failures since the last success; absent while healthy. */
export interface FailureEpisode {
  since: string;
  /** Attempts that went out and failed. */
  attempts: number;
  /** Deliveries skipped because the host slept. */
  skipped: number;
  cause?: string;
  last?: string;
}

export interface DayCounts {
  date: string;
  success: number;
  error: number;
  skipped: number;
}

interface IntegrationLog {
  ok: DeliveryLogEntry[];
  failed: DeliveryLogEntry[];
  days: DayCounts[];
  /** Absent in logs saved before skips had their own ring. */
  skipped?: DeliveryLogEntry[];
  causes?: Record<string, Omit<CauseCount, 'cause'>>;
  episode?: FailureEpisode;
  lastSuccess?: string;
}

export function excerpt(s: string | undefined, max = EXCERPT_BYTES): string | undefined {
  if (s === undefined || Buffer.byteLength(s) <= max) return s;
  return Buffer.from(s).subarray(0, max).toString('utf8') + `… (${Buffer.byteLength(s)} bytes)`;
}

export class DeliveryLog {
  private readonly logs = new Map<string, IntegrationLog>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly db: SerialConnection) {}

  static async open(db: SerialConnection, flushMs = 10_000): Promise<DeliveryLog> {
    const l = new DeliveryLog(db);
    await db.exec(`CREATE TABLE IF NOT EXISTS ev_delivery_logs (id VARCHAR PRIMARY KEY, doc VARCHAR NOT NULL)`);
    for (const r of await db.rows<{ id: string; doc: string }>(`SELECT id, doc FROM ev_delivery_logs`)) l.logs.set(r.id, JSON.parse(r.doc) as IntegrationLog);
    l.timer = setInterval(() => void l.flush().catch(() => undefined), flushMs);
    l.timer.unref();
    return l;
  }

  private log(id: string): IntegrationLog {
    let l = this.logs.get(id);
    if (!l) this.logs.set(id, (l = { ok: [], failed: [], days: [] }));
    return l;
  }

  /** Shares entries with the other nodes (several nodes): each node keeps every node's entries. */
  share(channel: Channel, nodeId: string): void {
    this.publish = (integrationId, e) => channel.publish({ n: nodeId, i: integrationId, e });
    this.unshare = channel.subscribe((m) => {
      const msg = m as { n?: string; i?: string; e?: Recorded<DeliveryLogEntry> };
      if (msg.n === nodeId || typeof msg.i !== 'string' || !msg.e) return;
      this.keep(msg.i, msg.e);
    });
  }

  private publish: ((integrationId: string, e: Recorded<DeliveryLogEntry>) => void) | undefined;
  private unshare: (() => void) | undefined;

  /** Only a masked entry (recorded.ts) can be kept. */
  record(integrationId: string, e: Recorded<DeliveryLogEntry>): void {
    this.keep(integrationId, e);
    this.publish?.(integrationId, e);
  }

  private keep(integrationId: string, e: Recorded<DeliveryLogEntry>): void {
    const l = this.log(integrationId);
    const ring = e.outcome === 'success' ? l.ok : e.outcome === 'skipped' ? (l.skipped ??= []) : l.failed;
    ring.push(e);
    this.track(l, e);
    if (ring.length > LOG_KEEP) ring.splice(0, ring.length - LOG_KEEP);
    const date = e.at.slice(0, 10);
    let day = l.days[l.days.length - 1];
    if (!day || day.date !== date) {
      l.days.push((day = { date, success: 0, error: 0, skipped: 0 }));
      if (l.days.length > DAYS_KEPT) l.days.splice(0, l.days.length - DAYS_KEPT);
    }
    day[e.outcome]++;
    this.dirty.add(integrationId);
  }

  private track(l: IntegrationLog, e: DeliveryLogEntry): void {
    if (e.outcome === 'success') {
      l.lastSuccess = e.at;
      delete l.episode;
      return;
    }
    const ep = (l.episode ??= { since: e.at, attempts: 0, skipped: 0 });
    if (e.outcome === 'skipped') {
      ep.skipped++;
      return;
    }
    const cause = causeOf(e);
    ep.attempts++;
    ep.cause = cause;
    ep.last = e.at;
    const causes = (l.causes ??= {});
    const c = (causes[cause] ??= { count: 0, first: e.at, last: e.at });
    c.count++;
    c.last = e.at;
    const cutoff = new Date(Date.parse(e.at) - DAYS_KEPT * 86_400_000).toISOString();
    for (const [k, v] of Object.entries(causes)) if (v.last < cutoff) delete causes[k];
  }

  /** The current failure episode (undefined while healthy) and failures by cause, most frequent first. */
  failures(integrationId: string): { episode?: FailureEpisode; lastSuccess?: string; causes: CauseCount[] } {
    const l = this.logs.get(integrationId);
    const causes = Object.entries(l?.causes ?? {}).map(([cause, c]) => ({ cause, ...c }));
    causes.sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : -1));
    return { ...(l?.episode ? { episode: { ...l.episode } } : {}), ...(l?.lastSuccess ? { lastSuccess: l.lastSuccess } : {}), causes };
  }

  /** Newest first; `outcome` narrows to one kind. */
  entries(integrationId: string, opts: { limit?: number; outcome?: Outcome } = {}): DeliveryLogEntry[] {
    const l = this.logs.get(integrationId);
    if (!l) return [];
    let all = [...l.ok, ...l.failed, ...(l.skipped ?? [])];
    if (opts.outcome) all = all.filter((e) => e.outcome === opts.outcome);
    all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return all.slice(0, opts.limit ?? 3 * LOG_KEEP);
  }

  counters(integrationId: string): DayCounts[] {
    return [...(this.logs.get(integrationId)?.days ?? [])].reverse();
  }

  today(integrationId: string, now = new Date()): DayCounts {
    const date = now.toISOString().slice(0, 10);
    return this.logs.get(integrationId)?.days.find((d) => d.date === date) ?? { date, success: 0, error: 0, skipped: 0 };
  }

  async remove(integrationId: string): Promise<void> {
    this.logs.delete(integrationId);
    this.dirty.delete(integrationId);
    await this.db.exec(`DELETE FROM ev_delivery_logs WHERE id = ?`, [integrationId]);
  }

  async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    if (ids.length === 0) return;
    await this.db.transaction(async (c) => {
      for (const id of ids) {
        const l = this.logs.get(id);
        if (l) await c.run(`INSERT OR REPLACE INTO ev_delivery_logs VALUES (?, ?)`, [id, JSON.stringify(l)]);
      }
    });
  }

  async close(): Promise<void> {
    this.unshare?.();
    clearInterval(this.timer);
    await this.flush();
  }
}
