// Turns a frozen memtable into Parquet files, one per time partition, and
// rewrites older files whose rows the memtable superseded (tombstones).
//
// Files are written by DuckDB's COPY, sorted time-major (time, then tags): on
// regular device data that order compresses best (docs/storage.md has the
// measurements). Each file is written under a temporary name, fsynced, then
// renamed; the catalog commit that follows is what makes it part of the data.

import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Duck } from '../duck/duck.ts';
import { literal } from '../duck/duck.ts';
import type { HotTables } from '../hot/hot-tables.ts';
import type { Measurement } from '../measurement.ts';
import type { Memtable } from '../memtable/memtable.ts';
import type { FileEntry } from '../catalog.ts';

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

const PARQUET_OPTIONS = `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1048576`;

export function filePath(m: Measurement, partitionSec: number, id: number): string {
  return join('buckets', m.bucketId, `m${m.id}`, String(partitionSec), `${id}.parquet`);
}

interface PartitionStats {
  rows: number;
}

export async function writeMemtableFiles(env: FlushEnv, m: Measurement, mt: Memtable): Promise<FileEntry[]> {
  await env.hot.syncOne(m, mt);
  const dur = env.partitionSeconds(m.bucketId);
  const parts = new Map<number, PartitionStats>();
  for (let r = 0; r < mt.rows; r++) {
    const p = Math.floor(mt.sec[r] / dur) * dur;
    const s = parts.get(p);
    if (s) s.rows++;
    else parts.set(p, { rows: 1 });
  }
  const tagCount = m.tagKeys.length;
  const fieldOrdinals: number[] = [];
  for (let o = 0; o < m.fields.length; o++) if (mt.cols[o] !== undefined) fieldOrdinals.push(o);
  const tagSel = Array.from({ length: tagCount }, (_, o) => `, s.t${o}`).join('');
  const fieldSel = fieldOrdinals.map((o) => `, h.f${o}`).join('');
  const cutoff = env.cutoffNs(m.bucketId);
  const out: FileEntry[] = [];
  for (const p of [...parts.keys()].sort((a, z) => a - z)) {
    const id = env.nextFileId();
    const rel = filePath(m, p, id);
    const abs = join(env.dataDir, rel);
    const lo = BigInt(p) * 1_000_000_000n;
    const hi = BigInt(p + dur) * 1_000_000_000n;
    let from = lo;
    if (cutoff !== undefined && cutoff > from) from = cutoff;
    if (from >= hi) continue;
    const select =
      `SELECT h.time${tagSel}${fieldSel} FROM ${env.hot.memtableTable(m, mt)} h JOIN ${env.hot.seriesTable(m)} s ON h.sid = s.sid ` +
      // time, then series id: integer keys sort fast, and series ids follow
      // first-seen order, which keeps a device's neighbours stable row to row.
      `WHERE h.time >= make_timestamp_ns(${from}) AND h.time < make_timestamp_ns(${hi}) ORDER BY h.time, h.sid`;
    const entry = await copyToFile(env, select, abs, {
      id,
      measurementId: m.id,
      partitionSec: p,
      path: rel,
      fields: fieldOrdinals,
      tags: Array.from({ length: tagCount }, (_, o) => o),
    });
    if (entry) out.push(entry);
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
  await env.hot.syncOne(m, mt);
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
    const order = f.tags.map((o) => `, t${o}`).join('');
    const select = `SELECT p.* FROM read_parquet(${literal(abs)}) p ANTI JOIN ${tomb} x ON p.time = x.time${match} ORDER BY time${order}`;
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

/** COPY (select) TO a temporary name, fsync, rename; undefined when the select is empty. */
export async function copyToFile(
  env: Pick<FlushEnv, 'duck' | 'dataDir'>,
  select: string,
  abs: string,
  base: Omit<FileEntry, 'rows' | 'minNs' | 'maxNs' | 'bytes'>,
): Promise<FileEntry | undefined> {
  await mkdirDurable(dirname(abs));
  const tmp = abs + '.tmp';
  const stats = await env.duck.hot.run(async (c) => {
    await c.run(`COPY (${select}) TO ${literal(tmp)} (${PARQUET_OPTIONS})`);
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
