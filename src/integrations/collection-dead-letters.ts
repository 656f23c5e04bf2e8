// Dead letters kept in a Collection (core/ports/collection.ts): with several
// nodes a JetStream key-value bucket <ns>_dead_letters, so a delivery one node
// gave up on is listed, retried and purged through any node (issue 16). Same
// contract as the catalog's DeadLetters (dead-letters.ts): the newest
// DEAD_KEEP per integration are kept.

import type { Collection } from '../core/ports/collection.ts';
import { fromJson, toJson, type EventJson } from '../events/event.ts';
import { DEAD_KEEP, type DeadLetterStore, type ListedDeadLetter } from './dead-letters.ts';
import type { DeadLetter } from './delivery-queue.ts';

export interface DeadLetterDoc {
  orgId: string;
  integrationId: string;
  eventId: string;
  attempts: number;
  reason: string;
  at: string;
  event: EventJson;
}

/** KV keys allow [-/_=.A-Za-z0-9]: the event id is hex-encoded. */
const keyOf = (integrationId: string, eventId: string) => `${integrationId}.${Buffer.from(eventId).toString('hex')}`;

const newestFirst = (a: DeadLetterDoc, b: DeadLetterDoc) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.eventId < b.eventId ? 1 : -1);

export class CollectionDeadLetters implements DeadLetterStore {
  constructor(
    private readonly docs: Collection<DeadLetterDoc>,
    private readonly warn: (msg: string, extra?: Record<string, unknown>) => void,
  ) {}

  async file(letters: DeadLetter[]): Promise<void> {
    await this.docs.putMany(
      letters.map((l) => [keyOf(l.integrationId, l.event.id), { orgId: l.event.orgId, integrationId: l.integrationId, eventId: l.event.id, attempts: l.attempts, reason: l.reason, at: l.at, event: toJson(l.event) }]),
    );
    for (const id of new Set(letters.map((l) => l.integrationId))) await this.trim(id);
  }

  private of(orgId: string | undefined, integrationId?: string, eventId?: string): DeadLetterDoc[] {
    return [...this.docs.values()].filter((d) => (orgId === undefined || d.orgId === orgId) && (integrationId === undefined || d.integrationId === integrationId) && (eventId === undefined || d.eventId === eventId));
  }

  async list(orgId: string, integrationId?: string, limit = 100): Promise<ListedDeadLetter[]> {
    return this.of(orgId, integrationId)
      .sort(newestFirst)
      .slice(0, limit)
      .map((d) => ({ integrationId: d.integrationId, attempts: d.attempts, reason: d.reason, at: d.at, event: d.event }));
  }

  async count(orgId?: string): Promise<number> {
    return this.of(orgId).length;
  }

  async countOf(orgId: string, integrationId: string): Promise<number> {
    return this.of(orgId, integrationId).length;
  }

  async take(orgId: string, integrationId?: string, eventId?: string): Promise<DeadLetter[]> {
    const docs = this.of(orgId, integrationId, eventId).sort((a, b) => -newestFirst(a, b));
    for (const d of docs) await this.docs.delete(keyOf(d.integrationId, d.eventId));
    return docs.map((d) => ({ integrationId: d.integrationId, attempts: d.attempts, reason: d.reason, at: d.at, event: fromJson(d.event) }));
  }

  async purge(orgId: string, integrationId?: string): Promise<number> {
    const docs = this.of(orgId, integrationId);
    for (const d of docs) await this.docs.delete(keyOf(d.integrationId, d.eventId));
    return docs.length;
  }

  private async trim(integrationId: string): Promise<void> {
    const docs = this.of(undefined, integrationId);
    if (docs.length <= DEAD_KEEP) return;
    const old = docs.sort(newestFirst).slice(DEAD_KEEP);
    this.warn('dropping the oldest dead letters', { dropped: old.length, keptPerIntegration: DEAD_KEEP });
    for (const d of old) await this.docs.delete(keyOf(d.integrationId, d.eventId));
  }

  close(): void {}
}
