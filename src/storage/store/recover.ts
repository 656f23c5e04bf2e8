// Opening the store: the catalog names the measurements, their schemas and
// files (files it does not name are orphans of a crash and go); the series
// fingerprints come back from the files; then the WAL beyond the last flush
// is replayed in order, through the same planning as a live write
// (write.ts), so the schema decisions come out the same.

import { mkdir } from 'node:fs/promises';
import { parseLineProtocol } from '../../ingest/line-protocol/parse.ts';
import { initCatalog, loadCatalog } from '../catalog.ts';
import { loadSeriesFingerprints, removeOrphans } from '../recovery.ts';
import type { WriteRequest } from '../store-types.ts';
import { CommitLog, deleteSegmentsThrough, listSegments, readSegment } from '../wal/commit-log.ts';
import { RECORD_WRITE } from '../wal/wal-record.ts';
import { applyWrite } from '../write/apply-write.ts';
import { rotateMemtables } from './flush.ts';
import { startTimers } from './schedule.ts';
import type { ApplyEntry, StoreState } from './state.ts';
import { applyEntries, lookup, prepare } from './write.ts';

export async function recover(s: StoreState): Promise<void> {
  await mkdir(s.walDir, { recursive: true });
  await initCatalog(s.duck.meta);
  const snap = await loadCatalog(s.duck.meta);
  s.nextFileId = snap.nextFileId;
  s.index.nextId = snap.nextMeasurementId;
  s.walFlushedThrough = snap.walFlushedThrough;
  for (const cm of snap.measurements) {
    if (!s.opts.bucketInfo(cm.bucketId)) continue;
    const m = s.index.create(s.index.bucket(cm.bucketId), cm.name, cm.id);
    for (const t of cm.tags) m.tagOrdinalOf(t);
    for (const f of cm.fields) m.addField(f.name, f.type);
    m.files = cm.files;
    m.persisted = true;
    m.persistedTags = cm.tags.length;
    m.persistedFields = cm.fields.length;
  }
  await removeOrphans(s.dataDir, snap.measurements.flatMap((m) => m.files));
  for (const m of s.index.all) await loadSeriesFingerprints(s.duck, s.dataDir, m);
  // Replay what the WAL holds beyond the last flush, in order.
  const segments = await listSegments(s.walDir);
  await deleteSegmentsThrough(s.walDir, s.walFlushedThrough);
  let replayed = 0;
  let last = s.walFlushedThrough;
  for (const seg of segments) {
    if (seg <= s.walFlushedThrough) continue;
    last = seg;
    const { records, tornAt } = await readSegment(s.walDir, seg);
    if (tornAt !== undefined) s.opts.logger.warn('WAL segment ends in a torn record; ignoring its tail', { segment: seg, offset: tornAt });
    for (const r of records) {
      if (r.kind !== RECORD_WRITE) continue;
      const bucketId = String(r.header.b);
      if (!s.opts.bucketInfo(bucketId)) continue;
      const req: WriteRequest = {
        bucketId,
        body: Buffer.from(r.payload),
        precision: r.precision,
        now: { sec: r.nowSec, nsec: r.nowNsec },
        onParseError: 'skip',
        rejectDuplicateFields: r.header.d === 1,
      };
      const prepared = prepare(s, req, parseLineProtocol(req.body, { precision: req.precision, now: req.now }));
      if (!prepared.plan || prepared.plan.written === 0) continue;
      const lateValues = prepared.plan.late.length > 0 ? await lookup(s, prepared.plan) : undefined;
      applyWrite(prepared.plan, s.registry, lateValues);
      replayed += prepared.plan.written;
    }
  }
  if (replayed > 0) s.opts.logger.info('replayed write-ahead log', { points: replayed });
  s.log = await CommitLog.open<ApplyEntry>({
    dir: s.walDir,
    segment: last + 1,
    apply: (entries) => applyEntries(s, entries),
    onRotate: () => rotateMemtables(s),
    readyOf: (e) => e.late?.then((v) => (e.lateValues = v)),
  });
  startTimers(s);
}
