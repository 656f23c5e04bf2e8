// A measurement of the in-memory store as DuckDB SQL: a VALUES list with the
// points copied in, so the relation is a snapshot by construction (later
// writes cannot change SQL already built). Columns are named and ordered as
// the embedded store's userColumns (storage/query/relation.ts): by name, a tag
// that shares a field's name (or is called `time`) shown as `<name>::tag`.

import type { FieldValue } from '../../core/point.ts';
import type { FieldTypeName } from '../../core/field-type.ts';
import type { SqlColumn, SqlRelation } from '../../core/ports/sql-source.ts';

export interface ValuesRow {
  timeNs: bigint;
  tags: ReadonlyMap<string, string>;
  fields: ReadonlyMap<string, FieldValue>;
}

const DUCK_TYPE: Record<FieldTypeName, string> = { float: 'DOUBLE', integer: 'BIGINT', unsigned: 'UBIGINT', string: 'VARCHAR', boolean: 'BOOLEAN' };

function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

function literal(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

function valueSql(v: FieldValue | undefined, type: FieldTypeName): string {
  if (v === undefined) return `NULL::${DUCK_TYPE[type]}`;
  switch (v.type) {
    case 'string':
      return literal(v.value);
    case 'boolean':
      return v.value ? 'true' : 'false';
    default:
      // Through a string: exact for doubles (shortest round-trip form) and for integers beyond 2^53.
      return `${literal(String(v.value))}::${DUCK_TYPE[type]}`;
  }
}

/** The relation's SQL and columns; the caller adds what it knows of its series (SqlRelation). */
export function valuesRelation(tagKeys: readonly string[], fields: ReadonlyMap<string, FieldTypeName>, rows: readonly ValuesRow[]): Pick<SqlRelation, 'sql' | 'columns'> {
  const cols: SqlColumn[] = [{ name: 'time', key: 'time', kind: 'time' }];
  for (const k of tagKeys) cols.push({ name: fields.has(k) || k === 'time' ? `${k}::tag` : k, key: k, kind: 'tag' });
  for (const [k, type] of fields) cols.push({ name: k, key: k, kind: 'field', type });
  cols.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tuples = rows.map((r) => {
    const vals = cols.map((c) => {
      if (c.kind === 'time') return `make_timestamp_ns(${r.timeNs})`;
      if (c.kind === 'tag') {
        const v = r.tags.get(c.key);
        return v === undefined ? 'NULL::VARCHAR' : literal(v);
      }
      return valueSql(r.fields.get(c.key), c.type!);
    });
    return `(${vals.join(', ')})`;
  });
  const sql = `SELECT * FROM (VALUES ${tuples.join(', ')}) AS v(${cols.map((c) => ident(c.name)).join(', ')})`;
  return { sql, columns: cols.map(({ name, key, kind, type }) => (type ? { name, key, kind, type } : { name, key, kind })) };
}
