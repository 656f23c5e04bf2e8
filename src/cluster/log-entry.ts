// What the write log (write-log.ts) carries: every change of the time series
// in cluster mode, in the order all nodes apply it. A write keeps its
// line-protocol bytes as the client sent them (the message body) and its
// parameters in one header, so that every node parses the same bytes with the
// same `now` and reaches the same points, drops and errors. Objects (OpenTSDB,
// SELECT INTO, continuous queries) travel as JSON with bigints spelled out.
// Pure: no NATS here, so the codec is tested in memory.

import type { Point } from '../core/point.ts';
import type { DeletePredicate, PointBatch } from '../core/ports/point-store.ts';
import type { Precision, SecNsec } from '../core/time.ts';

export type LogEntry =
  | { kind: 'write'; batch: PointBatch }
  | { kind: 'delete'; bucketId: string; predicate: DeletePredicate }
  | { kind: 'drop-measurement'; bucketId: string; measurement: string };

/** The header part of an entry; the body is the line-protocol bytes or the JSON of the points. */
interface Meta {
  k: LogEntry['kind'];
  b: string;
  /** write: now, format, precision, onParseError, atomic, rejectDuplicateFields */
  n?: [number, number];
  f?: 'lp' | 'points';
  p?: Precision | 'auto';
  e?: 'reject' | 'skip';
  a?: 1;
  d?: 1;
  /** drop-measurement */
  m?: string;
}

export interface EncodedEntry {
  meta: string;
  body: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function encodeEntry(e: LogEntry): EncodedEntry {
  switch (e.kind) {
    case 'write': {
      const b = e.batch;
      const meta: Meta = { k: 'write', b: b.bucketId, n: [b.now.sec, b.now.nsec], e: b.onParseError, ...(b.atomic ? { a: 1 as const } : {}), ...(b.rejectDuplicateFields ? { d: 1 as const } : {}) };
      if (b.data.format === 'line-protocol') return { meta: JSON.stringify({ ...meta, f: 'lp', p: b.data.precision }), body: b.data.body };
      return { meta: JSON.stringify({ ...meta, f: 'points' }), body: Buffer.from(JSON.stringify(b.data.points, bigintOut)) };
    }
    case 'delete':
      return { meta: JSON.stringify({ k: 'delete', b: e.bucketId } satisfies Meta), body: Buffer.from(JSON.stringify(e.predicate, bigintOut)) };
    case 'drop-measurement':
      return { meta: JSON.stringify({ k: 'drop-measurement', b: e.bucketId, m: e.measurement } satisfies Meta), body: EMPTY };
  }
}

export function decodeEntry(metaText: string, body: Uint8Array): LogEntry {
  const m = JSON.parse(metaText) as Meta;
  switch (m.k) {
    case 'write': {
      const now: SecNsec = { sec: m.n![0], nsec: m.n![1] };
      const data: PointBatch['data'] =
        m.f === 'lp' ? { format: 'line-protocol', body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), precision: m.p ?? 'ns' } : { format: 'points', points: JSON.parse(Buffer.from(body).toString('utf8'), bigintIn) as Point[] };
      return { kind: 'write', batch: { bucketId: m.b, data, now, onParseError: m.e ?? 'skip', ...(m.a ? { atomic: true } : {}), ...(m.d ? { rejectDuplicateFields: true } : {}) } };
    }
    case 'delete':
      return { kind: 'delete', bucketId: m.b, predicate: JSON.parse(Buffer.from(body).toString('utf8'), bigintIn) as DeletePredicate };
    case 'drop-measurement':
      return { kind: 'drop-measurement', bucketId: m.b, measurement: m.m ?? '' };
    default:
      throw new Error(`unknown write-log entry kind ${String((m as { k: unknown }).k)}`);
  }
}

// JSON has no bigint: {"$n":"123"} stands for 123n (integer fields beyond 2^53, delete bounds in ns).
function bigintOut(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? { $n: v.toString() } : v;
}
function bigintIn(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.$n === 'string' && Object.keys(o).length === 1) return BigInt(o.$n);
  }
  return v;
}
