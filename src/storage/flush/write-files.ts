// Turns a frozen memtable into Parquet files, one per time partition, and
// rewrites older files whose rows the memtable superseded (tombstones).
//
// Files are written by DuckDB's COPY, series-major, each series newest first
// (sort-rows.ts says why): on regular device data that order compresses best
// (docs/storage.md has the measurements). Each file is written under a temporary name, fsynced, then
// renamed; the catalog commit that follows is what makes it part of the data.

import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Duck } from '../duck/duck.ts';
import { literal } from '../duck/duck.ts';
import type { HotTables } from '../hot/hot-tables.ts';
import type { Measurement } from '../measurement.ts';
import type { Memtable } from '../memtable/memtable.ts';
import type { FileEntry } from '../catalog.ts';
import { FieldType } from '../../core/field-type.ts';
import { decimalScale } from './decimal-scale.ts';
import { sortRows } from './sort-rows.ts';
import { appendStagedRows, duckTypeOf, type TagEnum } from '../hot/chunk-writer.ts';

export interface FlushEnv {
  dataDir: string;
  duck: Duck;
  hot: HotTables;
  nextFileId: () => number;
  /** Partition length for a bucket, seconds. */
  partitionSeconds: (bucketId: string) => number;
  /** Points before this (ns) are past retention and not written. */
  cutoffNs: (bucketId: string) => bigint | undefined;
}

// Parquet V2 with a small dictionary limit lets DuckDB use delta encodings for
// integer (and decimal) columns that do not repeat; tags still get a
// dictionary. Measured on the benchmark data: 1.76 B/point, against 3.07 with
// DuckDB's defaults (docs/storage.md).
const PARQUET_OPTIONS = `FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2, DICTIONARY_SIZE_LIMIT 1000`;

/**
 * zstd level of compacted files (DuckDB's COPY option COMPRESSION_LEVEL; its
 * default is 3). A compacted file is the partition's final form, written once
 * in the background, so it is worth more CPU than a flush, which competes with
 * ingest. On the benchmark's 2 M points: level 3 1.32 B/point in 0.26-0.31 s
 * of CPU, 9 1.27, 12 1.27, 15 1.17 in 0.57-0.80 s, 19 1.16 in 0.93-0.96 s.
 * From 15 on zstd uses its optimal parser (btopt), which finds the repeats in
 * the delta-packed temperature that the faster levels miss.
 */
export const COMPACTED_ZSTD_LEVEL = 15;

/** Rows appended to the staging table between yields to the event loop. */
const STAGE_SLICE = 65536;

export function filePath(m: Measurement, partitionSec: number, id: number): string {
  return join('buckets', m.bucketId, `m${m.id}`, String(partitionSec), `${id}.parquet`);
}

/**
 * Writes a frozen memtable as one Parquet file per time partition. Rows are
 * sorted here (sort-rows.ts) and copied into a staging table with the tags as
 * ENUM indexes (no per-row strings, no join); DuckDB then only encodes.
 */
export async function writeMemtableFiles(env: FlushEnv, m: Measurement, mt: Memtable): Promise<FileEntry[]> {
  const cutoff = env.cutoffNs(m.bucketId);
  const cutoffSec = cutoff === undefined ? -Infinity : Number(cutoff / 1_000_000_000n);
  const partitions = sortRows(mt, env.partitionSeconds(m.bucketId), cutoffSec);
  const tags = tagEnums(m, mt);
  const fields = m.fields.filter((f) => mt.cols[f.ordinal] !== undefined);
  const stage = `stage_m${m.id}`;
  const columns = [
    'time TIMESTAMP_NS',
    ...tags.map((t, o) => `t${o} ENUM(${t.values.length ? t.values.map(literal).join(', ') : "''"})`),
    ...fields.map((f) => `f${f.ordinal} ${duckTypeOf(f.type)}`),
  ].join(', ');
  // Floats that are exact short decimals are stored as DECIMAL (decimal-scale.ts).
  const select = [
    'time',
    ...tags.map((_, o) => `t${o}`),
    ...fields.map((f) => {
      if (f.type !== FieldType.Float) return `f${f.ordinal}`;
      const col = mt.cols[f.ordinal]!;
      const k = decimalScale(col.num, (r) => col.isSet(r), mt.rows);
      return k >= 0 ? `f${f.ordinal}::DECIMAL(18, ${k}) AS f${f.ordinal}` : `f${f.ordinal}`;
    }),
  ].join(', ');
  const out: FileEntry[] = [];
  for (const part of partitions) {
    if (part.rows.length === 0) continue;
    const id = env.nextFileId();
    const rel = filePath(m, part.sec, id);
    const abs = join(env.dataDir, rel);
    await mkdirDurable(dirname(abs));
    const tmp = abs + '.tmp';
    await env.duck.hot.run(async (c) => {
      await c.run(`CREATE OR REPLACE TABLE hot.${stage} (${columns})`);
      const app = await c.createAppender(stage, null, 'hot');
      // In slices, yielding between them, so writes keep flowing during a flush
      // (the memtable is frozen: nothing changes under the copy).
      for (let at = 0; at < part.rows.length; at += STAGE_SLICE) {
        appendStagedRows(app, mt, part.rows.subarray(at, at + STAGE_SLICE), tags, fields);
        await new Promise((r) => setImmediate(r));
      }
      app.flushSync();
      app.closeSync();
      // No ORDER BY: DuckDB keeps insertion order, which is already the file order.
      await c.run(`COPY (SELECT ${select} FROM hot.${stage}) TO ${literal(tmp)} (${PARQUET_OPTIONS})`);
      await c.run(`DROP TABLE hot.${stage}`);
    });
    let lo = Infinity;
    let hi = -Infinity;
    let loN = 0;
    let hiN = 0;
    for (const r of part.rows) {
      const sec = mt.sec[r];
      const nsec = mt.nsec[r];
      if (sec < lo || (sec === lo && nsec < loN)) [lo, loN] = [sec, nsec];
      if (sec > hi || (sec === hi && nsec > hiN)) [hi, hiN] = [sec, nsec];
    }
    await fsyncPath(tmp);
    await rename(tmp, abs);
    await fsyncPath(dirname(abs));
    out.push({
      id,
      measurementId: m.id,
      partitionSec: part.sec,
      path: rel,
      rows: part.rows.length,
      minNs: BigInt(lo) * 1_000_000_000n + BigInt(loN),
      maxNs: BigInt(hi) * 1_000_000_000n + BigInt(hiN),
      bytes: (await stat(abs)).size,
      fields: fields.map((f) => f.ordinal),
      tags: tags.map((_, o) => o),
    });
  }
  return out;
}

/** Per tag key, the distinct values among the memtable's series, as ENUM dictionaries. */
function tagEnums(m: Measurement, mt: Memtable): TagEnum[] {
  const out: TagEnum[] = [];
  for (let o = 0; o < m.tagKeys.length; o++) {
    const values: string[] = [];
    const seen = new Map<string, number>();
    let maxSid = 0;
    for (const sid of mt.sids) if (sid > maxSid) maxSid = sid;
    const indexOfSeries = new Int32Array(maxSid + 1);
    for (const sid of mt.sids) {
      const v = m.tagValue(sid, o);
      if (v === null) continue;
      let idx = seen.get(v);
      if (idx === undefined) {
        idx = values.push(v);
        seen.set(v, idx);
      }
      indexOfSeries[sid] = idx;
    }
    out.push({ values, indexOfSeries });
  }
  return out;
}

/**
 * Rewrites the files of `m` that hold keys tombstoned by `mt` (their newer
 * copies are in `mt`). Returns the replacement files and the replaced ones.
 */
export async function rewriteTombstoned(env: FlushEnv, m: Measurement, mt: Memtable): Promise<{ add: FileEntry[]; remove: FileEntry[] }> {
  const add: FileEntry[] = [];
  const remove: FileEntry[] = [];
  if (mt.tombstones.length === 0 || m.files.length === 0) return { add, remove };
  await env.hot.syncTombstonesOf(m);
  const ns = mt.tombstones.map((t) => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec));
  const candidates = m.files.filter((f) => ns.some((t) => t >= f.minNs && t <= f.maxNs));
  const tomb = `(SELECT * FROM ${env.hot.tombTable(m)} WHERE gen = ${mt.gen})`;
  for (const f of candidates) {
    const abs = join(env.dataDir, f.path);
    const match = m.tagKeys.map((_, o) => (f.tags.includes(o) ? ` AND p.t${o} IS NOT DISTINCT FROM x.t${o}` : ` AND x.t${o} IS NULL`)).join('');
    const hit = await env.duck.hot.rows<{ n: bigint }>(
      `SELECT count(*) AS n FROM read_parquet(${literal(abs)}) p SEMI JOIN ${tomb} x ON p.time = x.time${match}`,
    );
    if (Number(hit[0]?.n ?? 0) === 0) continue;
    const id = env.nextFileId();
    const rel = filePath(m, f.partitionSec, id);
    const order = f.tags.map((o) => `t${o}, `).join('');
    const select = `SELECT p.* FROM read_parquet(${literal(abs)}) p ANTI JOIN ${tomb} x ON p.time = x.time${match} ORDER BY ${order}time DESC`;
    const entry = await copyToFile(env, select, join(env.dataDir, rel), {
      id,
      measurementId: m.id,
      partitionSec: f.partitionSec,
      path: rel,
      fields: f.fields,
      tags: f.tags,
    });
    remove.push(f);
    if (entry) add.push(entry);
  }
  return { add, remove };
}

export interface CopyOptions {
  /** Overrides DuckDB's default zstd level. */
  zstdLevel?: number;
  /**
   * The select reads only files: run it on the rewriting engine (Duck.rewrite,
   * bounded memory) instead of the hot connection.
   */
  filesOnly?: boolean;
}

/** COPY (select) TO a temporary name, fsync, rename; undefined when the select is empty. */
export async function copyToFile(
  env: Pick<FlushEnv, 'duck' | 'dataDir'>,
  select: string,
  abs: string,
  base: Omit<FileEntry, 'rows' | 'minNs' | 'maxNs' | 'bytes'>,
  copy: CopyOptions = {},
): Promise<FileEntry | undefined> {
  await mkdirDurable(dirname(abs));
  const tmp = abs + '.tmp';
  const options = copy.zstdLevel === undefined ? PARQUET_OPTIONS : `${PARQUET_OPTIONS}, COMPRESSION_LEVEL ${copy.zstdLevel}`;
  const run = <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => (copy.filesOnly ? env.duck.rewrite(fn) : env.duck.hot.run(fn));
  const stats = await run(async (c) => {
    await c.run(`COPY (${select}) TO ${literal(tmp)} (${options})`);
    const r = await c.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, epoch_ns(min(time))::BIGINT AS lo, epoch_ns(max(time))::BIGINT AS hi FROM read_parquet(${literal(tmp)})`,
    );
    return r.getRowsJS()[0] as [bigint, bigint | null, bigint | null];
  });
  const rows = Number(stats[0]);
  if (rows === 0) {
    await unlink(tmp).catch(() => undefined);
    return undefined;
  }
  await fsyncPath(tmp);
  await rename(tmp, abs);
  await fsyncPath(dirname(abs));
  const bytes = (await stat(abs)).size;
  return { ...base, rows, minNs: BigInt(stats[1]!), maxNs: BigInt(stats[2]!), bytes };
}

/** mkdir -p, then fsync the parent of every directory it created so the new entries survive a crash. */
export async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  let d = dir;
  const created: string[] = [];
  while (d.length >= first.length) {
    created.push(d);
    d = dirname(d);
  }
  for (const c of created) await fsyncPath(dirname(c));
}

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
