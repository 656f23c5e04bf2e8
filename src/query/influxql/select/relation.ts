// What a SELECT reads: a relation with `time`, tags t<n> and fields f<n>. A
// stored measurement is one (store.physicalRelation); so is the result of a
// subquery, materialised as VALUES, which lets outer queries run on the same
// SQL path.

import { FieldType } from '../../../ingest/line-protocol/batch.ts';
import type { FieldDef } from '../../../storage/measurement.ts';
import { sqlString } from '../condition.ts';
import type { Value } from './values.ts';

export interface Rel {
  name: string;
  tagKeys: string[];
  tagOrdinal: Map<string, number>;
  fields: FieldDef[];
  fieldByName: Map<string, FieldDef>;
  /** SQL yielding time (TIMESTAMP_NS), t<n>, f<n>; only valid inside store.read for stored measurements. */
  sql: () => string;
}

export interface SeriesRows {
  name: string;
  tags: Record<string, string>;
  columns: string[];
  /** [time ns, ...values] */
  rows: Array<[bigint, ...Value[]]>;
}

function duckType(t: FieldType): string {
  switch (t) {
    case FieldType.Float:
      return 'DOUBLE';
    case FieldType.Integer:
      return 'BIGINT';
    case FieldType.Unsigned:
      return 'UBIGINT';
    case FieldType.String:
      return 'VARCHAR';
    default:
      return 'BOOLEAN';
  }
}

function typeOfValue(v: Value): FieldType | undefined {
  if (typeof v === 'number') return FieldType.Float;
  if (typeof v === 'bigint') return FieldType.Integer;
  if (typeof v === 'string') return FieldType.String;
  if (typeof v === 'boolean') return FieldType.Boolean;
  return undefined;
}

function literalOf(v: Value, t: FieldType): string {
  if (v === null) return 'NULL';
  switch (t) {
    case FieldType.Float:
      return Number.isFinite(Number(v)) ? `${Number(v)}::DOUBLE` : 'NULL';
    case FieldType.Integer:
      return typeof v === 'bigint' ? `${v}::BIGINT` : `${Math.trunc(Number(v))}::BIGINT`;
    case FieldType.String:
      return sqlString(String(v));
    case FieldType.Boolean:
      return v ? 'TRUE' : 'FALSE';
    default:
      return 'NULL';
  }
}

/** Subquery results as relations, one per measurement name. */
export function relationsFromRows(series: SeriesRows[]): Rel[] {
  const byName = new Map<string, SeriesRows[]>();
  for (const s of series) {
    const list = byName.get(s.name) ?? [];
    list.push(s);
    byName.set(s.name, list);
  }
  const rels: Rel[] = [];
  for (const [name, list] of byName) {
    const tagKeys = [...new Set(list.flatMap((s) => Object.keys(s.tags)))].sort();
    const tagOrdinal = new Map(tagKeys.map((k, i) => [k, i]));
    const fields: FieldDef[] = [];
    const fieldByName = new Map<string, FieldDef>();
    for (const s of list) {
      s.columns.slice(1).forEach((c, i) => {
        if (fieldByName.has(c) || tagOrdinal.has(c)) return;
        let t: FieldType | undefined;
        for (const r of s.rows) {
          const vt = typeOfValue(r[i + 1]);
          if (vt === undefined) continue;
          if (t === undefined) t = vt;
          else if (t !== vt && (t === FieldType.Integer || t === FieldType.Float) && (vt === FieldType.Integer || vt === FieldType.Float)) t = FieldType.Float;
        }
        const def: FieldDef = { name: c, type: t ?? FieldType.Float, ordinal: fields.length };
        fields.push(def);
        fieldByName.set(c, def);
      });
    }
    const cols = ['time', ...tagKeys.map((_, o) => `t${o}`), ...fields.map((f) => `f${f.ordinal}`)];
    const values: string[] = [];
    for (const s of list) {
      const idx = fields.map((f) => s.columns.indexOf(f.name));
      for (const r of s.rows) {
        const parts = [`make_timestamp_ns(${r[0]})`];
        for (const k of tagKeys) parts.push(s.tags[k] === undefined ? 'NULL::VARCHAR' : sqlString(s.tags[k]));
        fields.forEach((f, i) => parts.push(idx[i] < 0 ? `NULL::${duckType(f.type)}` : `${literalOf(r[idx[i]] as Value, f.type)}::${duckType(f.type)}`));
        values.push(`(${parts.join(', ')})`);
      }
    }
    const empty = `SELECT ${['NULL::TIMESTAMP_NS AS time', ...tagKeys.map((_, o) => `NULL::VARCHAR AS t${o}`), ...fields.map((f) => `NULL::${duckType(f.type)} AS f${f.ordinal}`)].join(', ')} WHERE false`;
    const sql = values.length === 0 ? empty : `SELECT * FROM (VALUES ${values.join(', ')}) v(${cols.join(', ')})`;
    rels.push({ name, tagKeys, tagOrdinal, fields, fieldByName, sql: () => sql });
  }
  return rels;
}
