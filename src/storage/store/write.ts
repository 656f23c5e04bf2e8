// The write path: parse -> plan (schema, types, drops) -> WAL append +
// fdatasync -> apply to the active memtable -> acknowledge. Planning and the
// append run together without awaiting, so the log order is the planning
// order and a replay (recover.ts) makes the same schema decisions.

import type { LineBatch } from '../../ingest/line-protocol/batch.ts';
import { OverloadedError, StoreClosedError, type WriteOutcome, type WriteRequest } from '../store-types.ts';
import { encodeRecordHead, RECORD_WRITE, sealRecord } from '../wal/wal-record.ts';
import { applyWrite, type LateValues } from '../write/apply-write.ts';
import { lookupLate } from '../write/late-lookup.ts';
import { planWrite, type WritePlan } from '../write/plan-write.ts';
import { flush, maybeFlush, releaseSeries } from './flush.ts';
import { retentionCutoffSec } from './retention-cutoff.ts';
import type { ApplyEntry, StoreState } from './state.ts';

/** Plans a parsed batch against the schema; no plan when a parse error refuses the whole batch. */
export function prepare(s: StoreState, req: WriteRequest, batch: LineBatch): { batch: LineBatch; plan?: WritePlan } {
  if (batch.errors.length > 0 && (req.onParseError === 'reject' || req.atomic)) return { batch };
  const plan = planWrite(s.index.bucket(req.bucketId), batch, {
    // The write's own time, not the clock: a replayed write decides as it did when first taken.
    retentionCutoffSec: retentionCutoffSec(s.opts.bucketInfo(req.bucketId), req.now.sec) ?? -Infinity,
    rejectDuplicateFields: req.rejectDuplicateFields === true,
    isLate: (m, sid, sec, nsec) => sec < m.horizonSec || s.registry.mayBePersisted(sid, sec, nsec),
  });
  return { batch, plan };
}

/** Stored values of points that may overwrite persisted ones (late-lookup.ts). */
export function lookup(s: StoreState, plan: WritePlan): Promise<LateValues> {
  return lookupLate(s.duck, s.dataDir, s.registry, plan);
}

export function applyEntries(s: StoreState, entries: ApplyEntry[]): void {
  for (const e of entries) applyWrite(e.plan, s.registry, e.lateValues);
}

export async function write(s: StoreState, req: WriteRequest): Promise<WriteOutcome> {
  if (s.closed) throw new StoreClosedError('store is closed');
  if (s.memUnits() >= s.opts.maxMemRows) {
    // Series held without rows (none to flush) are let go too, once no query reads them.
    void flush(s)
      .then(() => s.reclaimer.release([], [() => releaseSeries(s)]))
      .catch(() => undefined);
    throw new OverloadedError(1);
  }
  // Parsing is pure and may run on a worker; planning and logging below run
  // together without awaiting, so the log order is the planning order.
  const parsed = req.parsed ?? (await s.parser.parse(req.body, { precision: req.precision, now: req.now }));
  const release = await s.lock.shared();
  let pending: Promise<void>;
  let outcome: WriteOutcome;
  try {
    const { batch, plan } = prepare(s, req, parsed);
    outcome = { written: 0, parseErrors: batch.errors, drops: plan?.drops ?? [], lines: batch.lines, parsed };
    if (!plan || plan.written === 0 || (req.atomic && plan.drops.length > 0)) {
      release();
      return outcome;
    }
    const head = encodeRecordHead(
      {
        kind: RECORD_WRITE,
        precision: req.precision,
        nowSec: req.now.sec,
        nowNsec: req.now.nsec,
        header: req.rejectDuplicateFields ? { b: req.bucketId, d: 1 } : { b: req.bucketId },
      },
      req.body.length,
    );
    sealRecord(head, req.body);
    const entry: ApplyEntry = { plan };
    if (plan.late.length > 0) entry.late = lookup(s, plan);
    // Appended synchronously after planning: the log order is the planning
    // order, so replay makes the same schema decisions.
    pending = s.log.append([head, req.body], entry);
    outcome.written = plan.written;
  } catch (e) {
    release();
    throw e;
  }
  try {
    await pending;
  } finally {
    release();
  }
  maybeFlush(s);
  return outcome;
}
