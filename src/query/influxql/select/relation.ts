// What a SELECT reads: a relation with `time`, tags tagCol(n) and fields
// fieldCol(n) (the front ends' positional names, store-view.ts; not storage's). A stored measurement is
// one (stored-relation.ts, over a SqlSource snapshot); so is the result of a
// subquery, materialised as VALUES, which lets outer queries run on the same
// SQL path.

import { FieldType } from '../../../core/field-type.ts';
import type { RelationOptions } from '../../../core/ports/sql-source.ts';
import type { RollupReader } from '../../../core/ports/rollups.ts';
import { fieldCol, tagCol, type FieldDef } from '../../store-view.ts';
import { sqlString } from '../condition.ts';
import type { Value } from './values.ts';

export interface Rel {
  name: string;
  tagKeys: string[];
  tagOrdinal: Map<string, number>;
  fields: FieldDef[];
  fieldByName: Map<string, FieldDef>;
  /** SQL yielding time (TIMESTAMP_NS), tagCol(n), fieldCol(n); for stored measurements only valid inside their snapshot. */
  sql: (opts?: RelationOptions) => string;
  /** Rows of a subquery: a row is a row even where its values are null. */
  fromSubquery?: boolean;
  /**
   * Stored measurements: the tag values (by ordinal) of each series in
   * creation order, and an estimate of the rows in a time range; float
   * sums are then added up in 1.x's order (build-sql.ts).
   */
  seriesOrder?: () => Array<Array<string | null>>;
  rowEstimate?: (min?: bigint, max?: bigint) => number;
  /** Stored measurements: their rollups, when the engine keeps them (inside the snapshot). */
  rollups?: () => RollupReader | undefined;
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
    const cols = ['time', ...tagKeys.map((_, o) => tagCol(o)), ...fields.map((f) => fieldCol(f.ordinal))];
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
    const empty = `SELECT ${['NULL::TIMESTAMP_NS AS time', ...tagKeys.map((_, o) => `NULL::VARCHAR AS ${tagCol(o)}`), ...fields.map((f) => `NULL::${duckType(f.type)} AS ${fieldCol(f.ordinal)}`)].join(', ')} WHERE false`;
    const sql = values.length === 0 ? empty : `SELECT * FROM (VALUES ${values.join(', ')}) v(${cols.join(', ')})`;
    rels.push({ name, tagKeys, tagOrdinal, fields, fieldByName, sql: () => sql, fromSubquery: true });
  }
  return rels;
}

/**
 * Relations of the same measurement name from several sources (db0..cpu,
 * db1..cpu) read as one, as InfluxDB merges them into one series: a UNION
 * ALL under a common set of tag and field ordinals.
 */
export function unionRels(rels: Rel[]): Rel {
  if (rels.length === 1) return rels[0];
  const tagKeys = [...new Set(rels.flatMap((r) => r.tagKeys))].sort();
  const tagOrdinal = new Map(tagKeys.map((k, i) => [k, i]));
  const fields: FieldDef[] = [];
  const fieldByName = new Map<string, FieldDef>();
  for (const r of rels) {
    for (const f of r.fields) {
      if (fieldByName.has(f.name)) continue;
      const def: FieldDef = { name: f.name, type: f.type, ordinal: fields.length };
      fields.push(def);
      fieldByName.set(f.name, def);
    }
  }
  const branch = (r: Rel, opts?: RelationOptions) => {
    const cols = ['time'];
    tagKeys.forEach((k, i) => {
      const o = r.tagOrdinal.get(k);
      cols.push(`${o === undefined ? 'NULL::VARCHAR' : tagCol(o)} AS ${tagCol(i)}`);
    });
    for (const f of fields) {
      const own = r.fieldByName.get(f.name);
      cols.push(`${own && own.type === f.type ? fieldCol(own.ordinal) : `NULL::${duckType(f.type)}`} AS ${fieldCol(f.ordinal)}`);
    }
    return `SELECT ${cols.join(', ')} FROM (${r.sql(opts)}) u`;
  };
  const sql = (opts?: RelationOptions) => rels.map((r) => `(${branch(r, opts)})`).join(' UNION ALL ');
  return { name: rels[0].name, tagKeys, tagOrdinal, fields, fieldByName, sql, fromSubquery: rels.every((r) => r.fromSubquery) };
}
