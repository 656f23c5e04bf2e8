// A consistent, self-contained copy of some measurements for the SQL sandbox
// (src/query/sql/sandbox/): their Parquet files hard-linked into a directory
// the sandbox may read, their unflushed points and tombstones copied there as
// Parquet by the main DuckDB, and per measurement the view SQL that reads only
// those files. The sandboxed engine then holds nothing but this bucket's data.
//
// Hard links, not paths into the data directory: a link keeps the file
// readable after compaction or retention deletes the original, so the
// snapshot stays valid for the whole query without pinning the store's epoch.

import { copyFile, link, mkdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../duck/duck.ts';
import type { Measurement } from '../measurement.ts';
import { hotRelationSql, snapshotUserRelationSql, type RelationContext, type SnapshotFiles } from './relation.ts';

export interface SqlSnapshotView {
  /** The measurement name (the table name users write). */
  name: string;
  /** SELECT over files inside the snapshot directory only, with InfluxDB 3's columns. */
  sql: string;
}

/**
 * Parquet copies of unflushed points, one per measurement, reused while its
 * hot tables are unchanged (HotTables.version): a dashboard refreshing over
 * data that is not being written pays the copy once. A query hard-links the
 * copy into its own directory, so replacing the copy never breaks a query.
 */
export class HotCopyCache {
  private readonly entries = new Map<number, { key: string; path: Promise<string> }>();
  private seq = 0;
  private cleared?: Promise<void>;

  constructor(private readonly dir: string) {}

  /** Links a copy of `sql` (the hot relation of `m` at `key`) to `to`. */
  async linkCopy(conn: DuckDBConnection, m: Measurement, key: string, sql: string, to: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const path = await this.copyOf(conn, m, attempt === 0 ? key : `${key}#${attempt}`, sql);
      try {
        await link(path, to);
        return;
      } catch (e) {
        // Replaced by a newer copy between the two steps: make another.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 2) throw e;
      }
    }
  }

  private copyOf(conn: DuckDBConnection, m: Measurement, key: string, sql: string): Promise<string> {
    const old = this.entries.get(m.id);
    if (old && old.key === key) return old.path;
    const path = join(this.dir, `m${m.id}_${++this.seq}.parquet`);
    this.cleared ??= rm(this.dir, { recursive: true, force: true });
    const made = (async () => {
      await this.cleared;
      await mkdir(this.dir, { recursive: true });
      await conn.run(`COPY (${sql}) TO ${literal(path)} (FORMAT parquet, COMPRESSION uncompressed)`);
      return path;
    })();
    this.entries.set(m.id, { key, path: made });
    made.catch(() => {
      if (this.entries.get(m.id)?.path === made) this.entries.delete(m.id);
    });
    if (old) void this.drop(old.path);
    return made;
  }

  /** `m` has no unflushed points any more: its copy goes. */
  forget(m: Measurement): void {
    const old = this.entries.get(m.id);
    if (!old) return;
    this.entries.delete(m.id);
    void this.drop(old.path);
  }

  private async drop(path: Promise<string>): Promise<void> {
    await unlink(await path).catch(() => undefined);
  }
}

/** Copies `m` into `dir` (prefix `p` keeps several measurements apart); call with the measurement's files pinned and hot tables synced. */
export async function snapshotMeasurement(
  conn: DuckDBConnection,
  m: Measurement,
  ctx: RelationContext,
  dir: string,
  p: string,
  cache: HotCopyCache,
): Promise<SqlSnapshotView> {
  const files: SnapshotFiles = { parquet: [] };
  for (let i = 0; i < m.files.length; i++) {
    const to = join(dir, `${p}_f${i}.parquet`);
    await linkOrCopy(join(ctx.dataDir, m.files[i].path), to);
    files.parquet.push(to);
  }
  if (m.tombstones.size > 0 && m.files.length > 0) {
    files.tombstones = join(dir, `${p}_x.parquet`);
    await conn.run(`COPY (SELECT * FROM ${ctx.hot.tombTable(m)}) TO ${literal(files.tombstones)} (FORMAT parquet)`);
  }
  const hot = hotRelationSql(m, ctx);
  if (hot === undefined) cache.forget(m);
  else {
    files.hot = join(dir, `${p}_h.parquet`);
    // Everything the hot relation's SQL and content depend on.
    const key = [ctx.hot.version(m), m.immutable?.gen, m.active.gen, m.fields.length, m.tagKeys.length, m.active.tombstones.length].join(':');
    await cache.linkCopy(conn, m, key, hot, files.hot);
  }
  return { name: m.name, sql: snapshotUserRelationSql(m, files, ctx.cutoffNs) };
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (e) {
    // A data directory spread over several file systems cannot hard-link.
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
  }
}
