// Rewriting Parquet files without changing what they mean (compaction) or
// without some rows (point deletion). Pure file work: the caller commits the
// catalog change that swaps the files.

import { join } from 'node:path';
import type { FileEntry } from '../catalog.ts';
import { literal } from '../duck/duck.ts';
import { COMPACTED_ZSTD_LEVEL, copyToFile, filePath, type FlushEnv } from '../flush/write-files.ts';
import { duckTypeOf } from '../hot/chunk-writer.ts';
import type { Measurement } from '../measurement.ts';

type Env = Pick<FlushEnv, 'dataDir' | 'duck' | 'nextFileId'>;

/** One file with the rows of `files` (one partition of `m`), series-major, newest first (sort-rows.ts); undefined when they hold none. */
export async function mergeFiles(env: Env, m: Measurement, partitionSec: number, files: FileEntry[]): Promise<FileEntry | undefined> {
  const id = env.nextFileId();
  const rel = filePath(m, partitionSec, id);
  const tags = [...new Set(files.flatMap((f) => f.tags))].sort((a, b) => a - b);
  const fields = [...new Set(files.flatMap((f) => f.fields))].sort((a, b) => a - b);
  const paths = files.map((f) => literal(join(env.dataDir, f.path))).join(', ');
  const cols = ['time', ...tags.map((o) => `t${o}`), ...fields.map((o) => `f${o}`)].join(', ');
  const order = [...tags.map((o) => `t${o}`), 'time DESC'].join(', ');
  return copyToFile(
    env,
    `SELECT ${cols} FROM read_parquet([${paths}], union_by_name = true) ORDER BY ${order}`,
    join(env.dataDir, rel),
    { id, measurementId: m.id, partitionSec, path: rel, fields, tags },
    { zstdLevel: COMPACTED_ZSTD_LEVEL, filesOnly: true },
  );
}

export interface Rewrite {
  /** Files holding matches (to remove). */
  replaced: FileEntry[];
  /** Their replacements, without the matches (a file of matches only has none). */
  added: FileEntry[];
  deleted: number;
}

/**
 * Rewrites the files of `m` that hold rows matching `whereSql` (a boolean over
 * the physical columns time, t<n>, f<n>; NULL keeps the row) without them.
 */
export async function rewriteWithout(env: Env, m: Measurement, whereSql: string): Promise<Rewrite> {
  const out: Rewrite = { replaced: [], added: [], deleted: 0 };
  const cond = `coalesce((${whereSql}), false)`;
  for (const f of m.files) {
    const view = fileView(m, f, join(env.dataDir, f.path));
    const hit = await env.duck.hot.rows<{ n: bigint }>(`SELECT count(*)::BIGINT AS n FROM ${view} WHERE ${cond}`);
    const n = Number(hit[0]?.n ?? 0);
    if (n === 0) continue;
    out.deleted += n;
    out.replaced.push(f);
    if (n === f.rows) continue;
    const id = env.nextFileId();
    const rel = filePath(m, f.partitionSec, id);
    const cols = ['time', ...f.tags.map((o) => `t${o}`), ...f.fields.map((o) => `f${o}`)].join(', ');
    const order = [...f.tags.map((o) => `t${o}`), 'time DESC'].join(', ');
    const entry = await copyToFile(env, `SELECT ${cols} FROM ${view} WHERE NOT ${cond} ORDER BY ${order}`, join(env.dataDir, rel), {
      id,
      measurementId: m.id,
      partitionSec: f.partitionSec,
      path: rel,
      fields: f.fields,
      tags: f.tags,
    });
    if (entry) out.added.push(entry);
  }
  return out;
}

/** A file's rows with every column of the measurement, absent ones as NULL, under physical names. */
function fileView(m: Measurement, f: FileEntry, abs: string): string {
  const cols = ['time'];
  m.tagKeys.forEach((_, o) => cols.push(f.tags.includes(o) ? `t${o}` : `NULL::VARCHAR AS t${o}`));
  for (const def of m.fields) cols.push(f.fields.includes(def.ordinal) ? `f${def.ordinal}` : `NULL::${duckTypeOf(def.type)} AS f${def.ordinal}`);
  return `(SELECT ${cols.join(', ')} FROM read_parquet(${literal(abs)}))`;
}
