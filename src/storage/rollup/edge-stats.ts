// The aggregates of one file's points between two times, per series: what a
// rollup bucket would hold for the part of it a query's range keeps, when the
// range cuts through the bucket (Grafana's `now() - 6h` does, on every
// refresh). One DuckDB query over the file's rows in the interval; files are
// series-major (flush/sort-rows.ts), so row groups are rarely skipped by
// time, and it costs about a scan of the time column: a few ms for a file of
// a few million points, paid only for the one or two cut minutes.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldType } from '../../core/field-type.ts';
import { literal } from '../duck/duck.ts';
import { collect, summedExpr } from './build-file-rollup.ts';

export interface EdgeField {
  ordinal: number;
  type: FieldType;
  /** The file's decimal scale for the field (its rollup's), -1 for doubles. */
  scale: number;
}

export interface EdgeRow {
  /** Tag values by tag ordinal. */
  tags: Array<string | null>;
  /** Per field: count, sum (at the field's scale), min, max, first (sec, ns, value), last (sec, ns, value). */
  stats: number[][];
}

const SEC = 1_000_000_000;

export async function edgeStats(
  conn: DuckDBConnection,
  path: string,
  tags: number[],
  fields: EdgeField[],
  tagCount: number,
  loNs: bigint,
  hiNs: bigint,
  /** Only these series (tag values by ordinal): row groups of others are skipped by their tags' statistics. */
  only?: Array<Array<string | null>>,
): Promise<EdgeRow[]> {
  const sec = (x: string) => `((${x} - (((${x} % ${SEC}) + ${SEC}) % ${SEC})) // ${SEC})::DOUBLE`;
  const nsec = (x: string) => `(((${x} % ${SEC}) + ${SEC}) % ${SEC})::DOUBLE`;
  const cols: string[] = [];
  for (const f of fields) {
    const c = `f${f.ordinal}`;
    const nn = `FILTER (WHERE ${c} IS NOT NULL)`;
    const first = `min(__t) ${nn}`;
    const last = `max(__t) ${nn}`;
    cols.push(
      `count(${c})::DOUBLE`,
      `sum(${summedExpr(c, f.type, f.scale)})::DOUBLE`,
      `min(${c})::DOUBLE`,
      `max(${c})::DOUBLE`,
      sec(first),
      nsec(first),
      `arg_min(${c}::DOUBLE, __t) ${nn}`,
      sec(last),
      nsec(last),
      `arg_max(${c}::DOUBLE, __t) ${nn}`,
    );
  }
  const keys = tags.map((o) => `t${o}`);
  const inner =
    `SELECT ${[...tags.map((o) => `t${o}::VARCHAR AS t${o}`), ...fields.map((f) => `f${f.ordinal}`), 'epoch_ns(time) AS __t'].join(', ')} ` +
    `FROM read_parquet(${literal(path)}) WHERE time >= make_timestamp_ns(${loNs}) AND time <= make_timestamp_ns(${hiNs})` +
    (only ? ` AND (${only.map((t) => `(${tags.map((o) => (t[o] == null ? `t${o} IS NULL` : `t${o} = ${literal(t[o]!)}`)).join(' AND ') || 'true'})`).join(' OR ')})` : '');
  const sql = `SELECT ${[...keys, ...cols].join(', ')} FROM (${inner})` + (keys.length ? ` GROUP BY ${keys.join(', ')}` : ' HAVING count(*) > 0');
  const cells = await collect(await conn.run(sql), keys.length + cols.length);
  const out: EdgeRow[] = [];
  for (let i = 0; i < cells.slots; i++) {
    const full: Array<string | null> = new Array(tagCount).fill(null);
    tags.forEach((o, t) => (full[o] = cells.tag(t, i)));
    const stats = fields.map((_, k) => Array.from({ length: 10 }, (_, j) => cells.num(keys.length + k * 10 + j, i) ?? 0));
    out.push({ tags: full, stats });
  }
  return out;
}
