// Retention and compaction, run by the maintenance timer (schedule.ts) and on
// demand: whole files past their bucket's retention go (queries hide the
// rest of the expired points, reads.ts), and a partition's files merge once
// it has many, so queries open few files. swapFiles and recountSeries are
// also how a deletion (delete.ts) changes the file set.

import { join } from 'node:path';
import { commitCatalog, type FileEntry } from '../catalog.ts';
import { mergeFiles } from '../maintenance/rewrite-files.ts';
import type { Measurement } from '../measurement.ts';
import { fileSeriesFingerprints } from '../recovery.ts';
import { releaseAllSeries, releaseIdleSeries } from '../series/series-release.ts';
import type { StoreState } from './state.ts';

export async function maintain(s: StoreState): Promise<void> {
  await enforceRetention(s);
  await compact(s);
}

/** Drops whole files that are entirely past their bucket's retention. Call inside `serially`. */
export async function enforceRetention(s: StoreState): Promise<void> {
  let removed = 0;
  for (const m of [...s.index.all]) {
    const cutoff = s.cutoffNs(m.bucketId);
    if (cutoff === undefined) continue;
    const expired = m.files.filter((f) => f.maxNs < cutoff);
    if (expired.length === 0) continue;
    await swapFiles(s, m, expired, []);
    await recountSeries(s, m);
    removed += expired.length;
  }
  if (removed > 0) s.opts.logger.info('retention removed files', { files: removed });
}

/** Merges the files of a partition once it has many (all of them when forced). Call inside `serially`. */
export async function compact(s: StoreState, force = false): Promise<void> {
  for (const m of [...s.index.all]) {
    const byPartition = new Map<number, FileEntry[]>();
    for (const f of m.files) {
      const list = byPartition.get(f.partitionSec) ?? [];
      list.push(f);
      byPartition.set(f.partitionSec, list);
    }
    for (const [p, files] of byPartition) {
      if (files.length < (force ? 2 : s.opts.compactAt)) continue;
      const merged = await mergeFiles(s.flushEnv(), m, p, files);
      await swapFiles(s, m, files, merged ? [merged] : []);
    }
  }
}

/**
 * Replaces files of a measurement in one catalog transaction (retention,
 * compaction, point deletion); the old files go once no query reads them.
 * Forgets the measurement entirely when nothing of it is left. Call inside
 * `serially`. Does nothing when a file to remove is already gone.
 */
export async function swapFiles(s: StoreState, m: Measurement, remove: FileEntry[], add: FileEntry[]): Promise<void> {
  const release = await s.lock.exclusive();
  let forget = false;
  try {
    const ids = new Set(m.files.map((f) => f.id));
    if (!remove.every((f) => ids.has(f.id))) return;
    const gone = new Set(remove.map((f) => f.id));
    const files = [...m.files.filter((f) => !gone.has(f.id)), ...add];
    forget = files.length === 0 && m.memRows === 0 && m.tombstones.size === 0;
    await commitCatalog(s.duck.meta, {
      schemas: [],
      addFiles: add,
      removeFileIds: remove.map((f) => f.id),
      nextFileId: s.nextFileId,
      dropMeasurements: forget ? [m.id] : [],
    });
    s.reclaimer.advance();
    m.files = files;
    if (forget) {
      s.index.forget(m);
      releaseAllSeries([m], s.registry);
    }
  } finally {
    release();
  }
  s.reclaimer.release(remove.map((f) => join(s.dataDir, f.path)));
  if (forget) await s.hot.dropMeasurement(m);
}

/**
 * After retention or a deletion removed points, counts the measurement's
 * series again (those left in files plus those in memory), so the series
 * limit gives back what is gone. Call inside `serially` (no flush runs meanwhile).
 */
export async function recountSeries(s: StoreState, m: Measurement): Promise<void> {
  if (s.index.get(m.bucketId, m.name) !== m) return; // forgotten: already given back
  const fp = await fileSeriesFingerprints(s.duck, s.dataDir, m);
  const release = await s.lock.exclusive();
  try {
    // A series held without rows is either in the files or deleted: let it go,
    // then count the files' series and those with rows in memory.
    releaseIdleSeries([m], s.registry);
    for (const sid of m.series) fp.add(s.registry.canonicalKey[sid]!);
    m.budget.count += fp.size - m.fingerprints.size;
    m.fingerprints = fp;
  } finally {
    release();
  }
}
