// Dead letters: deliveries that failed for good (out of attempts, or refused
// in a way no retry fixes). Filed in the catalog table ev_dead_letters before
// they leave the delivery queue, so an accepted event is always either
// delivered or listed here (the newest 10,000 per integration are kept; older
// ones are dropped with a warning). They can be listed, retried and purged.

import type { SerialConnection } from '../storage/duck/duck.ts';
import { fromJson, toJson, type EventJson } from '../events/event.ts';
import type { DeadLetter } from './delivery-queue.ts';

export const DEAD_KEEP = 10_000;

/** A dead letter as listed: its event as JSON. */
export type ListedDeadLetter = Omit<DeadLetter, 'event'> & { event: EventJson };

/** Where dead letters are kept: the catalog alone (DeadLetters), a JetStream key-value bucket shared by every node (CollectionDeadLetters). */
export interface DeadLetterStore {
  file(letters: DeadLetter[]): Promise<void>;
  list(orgId: string, integrationId?: string, limit?: number): Promise<ListedDeadLetter[]>;
  count(orgId?: string): Promise<number>;
  countOf(orgId: string, integrationId: string): Promise<number>;
  /** Removes and returns the org's dead letters (optionally one integration's, or one event's), oldest first, for a retry. */
  take(orgId: string, integrationId?: string, eventId?: string): Promise<DeadLetter[]>;
  purge(orgId: string, integrationId?: string): Promise<number>;
  close(): void;
}

export class DeadLetters implements DeadLetterStore {
  private trimTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly db: SerialConnection,
    private readonly warn: (msg: string, extra?: Record<string, unknown>) => void,
  ) {}

  static async open(db: SerialConnection, warn: (msg: string, extra?: Record<string, unknown>) => void): Promise<DeadLetters> {
    const d = new DeadLetters(db, warn);
    await db.exec(
      `CREATE TABLE IF NOT EXISTS ev_dead_letters (id VARCHAR PRIMARY KEY, org_id VARCHAR, integration_id VARCHAR, event_id VARCHAR, attempts INTEGER, reason VARCHAR, failed_at VARCHAR, event VARCHAR)`,
    );
    d.trimTimer = setInterval(() => void d.trim(), 60_000);
    d.trimTimer.unref();
    return d;
  }

  async file(letters: DeadLetter[]): Promise<void> {
    await this.db.transaction(async (c) => {
      for (const l of letters) {
        await c.run(`INSERT OR REPLACE INTO ev_dead_letters VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
          `${l.integrationId}/${l.event.id}`,
          l.event.orgId,
          l.integrationId,
          l.event.id,
          l.attempts,
          l.reason,
          l.at,
          JSON.stringify(toJson(l.event)),
        ]);
      }
    });
  }

  async list(orgId: string, integrationId?: string, limit = 100): Promise<ListedDeadLetter[]> {
    const rows = await this.db.rows<Record<string, unknown>>(
      `SELECT * FROM ev_dead_letters WHERE org_id = ? AND (? IS NULL OR integration_id = ?) ORDER BY failed_at DESC, id LIMIT ?`,
      [orgId, integrationId ?? null, integrationId ?? null, limit],
    );
    return rows.map((r) => ({ integrationId: String(r.integration_id), attempts: Number(r.attempts), reason: String(r.reason), at: String(r.failed_at), event: JSON.parse(String(r.event)) as EventJson }));
  }

  async count(orgId?: string): Promise<number> {
    const r = await this.db.rows<{ n: bigint }>(`SELECT count(*) AS n FROM ev_dead_letters WHERE ? IS NULL OR org_id = ?`, [orgId ?? null, orgId ?? null]);
    return Number(r[0]?.n ?? 0);
  }

  async countOf(orgId: string, integrationId: string): Promise<number> {
    const r = await this.db.rows<{ n: bigint }>(`SELECT count(*) AS n FROM ev_dead_letters WHERE org_id = ? AND integration_id = ?`, [orgId, integrationId]);
    return Number(r[0]?.n ?? 0);
  }

  /** Removes and returns the org's dead letters (optionally one integration's, or one event's), oldest first, for a retry. */
  async take(orgId: string, integrationId?: string, eventId?: string): Promise<DeadLetter[]> {
    const where = `org_id = $1 AND ($2 IS NULL OR integration_id = $2) AND ($3 IS NULL OR event_id = $3)`;
    const args = [orgId, integrationId ?? null, eventId ?? null];
    return this.db.transaction(async (c) => {
      const r = await c.runAndReadAll(`SELECT * FROM ev_dead_letters WHERE ${where} ORDER BY failed_at, id`, args);
      const rows = r.getRowObjectsJS() as Array<Record<string, unknown>>;
      await c.run(`DELETE FROM ev_dead_letters WHERE ${where}`, args);
      return rows.map((x) => ({ integrationId: String(x.integration_id), attempts: Number(x.attempts), reason: String(x.reason), at: String(x.failed_at), event: fromJson(JSON.parse(String(x.event)) as EventJson) }));
    });
  }

  async purge(orgId: string, integrationId?: string): Promise<number> {
    const n = (await this.list(orgId, integrationId, 1_000_000)).length;
    await this.db.exec(`DELETE FROM ev_dead_letters WHERE org_id = $1 AND ($2 IS NULL OR integration_id = $2)`, [orgId, integrationId ?? null]);
    return n;
  }

  private async trim(): Promise<void> {
    try {
      const r = await this.db.rows<{ n: bigint }>(
        `SELECT count(*) AS n FROM (SELECT id FROM ev_dead_letters QUALIFY row_number() OVER (PARTITION BY integration_id ORDER BY failed_at DESC, id DESC) > ?)`,
        [DEAD_KEEP],
      );
      const n = Number(r[0]?.n ?? 0);
      if (n === 0) return;
      this.warn('dropping the oldest dead letters', { dropped: n, keptPerIntegration: DEAD_KEEP });
      await this.db.exec(`DELETE FROM ev_dead_letters WHERE id IN (SELECT id FROM ev_dead_letters QUALIFY row_number() OVER (PARTITION BY integration_id ORDER BY failed_at DESC, id DESC) > ?)`, [DEAD_KEEP]);
    } catch {
      // trimming is best effort; the next minute tries again
    }
  }

  close(): void {
    clearInterval(this.trimTimer);
  }
}
