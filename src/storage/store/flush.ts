// Flushing: at a WAL segment boundary the active memtables freeze; a flush
// writes them to Parquet (flush/write-files.ts) and commits the new file list
// in one catalog transaction, and only then deletes the WAL segments. Series
// with no rows left in memory are let go afterwards (series-release.ts).

import { join } from 'node:path';
import { commitCatalog, type CatalogChange, type FileEntry } from '../catalog.ts';
import { rewriteTombstoned, writeMemtableFiles } from '../flush/write-files.ts';
import type { Measurement } from '../measurement.ts';
import { Memtable } from '../memtable/memtable.ts';
import { collectGarbage } from '../series/return-memory.ts';
import { releaseIdleSeries } from '../series/series-release.ts';
import { deleteSegmentsThrough } from '../wal/commit-log.ts';
import type { StoreState } from './state.ts';

/** Releasing this many series (~30 MB) is worth a full collection, so RSS follows (return-memory.ts). */
const GC_AFTER_RELEASING = 50_000;

/** Runs at a WAL segment boundary, synchronously: freezes the active memtables. */
export function rotateMemtables(s: StoreState): void {
  s.gen++;
  for (const m of s.index.all) {
    if (m.active.rows === 0 && m.active.tombstones.length === 0) continue;
    m.active.freeze();
    m.immutable = m.active;
    m.active = new Memtable(s.gen, s.registry);
  }
}

/** Persists everything acknowledged so far. Resolves when the catalog names the new files. */
export function flush(s: StoreState): Promise<void> {
  if (s.flushing) return s.flushing.then(() => flush(s));
  s.flushing = s.serially(() => doFlush(s)).finally(() => {
    s.flushing = undefined;
    s.lastFlush = s.now();
  });
  return s.flushing;
}

/** Starts a flush when the memtables, the WAL segment or the buffer (series included) are big enough. */
export function maybeFlush(s: StoreState): void {
  if (s.flushing) return;
  // Series held in memory count too: at half the buffer a flush lets the idle ones go.
  if (s.activeRows() >= s.opts.flushRows || s.log.segmentBytes >= s.opts.walMaxBytes || s.memUnits() >= s.opts.maxMemRows / 2) {
    void flush(s).catch((e) => s.opts.logger.error('flush failed', { error: String(e) }));
  }
}

/** The flush itself; call inside `serially` (flush() does, and so does a deletion first). */
export async function doFlush(s: StoreState): Promise<void> {
  if (s.pendingSegment === undefined) {
    if (s.activeRows() === 0 && !s.index.all.some((m) => m.active.tombstones.length > 0)) return;
    s.pendingSegment = await s.log.rotate();
  }
  const closed = s.pendingSegment;
  const env = s.flushEnv();
  const frozen = s.index.all.filter((m) => m.immutable !== undefined);
  const add: FileEntry[] = [];
  const remove: FileEntry[] = [];
  const perMeasurement = new Map<Measurement, { add: FileEntry[]; remove: FileEntry[] }>();
  for (const m of frozen) {
    const mt = m.immutable!;
    const written = await writeMemtableFiles(env, m, mt);
    const rewritten = await rewriteTombstoned(env, m, mt);
    perMeasurement.set(m, { add: [...written, ...rewritten.add], remove: rewritten.remove });
    add.push(...written, ...rewritten.add);
    remove.push(...rewritten.remove);
  }
  const dropped: Array<[Measurement, Memtable]> = [];
  const release = await s.lock.exclusive();
  try {
    const change: CatalogChange = {
      schemas: frozen.filter((m) => !m.persisted || m.tagKeys.length > m.persistedTags || m.fields.length > m.persistedFields).map(schemaOf),
      addFiles: add,
      removeFileIds: remove.map((f) => f.id),
      walFlushedThrough: closed,
      nextFileId: s.nextFileId,
    };
    await commitCatalog(s.duck.meta, change);
    s.reclaimer.advance();
    for (const m of frozen) {
      const mt = m.immutable!;
      const p = perMeasurement.get(m)!;
      const gone = new Set(p.remove.map((f) => f.id));
      m.files = [...m.files.filter((f) => !gone.has(f.id)), ...p.add];
      m.persisted = true;
      m.persistedTags = m.tagKeys.length;
      m.persistedFields = m.fields.length;
      for (const t of mt.tombstones) m.tombstones.delete(`${t.sid}:${t.sec}:${t.nsec}`);
      if (mt.tombstones.length > 0) m.tombstoneVersion++;
      m.immutable = undefined;
      dropped.push([m, mt]);
    }
    s.walFlushedThrough = closed;
    s.pendingSegment = undefined;
  } finally {
    release();
  }
  s.reclaimer.release(remove.map((f) => join(s.dataDir, f.path)), [
    ...dropped.map(([m, mt]) => () => s.hot.dropMemtable(m, mt)),
    // Once no query reads the flushed memtables' hot copies (they join the series table).
    () => releaseSeries(s),
  ]);
  await deleteSegmentsThrough(s.walDir, closed);
}

/**
 * Lets go of the series with no rows left in memory (series-release.ts),
 * when enough are held to matter or the write buffer is half full.
 */
export async function releaseSeries(s: StoreState): Promise<void> {
  if (s.registry.live <= s.opts.keepSeriesBelow && s.memUnits() < s.opts.maxMemRows / 2) return;
  const release = await s.lock.exclusive();
  try {
    const n = releaseIdleSeries(s.index.all, s.registry);
    if (n > 0) s.opts.logger.info('released idle series from memory', { series: n, held: s.registry.live });
    if (n >= GC_AFTER_RELEASING) collectGarbage();
  } finally {
    release();
  }
}

function schemaOf(m: Measurement) {
  return { id: m.id, bucketId: m.bucketId, name: m.name, tags: [...m.tagKeys], fields: m.fields.map((f) => ({ name: f.name, type: f.type })) };
}
