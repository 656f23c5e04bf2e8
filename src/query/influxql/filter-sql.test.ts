// The SQL of tag equality, run in DuckDB over rows with the tag set, empty
// and missing: a missing tag compares as '' (InfluxDB 1.x), and a condition
// is FALSE, never NULL, so it can be negated (DELETE keeps NOT (condition)).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Expr } from './ast.ts';
import { filterSql, type RelLike } from './filter-sql.ts';

const rel: RelLike = { fieldByName: new Map(), tagOrdinal: new Map([['device', 0]]) };
const eq = (lhs: Expr, rhs: Expr, op = '='): Expr => ({ kind: 'binary', op, lhs, rhs });
const device: Expr = { kind: 'varref', name: 'device' };
const str = (val: string): Expr => ({ kind: 'string', val });

async function matches(cond: string): Promise<{ kept: string[]; negated: string[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const rows = `(VALUES ('a', 'd1'), ('b', ''), ('c', NULL::VARCHAR)) v(id, tag0)`;
    const read = async (where: string) => (await c.runAndReadAll(`SELECT id FROM ${rows} WHERE ${where} ORDER BY id`)).getRows().map((r) => String(r[0]));
    return { kept: await read(cond), negated: await read(`NOT (${cond})`) };
  } finally {
    c.closeSync();
  }
}

test("tag = 'v' uses the bare column (row-group pruning) and is FALSE for a missing tag", async () => {
  const sql = filterSql(eq(device, str('d1')), rel);
  assert.match(sql, /^\(tag0 = 'd1' AND tag0 IS NOT NULL\)$/);
  assert.deepEqual(await matches(sql), { kept: ['a'], negated: ['b', 'c'] });
  // The literal on the left reads the same.
  assert.equal(filterSql(eq(str('d1'), device), rel), sql);
});

test("tag = '' keeps the coalesce: a missing tag equals ''", async () => {
  const sql = filterSql(eq(device, str('')), rel);
  assert.match(sql, /coalesce\(tag0, ''\)/);
  assert.deepEqual(await matches(sql), { kept: ['b', 'c'], negated: ['a'] });
});

test("tag != 'v' still matches a missing tag", async () => {
  const sql = filterSql(eq(device, str('d1'), '!='), rel);
  assert.deepEqual(await matches(sql), { kept: ['b', 'c'], negated: ['a'] });
});

test('an unknown tag key compares as the empty string', async () => {
  const other: Expr = { kind: 'varref', name: 'nope' };
  assert.deepEqual(await matches(filterSql(eq(other, str('d1')), rel)), { kept: [], negated: ['a', 'b', 'c'] });
  assert.deepEqual(await matches(filterSql(eq(other, str('')), rel)), { kept: ['a', 'b', 'c'], negated: [] });
});
