// Records of the delivery queue's write-ahead log. They reuse the storage
// WAL's framing (length + CRC-32C, torn tails detected: src/storage/wal/
// wal-record.ts) with kinds of their own and a JSON payload:
//   ENQUEUE  {s, e, t}      event number s, the event, the integration ids it goes to
//   DONE     {s, i}         delivery (s, integration i) finished: delivered, refused for good, or filed as dead letter
//   RETRY    {s, i, a, n}   a attempts made, next one not before n (ms)
//   DEAD     {s, i, a, r}   out of attempts (or refused for good) with reason r; to be filed, then DONE
//   SNAPSHOT {next, ev, d}  the whole pending state; replay restarts from it
//   BATCH    {b}            DONE/RETRY/DEAD records of one event-loop turn, in order
//                           (one append instead of one per finished delivery)
// A snapshot is written first in a fresh segment, after which every older
// segment is deleted (compaction).

import { encodeRecordHead, sealRecord, type WalRecord } from '../storage/wal/wal-record.ts';
import type { EventJson } from '../events/event.ts';

export const REC_ENQUEUE = 11;
export const REC_DONE = 12;
export const REC_RETRY = 13;
export const REC_DEAD = 14;
export const REC_SNAPSHOT = 15;
export const REC_BATCH = 16;

export interface SnapshotDelivery {
  s: number;
  i: string;
  a: number;
  n: number;
  /** Dead, awaiting filing, with this reason. */
  r?: string;
}

export type QueueRecord =
  | { kind: typeof REC_ENQUEUE; s: number; e: EventJson; t: string[] }
  | { kind: typeof REC_DONE; s: number; i: string }
  | { kind: typeof REC_RETRY; s: number; i: string; a: number; n: number }
  | { kind: typeof REC_DEAD; s: number; i: string; a: number; r: string }
  | { kind: typeof REC_SNAPSHOT; next: number; ev: Array<{ s: number; e: EventJson }>; d: SnapshotDelivery[] }
  | { kind: typeof REC_BATCH; b: QueueRecord[] };

export function encodeQueueRecord(r: QueueRecord): Buffer[] {
  const { kind, ...rest } = r;
  const payload = Buffer.from(JSON.stringify(rest), 'utf8');
  const head = encodeRecordHead({ kind, precision: 's', nowSec: 0, nowNsec: 0, header: {} }, payload.length);
  sealRecord(head, payload);
  return [head, payload];
}

export function decodeQueueRecord(w: WalRecord): QueueRecord | undefined {
  if (w.kind < REC_ENQUEUE || w.kind > REC_BATCH) return undefined;
  const body = JSON.parse(Buffer.from(w.payload).toString('utf8')) as Record<string, unknown>;
  return { kind: w.kind, ...body } as QueueRecord;
}
