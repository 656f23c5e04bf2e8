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

export class IngestPipeline {
  constructor(
    private readonly store: PointStore,
    private readonly clock: () => SecNsec = nowSecNsec,
  ) {}

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
    return { written: r.written, parseErrors: r.parseErrors, drops: r.drops, lines: r.lines, now, ...(r.position !== undefined ? { position: r.position } : {}) };
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
