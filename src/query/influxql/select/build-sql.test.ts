// What buildSql asks of a relation and what its SQL computes, run in DuckDB
// over a relation whose float field is stored as DECIMAL, as Parquet files
// hold k-digit decimals (storage/flush/decimal-scale.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SelectStatement } from '../ast.ts';
import { splitCondition } from '../condition.ts';
import { parseQuery } from '../parse-statements.ts';
import { FieldType } from '../../../core/field-type.ts';
import type { RelationOptions } from '../../../core/ports/sql-source.ts';
import { compileSelect } from './analyze.ts';
import { buildSql, planLeaves } from './build-sql.ts';
import type { Rel } from './relation.ts';
import { windowsFor } from './zone.ts';

const M = 60_000_000_000n;
// Two windows of one series (tag tag0 = device), temp field0 and count field1.
const POINTS = [[0n, 'd1', '1.25', 1], [30_000_000_000n, 'd1', '2.50', 2], [M, 'd1', '3.00', 3], [M, 'd2', '9.75', 4]] as const;

function rel(asked: Array<RelationOptions | undefined>): Rel {
  const fields = [{ name: 'temp', type: FieldType.Float, ordinal: 0 }, { name: 'n', type: FieldType.Integer, ordinal: 1 }];
  return {
    name: 'm',
    tagKeys: ['device'],
    tagOrdinal: new Map([['device', 0]]),
    fields,
    fieldByName: new Map(fields.map((f) => [f.name, f])),
    sql: (opts) => {
      asked.push(opts);
      const temp = opts?.floatsAsStored ? 'DECIMAL(18,2)' : 'DOUBLE';
      const rows = POINTS.map(([t, d, v, n]) => `(make_timestamp_ns(${t}), '${d}', '${v}'::${temp}, ${n}::BIGINT)`);
      return `SELECT * FROM (VALUES ${rows.join(', ')}) v(time, tag0, field0, field1)`;
    },
  };
}

async function run(q: string): Promise<{ asked: Array<RelationOptions | undefined>; rows: string[][] }> {
  const stmt = parseQuery(q)[0] as SelectStatement;
  const { range, filter } = splitCondition(stmt.condition, 0n);
  const c = compileSelect(stmt, { fields: new Map([['temp', FieldType.Float], ['n', FieldType.Integer]]), tags: new Set(['device']) });
  const asked: Array<RelationOptions | undefined> = [];
  const windows = windowsFor(M, 0n, undefined, range.min!, range.max!);
  const built = buildSql(c, planLeaves(c), rel(asked), { range, filter, windows, ascending: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const rows = (await conn.runAndReadAll(built.sql)).getRows().map((r) => r.map(String));
    return { asked: asked.slice(-1), rows };
  } finally {
    conn.closeSync();
  }
}

const RANGE = `time >= 0 AND time < ${2n * M}`;

test('mean() alone reads floats as stored and averages them to a DOUBLE per window', async () => {
  const r = await run(`SELECT mean(temp) FROM m WHERE ${RANGE} GROUP BY time(1m)`);
  assert.deepEqual(r.asked, [{ floatsAsStored: true }]);
  assert.deepEqual(r.rows, [[`0`, '1.875'], [`${M}`, '6.375']]);
});

test('mean() with a tag filter still reads floats as stored; the device is filtered', async () => {
  const r = await run(`SELECT mean(temp) FROM m WHERE device = 'd1' AND ${RANGE} GROUP BY time(1m)`);
  assert.deepEqual(r.asked, [{ floatsAsStored: true }]);
  assert.deepEqual(r.rows, [[`0`, '1.875'], [`${M}`, '3']]);
});

test('other aggregates, casts and field conditions read DOUBLEs', async () => {
  for (const q of [
    `SELECT mean(temp), max(temp) FROM m WHERE ${RANGE} GROUP BY time(1m)`,
    `SELECT sum(temp) FROM m WHERE ${RANGE} GROUP BY time(1m)`,
    `SELECT mean(temp::integer) FROM m WHERE ${RANGE} GROUP BY time(1m)`,
    `SELECT mean(temp) FROM m WHERE temp > 2 AND ${RANGE} GROUP BY time(1m)`,
  ]) {
    const r = await run(q);
    assert.notDeepEqual(r.asked, [{ floatsAsStored: true }], q);
  }
});

test('GROUP BY time() and a tag: window start, tag, value per row, ordered by tag then window', async () => {
  const r = await run(`SELECT mean(temp), count(n) FROM m WHERE ${RANGE} GROUP BY time(1m), device`);
  assert.deepEqual(r.rows, [
    ['0', 'd1', '1.875', '2'],
    [`${M}`, 'd1', '3', '1'],
    [`${M}`, 'd2', '9.75', '1'],
  ]);
});
