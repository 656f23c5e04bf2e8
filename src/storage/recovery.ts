// Start-up helpers: clean up after an interrupted flush, and learn which
// series the files hold (the series limit counts them) and how far they are
// persisted, so the write path knows which points may overwrite stored ones
// (apply-write.ts).

import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from './catalog.ts';
import type { Duck } from './duck/duck.ts';
import { literal } from './duck/duck.ts';
import { canonicalSeriesKey, type Measurement } from './measurement.ts';
import { SeriesFingerprints } from './series/series-fingerprints.ts';

/** Files in the data directory the catalog does not name are leftovers of an interrupted flush. */
export async function removeOrphans(dataDir: string, known: FileEntry[]): Promise<void> {
  const keep = new Set(known.map((f) => join(dataDir, f.path)));
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if ((e.name.endsWith('.parquet') || e.name.endsWith('.tmp')) && !keep.has(p)) await unlink(p).catch(() => undefined);
    }
  };
  await walk(join(dataDir, 'buckets'));
}

/**
 * Learns the series a measurement has in its files, as fingerprints only (the
 * series limit counts them; series-fingerprints.ts), without taking them into
 * memory: a series written again is taken in then, and may overwrite a stored
 * point up to the measurement's newest stored time (`markReleased`), so such
 * points are looked up (apply-write.ts). Points older than the newest
 * partition are treated as possibly stored as well.
 */
export async function loadSeriesFingerprints(duck: Duck, dataDir: string, m: Measurement): Promise<void> {
  if (m.files.length === 0) return;
  const fp = await fileSeriesFingerprints(duck, dataDir, m);
  m.budget.count += fp.size - m.fingerprints.size;
  m.fingerprints = fp;
  let hi = m.files[0].maxNs;
  for (const f of m.files) if (f.maxNs > hi) hi = f.maxNs;
  const sec = Number(hi / 1_000_000_000n) - (hi < 0n && hi % 1_000_000_000n !== 0n ? 1 : 0);
  m.markReleased(sec, Number(hi - BigInt(sec) * 1_000_000_000n));
  m.horizonSec = Math.max(...m.files.map((f) => f.partitionSec));
}

/** Fingerprints of the series in a measurement's files (one DISTINCT over its tag columns). */
export async function fileSeriesFingerprints(duck: Duck, dataDir: string, m: Measurement): Promise<SeriesFingerprints> {
  const fp = new SeriesFingerprints();
  if (m.files.length === 0) return fp;
  const tagCols = m.tagKeys.map((_, o) => `t${o}`);
  const present = new Set(m.files.flatMap((f) => f.tags));
  const sel = tagCols.map((c, o) => (present.has(o) ? c : `NULL::VARCHAR AS ${c}`));
  const paths = m.files.map((f) => literal(join(dataDir, f.path))).join(', ');
  const from = `read_parquet([${paths}], union_by_name = true)`;
  const sql = tagCols.length ? `SELECT DISTINCT ${sel.join(', ')} FROM ${from}` : `SELECT 1 FROM ${from} LIMIT 1`;
  const rows = await duck.meta.rows<Record<string, unknown>>(sql);
  for (const row of rows) {
    const tags: Array<[string, string]> = [];
    m.tagKeys.forEach((k, o) => {
      const v = row[`t${o}`];
      if (v !== null && v !== undefined) tags.push([k, String(v)]);
    });
    tags.sort((a, b) => Buffer.compare(Buffer.from(escTag(a[0])), Buffer.from(escTag(b[0]))));
    fp.add(canonicalSeriesKey(m.name, tags));
  }
  return fp;
}

function escTag(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}
