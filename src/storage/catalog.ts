// The durable catalog in hookline.duckdb: which Parquet files hold which
// measurement, the measurements' columns, and how far the WAL is flushed.
// Every change to the set of files is one DuckDB transaction, so after a crash
// the catalog names exactly the files of the last completed flush, compaction
// or delete; files on disk that it does not name are leftovers and removed.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { SerialConnection } from './duck/duck.ts';
import { FieldType } from '../core/field-type.ts';

export const CATALOG_DDL = [
  `CREATE TABLE IF NOT EXISTS hl_state (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS ts_measurements (id INTEGER NOT NULL, bucket_id VARCHAR NOT NULL, name VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ts_columns (measurement_id INTEGER NOT NULL, kind VARCHAR NOT NULL, ordinal INTEGER NOT NULL, name VARCHAR NOT NULL, type INTEGER)`,
  `CREATE TABLE IF NOT EXISTS ts_files (id BIGINT NOT NULL, measurement_id INTEGER NOT NULL, partition_sec BIGINT NOT NULL, path VARCHAR NOT NULL, rows BIGINT NOT NULL, min_ns BIGINT NOT NULL, max_ns BIGINT NOT NULL, bytes BIGINT NOT NULL, fields VARCHAR NOT NULL, tags VARCHAR NOT NULL)`,
];

export interface FileEntry {
  id: number;
  measurementId: number;
  partitionSec: number;
  /** Relative to the data directory. */
  path: string;
  rows: number;
  minNs: bigint;
  maxNs: bigint;
  bytes: number;
  /** Field and tag ordinals present in the file. */
  fields: number[];
  tags: number[];
}

export interface CatalogMeasurement {
  id: number;
  bucketId: string;
  name: string;
  tags: string[];
  fields: Array<{ name: string; type: FieldType }>;
  files: FileEntry[];
}

export interface CatalogSnapshot {
  measurements: CatalogMeasurement[];
  walFlushedThrough: number;
  nextFileId: number;
  nextMeasurementId: number;
}

export async function initCatalog(meta: SerialConnection): Promise<void> {
  for (const ddl of CATALOG_DDL) await meta.exec(ddl);
}

export async function loadCatalog(meta: SerialConnection): Promise<CatalogSnapshot> {
  const ms = await meta.rows<{ id: number; bucket_id: string; name: string }>(
    `SELECT id, bucket_id, name FROM ts_measurements ORDER BY id`,
  );
  const cols = await meta.rows<{ measurement_id: number; kind: string; ordinal: number; name: string; type: number | null }>(
    `SELECT measurement_id, kind, ordinal, name, type FROM ts_columns ORDER BY measurement_id, kind, ordinal`,
  );
  const files = await meta.rows<Record<string, unknown>>(`SELECT * FROM ts_files ORDER BY id`);
  const byId = new Map<number, CatalogMeasurement>();
  for (const m of ms) byId.set(m.id, { id: m.id, bucketId: m.bucket_id, name: m.name, tags: [], fields: [], files: [] });
  for (const c of cols) {
    const m = byId.get(c.measurement_id);
    if (!m) continue;
    if (c.kind === 'tag') m.tags[c.ordinal] = c.name;
    else m.fields[c.ordinal] = { name: c.name, type: (c.type ?? 0) as FieldType };
  }
  let nextFileId = 1;
  for (const f of files) {
    const entry: FileEntry = {
      id: Number(f.id),
      measurementId: Number(f.measurement_id),
      partitionSec: Number(f.partition_sec),
      path: String(f.path),
      rows: Number(f.rows),
      minNs: BigInt(f.min_ns as bigint),
      maxNs: BigInt(f.max_ns as bigint),
      bytes: Number(f.bytes),
      fields: parseList(f.fields),
      tags: parseList(f.tags),
    };
    byId.get(entry.measurementId)?.files.push(entry);
    nextFileId = Math.max(nextFileId, entry.id + 1);
  }
  const state = await meta.rows<{ key: string; value: string }>(`SELECT key, value FROM hl_state`);
  const get = (k: string) => state.find((s) => s.key === k)?.value;
  return {
    measurements: [...byId.values()],
    walFlushedThrough: Number(get('wal_flushed_through') ?? 0),
    nextFileId: Math.max(nextFileId, Number(get('next_file_id') ?? 1)),
    nextMeasurementId: Math.max(1, ...ms.map((m) => m.id + 1)),
  };
}

function parseList(v: unknown): number[] {
  const s = String(v ?? '');
  return s === '' ? [] : s.split(',').map(Number);
}

export interface CatalogChange {
  /** Measurements whose schema rows are rewritten. */
  schemas: Array<{ id: number; bucketId: string; name: string; tags: string[]; fields: Array<{ name: string; type: FieldType }> }>;
  addFiles: FileEntry[];
  removeFileIds: number[];
  walFlushedThrough?: number;
  nextFileId?: number;
  /** Measurements removed entirely (bucket deleted, DROP MEASUREMENT). */
  dropMeasurements?: number[];
}

/** Applies a change in one transaction. */
export async function commitCatalog(meta: SerialConnection, change: CatalogChange): Promise<void> {
  await meta.transaction(async (c) => {
    for (const s of change.schemas) {
      await run(c, `DELETE FROM ts_measurements WHERE id = ?`, [s.id]);
      await run(c, `DELETE FROM ts_columns WHERE measurement_id = ?`, [s.id]);
      await run(c, `INSERT INTO ts_measurements VALUES (?, ?, ?)`, [s.id, s.bucketId, s.name]);
      for (let i = 0; i < s.tags.length; i++) await run(c, `INSERT INTO ts_columns VALUES (?, 'tag', ?, ?, NULL)`, [s.id, i, s.tags[i]]);
      for (let i = 0; i < s.fields.length; i++) {
        await run(c, `INSERT INTO ts_columns VALUES (?, 'field', ?, ?, ?)`, [s.id, i, s.fields[i].name, s.fields[i].type]);
      }
    }
    for (const id of change.dropMeasurements ?? []) {
      await run(c, `DELETE FROM ts_measurements WHERE id = ?`, [id]);
      await run(c, `DELETE FROM ts_columns WHERE measurement_id = ?`, [id]);
      await run(c, `DELETE FROM ts_files WHERE measurement_id = ?`, [id]);
    }
    if (change.removeFileIds.length > 0) {
      await run(c, `DELETE FROM ts_files WHERE id IN (${change.removeFileIds.map(Number).join(',')})`, []);
    }
    for (const f of change.addFiles) {
      await run(c, `INSERT INTO ts_files VALUES (?, ?, ?, ?, ?, ?::BIGINT, ?::BIGINT, ?, ?, ?)`, [
        f.id,
        f.measurementId,
        f.partitionSec,
        f.path,
        f.rows,
        f.minNs.toString(),
        f.maxNs.toString(),
        f.bytes,
        f.fields.join(','),
        f.tags.join(','),
      ]);
    }
    if (change.walFlushedThrough !== undefined) await setState(c, 'wal_flushed_through', String(change.walFlushedThrough));
    if (change.nextFileId !== undefined) await setState(c, 'next_file_id', String(change.nextFileId));
  });
}

async function setState(c: DuckDBConnection, key: string, value: string): Promise<void> {
  await run(c, `INSERT OR REPLACE INTO hl_state VALUES (?, ?)`, [key, value]);
}

async function run(c: DuckDBConnection, sql: string, params: unknown[]): Promise<void> {
  if (params.length === 0) await c.run(sql);
  else await c.run(sql, params as never);
}
