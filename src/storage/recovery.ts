// Start-up helpers: clean up after an interrupted flush, and learn how far
// each series is already persisted so the write path knows which points may
// overwrite stored ones (apply-write.ts).

import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from './catalog.ts';
import type { Duck } from './duck/duck.ts';
import { literal } from './duck/duck.ts';
import type { Measurement } from './measurement.ts';
import type { SeriesRegistry } from './series/series-registry.ts';

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
 * Per-series newest persisted time, for the newest partition of a
 * measurement. Points older than that partition are treated as possibly
 * stored (looked up on write); see apply-write.ts.
 */
export async function loadPersistedHighWater(duck: Duck, dataDir: string, registry: SeriesRegistry, m: Measurement): Promise<void> {
  if (m.files.length === 0) return;
  const newest = Math.max(...m.files.map((f) => f.partitionSec));
  const files = m.files.filter((f) => f.partitionSec === newest);
  const tagCols = m.tagKeys.map((_, o) => `t${o}`);
  const present = new Set(files.flatMap((f) => f.tags));
  const sel = tagCols.map((c, o) => (present.has(o) ? c : `NULL::VARCHAR AS ${c}`));
  const paths = files.map((f) => literal(join(dataDir, f.path))).join(', ');
  const rows = await duck.meta.rows<Record<string, unknown>>(
    `SELECT ${[...sel, 'epoch_ns(max(time))::BIGINT AS hi'].join(', ')} FROM read_parquet([${paths}], union_by_name = true) ${tagCols.length ? 'GROUP BY ALL' : ''}`,
  );
  for (const row of rows) {
    const tags: Array<[string, string]> = [];
    m.tagKeys.forEach((k, o) => {
      const v = row[`t${o}`];
      if (v !== null && v !== undefined) tags.push([k, String(v)]);
    });
    tags.sort((a, b) => Buffer.compare(Buffer.from(escTag(a[0])), Buffer.from(escTag(b[0]))));
    const sid = m.seriesFor(tags);
    const hi = BigInt(row.hi as bigint);
    const sec = Number(hi / 1_000_000_000n) - (hi < 0n && hi % 1_000_000_000n !== 0n ? 1 : 0);
    const nsec = Number(hi - BigInt(sec) * 1_000_000_000n);
    registry.markPersisted(sid, sec, nsec);
  }
  m.horizonSec = newest;
}

function escTag(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}
