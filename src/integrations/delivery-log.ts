// The per-integration delivery log and daily counters (docs.particle.io/integrations/webhooks "Console
// monitoring"): Particle keeps the last 10 successes and 10 errors; hookline
// keeps the last 100 of each (errors and skips together), each with the
// request as sent (secrets masked), the response status, headers and a body
// excerpt, the latency and the attempt number; plus success/error/skipped
// counts per UTC day for 30 days. Kept in memory and saved every 10 s (and on close),
// one catalog row per changed integration (never a write per delivery).

import type { SerialConnection } from '../storage/duck/duck.ts';
import type { Recorded } from './recorded.ts';

export const LOG_KEEP = 100;
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

  /** Only a masked entry (recorded.ts) can be kept. */
  record(integrationId: string, e: Recorded<DeliveryLogEntry>): void {
    const l = this.log(integrationId);
    const ring = e.outcome === 'success' ? l.ok : l.failed;
    ring.push(e);
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

  /** Newest first; `outcome` narrows to one kind. */
  entries(integrationId: string, opts: { limit?: number; outcome?: Outcome } = {}): DeliveryLogEntry[] {
    const l = this.logs.get(integrationId);
    if (!l) return [];
    let all = [...l.ok, ...l.failed];
    if (opts.outcome) all = all.filter((e) => e.outcome === opts.outcome);
    all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return all.slice(0, opts.limit ?? 2 * LOG_KEEP);
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
    clearInterval(this.timer);
    await this.flush();
  }
}
