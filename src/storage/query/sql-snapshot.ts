// A consistent, self-contained copy of some measurements for the SQL sandbox
// (src/query/sql/sandbox/): their Parquet files hard-linked into a directory
// the sandbox may read, their unflushed points and tombstones copied there as
// Parquet by the main DuckDB, and per measurement the view SQL that reads only
// those files. The sandboxed engine then holds nothing but this bucket's data.
//
// Hard links, not paths into the data directory: a link keeps the file
// readable after compaction or retention deletes the original, so the
// snapshot stays valid for the whole query without pinning the store's epoch.

import { copyFile, link } from 'node:fs/promises';
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

/** Copies `m` into `dir` (prefix `p` keeps several measurements apart); call with the measurement's files pinned and hot tables synced. */
export async function snapshotMeasurement(
  conn: DuckDBConnection,
  m: Measurement,
  ctx: RelationContext,
  dir: string,
  p: string,
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
  if (hot !== undefined) {
    files.hot = join(dir, `${p}_h.parquet`);
    await conn.run(`COPY (${hot}) TO ${literal(files.hot)} (FORMAT parquet, COMPRESSION uncompressed)`);
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
