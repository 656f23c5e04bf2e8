// The one ingest call (conventions habit 2; VictoriaMetrics' insertRows, which
// every protocol handler of vminsert ends in). HTTP v1/v2/v3 line protocol,
// OpenTSDB's /api/put and telnet `put`, SELECT INTO and continuous queries,
// and any later transport (MQTT line protocol, Prometheus remote write) call
// `ingest()`; none of them touches the store. server.ts builds one pipeline
// over the PointStore port.
//
// What is decided here, once:
// - the write's server time (`now`): the caller's, or this pipeline's clock;
// - the write into the store, in one bucket (the caller resolved it: bucket
//   resolution depends on the dialect's parameters and stays at the edge);
// - what comes back: the PointStore's WriteResult (per-line parse errors, per-
//   point drops) plus the `now` used, whatever the transport. Refusals the
//   whole write meets are coded HooklineErrors, thrown: HL_OVERLOADED (503,
//   Retry-After) when the write buffer is full, HL_WAL_FAILED (500) when the
//   log cannot be made durable (`isWriteUnavailable`).
//
// Line-protocol bytes go to the store as they came (the WAL keeps them as
// sent, the store's parser reads them once): no decoding or re-encoding here.

import { ERRORS, HooklineError } from '../core/errors.ts';
import type { PointData, PointStore, WriteResult } from '../core/ports/point-store.ts';
import { nowSecNsec, type SecNsec } from '../core/time.ts';
import { forEachRow, type WrittenRow } from './written-rows.ts';

export interface IngestRequest {
  bucketId: string;
  data: PointData;
  /** Server time of the write; absent: the pipeline's clock, read once per call. */
  now?: SecNsec;
  /** A line that does not parse refuses the whole batch (InfluxDB 2) or only itself (1.x, 3.x, OpenTSDB, INTO). */
  onParseError: 'reject' | 'skip';
  /** Write nothing when any line or point is refused (InfluxDB 3 accept_partial=false). */
  atomic?: boolean;
  /** Refuse a line that names the same field twice (InfluxDB 3). */
  rejectDuplicateFields?: boolean;
}

export interface IngestResult extends WriteResult {
  /** The server time the write was made at (retention cutoffs in answers are computed from it). */
  now: SecNsec;
}

/**
 * A write the store accepted, for observers (the last-value cache of device
 * state and deadman checks, issue 13). Line protocol stays bytes on the hot
 * path unless an observer walks the rows (written-rows.ts: a cursor that
 * decodes only what is asked for).
 */
export interface WrittenBatch {
  bucketId: string;
  now: SecNsec;
  forEachRow(fn: (r: WrittenRow) => void): void;
}

export type WriteObserver = (w: WrittenBatch) => void;

export class IngestPipeline {
  private readonly observers: WriteObserver[] = [];

  /** Called after every write that stored at least one point; returns the unsubscribe function. A throwing observer does not fail the write. */
  observe(fn: WriteObserver): () => void {
    this.observers.push(fn);
    return () => {
      const i = this.observers.indexOf(fn);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  constructor(
    private readonly store: PointStore,
    private readonly clock: () => SecNsec = nowSecNsec,
    /**
     * false with several nodes: the cluster's write log applies every node's
     * writes (this node's included) and reports them through written(), so
     * observers hear of each write once, whichever node took it.
     */
    private readonly observesOwnWrites = true,
  ) {}

  /** A write applied here that came through the cluster's write log (see the constructor). */
  written(bucketId: string, data: PointData, now: SecNsec): void {
    if (this.observers.length > 0) this.notify({ bucketId, data, onParseError: 'skip' }, now);
  }

  async ingest(req: IngestRequest): Promise<IngestResult> {
    const now = req.now ?? this.clock();
    const r = await this.store.write({
      bucketId: req.bucketId,
      data: req.data,
      now,
      onParseError: req.onParseError,
      atomic: req.atomic,
      rejectDuplicateFields: req.rejectDuplicateFields,
    });
    if (this.observesOwnWrites && r.written > 0 && this.observers.length > 0) {
      // The store's own parse of the body, so observers do not parse it again.
      const d = req.data;
      this.notify(d.format === 'line-protocol' && !d.parsed && r.parsed?.buf === d.body ? { ...req, data: { ...d, parsed: r.parsed } } : req, now);
    }
    return { written: r.written, parseErrors: r.parseErrors, drops: r.drops, lines: r.lines, now, ...(r.position !== undefined ? { position: r.position } : {}) };
  }

  private notify(req: IngestRequest, now: SecNsec): void {
    const data = req.data;
    const w: WrittenBatch = { bucketId: req.bucketId, now, forEachRow: (fn) => forEachRow(data, now, fn) };
    for (const fn of this.observers) {
      try {
        fn(w);
      } catch {
        // an observer's failure is its own; the write is stored
      }
    }
  }
}

/** True for the coded errors that refuse a whole write for a while: a full write buffer, a failed WAL, the cluster's write log out of reach. */
export function isWriteUnavailable(e: unknown): e is HooklineError {
  return e instanceof HooklineError && (e.def === ERRORS.OVERLOADED || e.def === ERRORS.WAL_FAILED || e.def === ERRORS.CLUSTER_UNAVAILABLE);
}

/**
 * Per line of the batch (0-based: line n + 1 of the body, or point n) -> why
 * it was not stored: the parser's reason, or the store's drop message. Empty
 * when everything was stored. For transports that answer per point (OpenTSDB).
 */
export function refusedByIndex(r: WriteResult): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of r.parseErrors) out.set(e.line - 1, e.reason);
  for (const d of r.drops) out.set(d.line - 1, d.message);
  return out;
}
