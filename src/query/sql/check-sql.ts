// Only read-only SELECTs over the caller's own measurements may run. DuckDB's
// own parser (json_serialize_sql) gives the statement tree; it refuses anything
// but SELECT, and every table reference in the tree must be a plain name that
// is a measurement of the bucket or a CTE of the query. Table functions
// (read_csv, read_parquet, query, glob...), file names and qualified names
// (other databases, the catalog) are refused.

import type { DuckDBConnection } from '@duckdb/node-api';
import { hooklineError } from '../../core/errors.ts';

export interface CheckedSql {
  /** Measurement names the query reads. */
  tables: string[];
}

/**
 * Scalar functions that reveal the server's settings or environment rather
 * than the bucket's data, or change the engine's state: setseed's random state
 * would outlive the query in a pooled sandbox (the worker reseeds before each
 * statement as well).
 */
const SYSTEM_FUNCTIONS = new Set(['current_setting', 'getvariable', 'getenv', 'setseed']);

interface Node {
  [k: string]: unknown;
}

export async function checkSql(conn: DuckDBConnection, sql: string, allowed: (name: string) => boolean): Promise<CheckedSql> {
  const r = await conn.runAndReadAll(`SELECT json_serialize_sql(?::VARCHAR)`, [sql]);
  const tree = JSON.parse(String(r.getRowsJS()[0][0])) as Node;
  if (tree.error) {
    const msg = String(tree.error_message ?? 'invalid SQL');
    if (/Only SELECT statements/i.test(msg)) throw hooklineError('QUERY_NOT_ALLOWED');
    throw hooklineError('QUERY', msg.replace(/^Parser Error: /, ''));
  }
  const statements = (tree.statements as Node[]) ?? [];
  if (statements.length !== 1) throw hooklineError('QUERY', `expected exactly one SELECT statement, got ${statements.length}`);
  const ctes = new Set<string>();
  const refs: Array<{ name: string; qualified: boolean }> = [];
  let fn: string | undefined;
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    const cteMap = node.cte_map as { map?: Array<{ key: string }> } | undefined;
    for (const e of cteMap?.map ?? []) ctes.add(e.key);
    // SHOW / DESCRIBE / SUMMARIZE would list hookline's own tables and columns.
    if (node.type === 'SHOW_REF') fn ??= 'SHOW';
    if (node.type === 'FUNCTION' && node.class === 'FUNCTION' && SYSTEM_FUNCTIONS.has(String(node.function_name).toLowerCase())) {
      fn ??= String(node.function_name);
    }
    if (node.type === 'TABLE_FUNCTION') {
      const f = node.function as Node | undefined;
      fn ??= String(f?.function_name ?? 'table function');
    }
    if (node.type === 'BASE_TABLE') {
      refs.push({ name: String(node.table_name), qualified: Boolean(node.schema_name) || Boolean(node.catalog_name) });
    }
    for (const v of Object.values(node)) walk(v);
  };
  walk(statements);
  if (fn === 'SHOW') throw hooklineError('QUERY_NOT_ALLOWED', `SHOW, DESCRIBE and SUMMARIZE are not allowed; query the bucket's measurements by name`);
  if (fn !== undefined) throw hooklineError('QUERY_NOT_ALLOWED', `function ${fn}() is not allowed; query the bucket's measurements by name`);
  const tables = new Set<string>();
  for (const ref of refs) {
    if (ctes.has(ref.name) && !ref.qualified) {
      // A CTE may shadow a measurement or read the measurement of the same
      // name inside its own body; the view is there for the latter. Other
      // names under a CTE resolve to nothing in the sandbox.
      if (allowed(ref.name)) tables.add(ref.name);
      continue;
    }
    if (ref.qualified || !allowed(ref.name)) {
      throw hooklineError('QUERY', `table '${ref.name}' not found`);
    }
    tables.add(ref.name);
  }
  return { tables: [...tables] };
}
