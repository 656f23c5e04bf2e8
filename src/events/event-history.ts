// Recent events per device, for the explorer and GET /api/hookline/devices/:id/events
// (issue 4: "events are also recorded"). The newest HOOKLINE_EVENT_HISTORY
// events of each device id (including "api" and "particle-internal") and of
// each org are kept in memory; they are appended to the catalog table
// ev_history in batches (DuckDB appender, every 2 s) and trimmed every minute,
// so a restart shows the same history, less at most the last 2 s.

import type { SerialConnection } from '../storage/duck/duck.ts';
import type { DeviceEvent } from '../core/device-event.ts';

const DDL = `CREATE TABLE IF NOT EXISTS ev_history (org_id VARCHAR, coreid VARCHAR, id VARCHAR, name VARCHAR, data VARCHAR, ttl INTEGER, published_at VARCHAR, public BOOLEAN, internal BOOLEAN)`;

/** Rows per synchronous appender flush (a few ms of the event loop each). */
const FLUSH_CHUNK = 256;

class Ring {
  private readonly items: DeviceEvent[] = [];
  constructor(private readonly max: number) {}
  push(ev: DeviceEvent): void {
    this.items.push(ev);
    if (this.items.length > this.max * 1.25) this.items.splice(0, this.items.length - this.max);
  }
  /** Newest first. */
  newest(limit: number): DeviceEvent[] {
    const out: DeviceEvent[] = [];
    for (let i = this.items.length - 1; i >= 0 && out.length < limit && out.length < this.max; i--) out.push(this.items[i]);
    return out;
  }
}

export class EventHistory {
  private readonly devices = new Map<string, Ring>();
  private readonly orgs = new Map<string, Ring>();
  private buffer: DeviceEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: SerialConnection,
    readonly perDevice: number,
  ) {}

  static async open(db: SerialConnection, perDevice: number): Promise<EventHistory> {
    const h = new EventHistory(db, perDevice);
    await db.exec(DDL);
    if (perDevice <= 0) return h;
    const rows = await db.rows<Record<string, unknown>>(
      `SELECT * FROM ev_history QUALIFY row_number() OVER (PARTITION BY org_id, coreid ORDER BY published_at DESC, id DESC) <= ? ORDER BY published_at, id`,
      [perDevice],
    );
    for (const r of rows) {
      h.remember({ orgId: String(r.org_id), coreid: String(r.coreid), id: String(r.id), name: String(r.name), data: r.data === null ? null : String(r.data), ttl: Number(r.ttl), publishedAt: String(r.published_at), public: r.public === true, internal: r.internal === true });
    }
    h.flushTimer = setInterval(() => void h.flush(), 2000);
    h.flushTimer.unref();
    h.trimTimer = setInterval(() => void h.trim(), 60_000);
    h.trimTimer.unref();
    return h;
  }

  private remember(ev: DeviceEvent): void {
    const dk = `${ev.orgId}/${ev.coreid}`;
    let r = this.devices.get(dk);
    if (!r) this.devices.set(dk, (r = new Ring(this.perDevice)));
    r.push(ev);
    let o = this.orgs.get(ev.orgId);
    if (!o) this.orgs.set(ev.orgId, (o = new Ring(Math.max(this.perDevice, 1000))));
    o.push(ev);
  }

  record(ev: DeviceEvent): void {
    if (this.perDevice <= 0) return;
    this.remember(ev);
    this.buffer.push(ev);
  }

  /** Newest first. `coreid` undefined = every device of the org. */
  recent(orgId: string, coreid: string | undefined, limit: number): DeviceEvent[] {
    const r = coreid === undefined ? this.orgs.get(orgId) : this.devices.get(`${orgId}/${coreid}`);
    return r ? r.newest(limit) : [];
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.buffer;
      if (batch.length === 0) return;
      this.buffer = [];
      await this.db
        .transaction(async (c) => {
          // DuckDB's appender is synchronous: one appender for a whole batch
          // (every hook-sent result at 1,000 deliveries/s: thousands of rows)
          // held the event loop 25-80 ms every 2 s, the tail of webhook latency
          // (issue 15). Chunks with a turn of the event loop between them, in
          // one transaction whose commit (the disk write) runs off the event loop.
          for (let at = 0; at < batch.length; at += FLUSH_CHUNK) {
            if (at > 0) await new Promise<void>((r) => setImmediate(r));
            const app = await c.createAppender('ev_history');
            for (const ev of batch.slice(at, at + FLUSH_CHUNK)) {
              app.appendVarchar(ev.orgId);
              app.appendVarchar(ev.coreid);
              app.appendVarchar(ev.id);
              app.appendVarchar(ev.name);
              if (ev.data === null) app.appendNull();
              else app.appendVarchar(ev.data);
              app.appendInteger(ev.ttl);
              app.appendVarchar(ev.publishedAt);
              app.appendBoolean(ev.public);
              app.appendBoolean(ev.internal);
              app.endRow();
            }
            app.flushSync();
            app.closeSync();
          }
        })
        .catch(() => undefined);
    });
    return this.flushing;
  }

  private async trim(): Promise<void> {
    await this.flush();
    await this.db
      .exec(
        `DELETE FROM ev_history WHERE (org_id, coreid, id) IN (SELECT org_id, coreid, id FROM ev_history QUALIFY row_number() OVER (PARTITION BY org_id, coreid ORDER BY published_at DESC, id DESC) > ?)`,
        [this.perDevice],
      )
      .catch(() => undefined);
  }

  async deleteDevice(orgId: string, coreid: string): Promise<void> {
    this.devices.delete(`${orgId}/${coreid}`);
    await this.flush();
    await this.db.exec(`DELETE FROM ev_history WHERE org_id = ? AND coreid = ?`, [orgId, coreid]);
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.trimTimer);
    await this.flush();
  }
}
