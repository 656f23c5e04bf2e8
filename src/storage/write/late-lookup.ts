// Reads the stored fields of points that a write may overwrite: keys older than
// what the series already flushed. One DuckDB query per measurement, limited to
// the files whose time range holds those keys, so a retried webhook costs a
// lookup in one row group rather than a scan.

import { join } from 'node:path';
import type { Duck } from '../duck/duck.ts';
import { literal } from '../duck/duck.ts';
import { duckTypeOf } from '../hot/chunk-writer.ts';
import type { Measurement } from '../measurement.ts';
import type { SeriesRegistry } from '../series/series-registry.ts';
import type { LateValues, StoredValue } from './apply-write.ts';
import type { WritePlan } from './plan-write.ts';

export async function lookupLate(duck: Duck, dataDir: string, registry: SeriesRegistry, plan: WritePlan): Promise<LateValues> {
  const out: LateValues = new Map();
  const byMeasurement = new Map<Measurement, number[]>();
  for (const i of plan.late) {
    const m = plan.measurement[i]!;
    if (m.files.length === 0) continue;
    let list = byMeasurement.get(m);
    if (!list) byMeasurement.set(m, (list = []));
    list.push(i);
  }
  if (byMeasurement.size === 0) return out;
  const conn = await duck.connect();
  try {
    for (const [m, points] of byMeasurement) {
      const b = plan.batch;
      const nsOf = (i: number) => BigInt(b.sec[i]) * 1_000_000_000n + BigInt(b.nsec[i]);
      const files = m.files.filter((f) => points.some((i) => nsOf(i) >= f.minNs && nsOf(i) <= f.maxNs));
      if (files.length === 0) continue;
      const present = new Set<number>();
      const presentTags = new Set<number>();
      for (const f of files) {
        f.fields.forEach((o) => present.add(o));
        f.tags.forEach((o) => presentTags.add(o));
      }
      const fieldOrdinals = [...present].sort((a, z) => a - z);
      const tagCount = m.tagKeys.length;
      for (let k = 0; k < points.length; k += 500) {
        const part = points.slice(k, k + 500);
        const values = part
          .map((i) => {
            const tags = [];
            for (let o = 0; o < tagCount; o++) {
              const v = registry.tagValues[plan.sid[i]]?.[o];
              tags.push(v === null || v === undefined ? 'NULL::VARCHAR' : literal(v));
            }
            return `(${i}, make_timestamp_ns(${nsOf(i)})${tags.map((t) => ', ' + t).join('')})`;
          })
          .join(', ');
        const tagCols = Array.from({ length: tagCount }, (_, o) => `, t${o}`).join('');
        const match = Array.from({ length: tagCount }, (_, o) =>
          presentTags.has(o) ? ` AND p.t${o} IS NOT DISTINCT FROM k.t${o}` : ` AND k.t${o} IS NULL`,
        ).join('');
        const paths = files.map((f) => literal(join(dataDir, f.path))).join(', ');
        const sql =
          `SELECT k.i${fieldOrdinals.map((o) => `, p.f${o}::${duckTypeOf(m.fields[o].type)}`).join('')} ` +
          `FROM (VALUES ${values}) k(i, time${tagCols}) ` +
          `JOIN read_parquet([${paths}], union_by_name = true) p ON p.time = k.time${match}`;
        const reader = await conn.runAndReadAll(sql);
        for (const row of reader.getRowsJS()) {
          const i = Number(row[0]);
          const stored: Array<[number, StoredValue]> = [];
          fieldOrdinals.forEach((o, c) => {
            const v = row[c + 1];
            if (v !== null && v !== undefined) stored.push([o, v as StoredValue]);
          });
          out.set(i, stored);
        }
      }
    }
  } finally {
    conn.closeSync();
  }
  return out;
}
