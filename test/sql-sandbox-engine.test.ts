// The sandbox engine itself, with no text check in front: statements go
// straight to a sandbox process. Reads outside its directory, COPY, ATTACH,
// SET, INSTALL and LOAD fail inside DuckDB (locked configuration), and only
// what DuckDB classifies as SELECT runs at all.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxPool } from '../src/query/sql/sandbox/sandbox-pool.ts';
import { tempDir } from './helpers/server.ts';

let root: string;
let outside: string;
let pool: SandboxPool;

before(async () => {
  root = await tempDir('hookline-sandbox-');
  outside = await tempDir('hookline-outside-');
  writeFileSync(join(outside, 'secret.csv'), 'a,b\nTOPSECRET,1\n');
  pool = new SandboxPool({ root: join(root, '.sandbox'), size: 1, memoryBytes: 1024 * 2 ** 20, timeoutMs: 30_000 });
});
after(() => pool.close());

const raw = (sql: string, anyStatement = true) =>
  pool.run({ sql, params: {}, maxRows: 100, maxBytes: 2 ** 20, anyStatement, prepare: async () => [] });

test('file reads outside its own directory fail in the engine', async () => {
  const f = join(outside, 'secret.csv');
  for (const sql of [
    `SELECT * FROM read_csv('${f}')`,
    `SELECT * FROM '${f}'`,
    `SELECT * FROM read_text('${f}')`,
    `SELECT * FROM read_blob('${f}')`,
    `SELECT * FROM glob('${outside}/*')`,
    `SELECT * FROM sniff_csv('${f}')`,
    `SELECT * FROM read_text('${join(root, '.sandbox', '0')}/../../${f.slice(1)}')`,
    `SELECT * FROM read_json_auto('/etc/passwd')`,
  ]) {
    const out = await raw(sql);
    assert.equal(out.ok, false, sql);
    if (!out.ok) assert.match(out.message, /Permission Error|disabled by configuration/, sql);
    assert.ok(!JSON.stringify(out).includes('TOPSECRET'), sql);
  }
});

test('COPY, ATTACH, SET, RESET, INSTALL and LOAD fail in the engine', async () => {
  const cases: Array<[string, RegExp]> = [
    [`COPY (SELECT 1) TO '${join(outside, 'out.csv')}'`, /Permission|disabled/],
    [`ATTACH '${join(outside, 'x.db')}' AS x`, /Permission|disabled/],
    [`SET memory_limit = '64GB'`, /configuration has been locked/],
    [`SET enable_external_access = true`, /configuration has been locked/],
    [`SET allowed_directories = ['/']`, /configuration has been locked/],
    [`RESET allowed_directories`, /locked/],
    [`SET temp_directory = '${outside}'`, /locked/],
    [`INSTALL httpfs`, /Permission|disabled/],
    [`LOAD httpfs`, /disabled|Permission/],
    [`SELECT getenv('HOME')`, /does not exist/],
  ];
  for (const [sql, re] of cases) {
    const out = await raw(sql);
    assert.equal(out.ok, false, sql);
    if (!out.ok) assert.match(out.message, re, sql);
  }
  assert.equal(existsSync(join(outside, 'out.csv')), false);
  assert.equal(existsSync(join(outside, 'x.db')), false);
});

test('only statements DuckDB classifies as SELECT run, even into its own directory', async () => {
  const own = join(root, '.sandbox', '0', 'own.csv');
  for (const sql of [`COPY (SELECT 1) TO '${own}'`, `ATTACH ':memory:' AS m`, 'CREATE TABLE t (a INT)', 'EXPLAIN SELECT 1', 'SET threads = 2', 'DROP VIEW IF EXISTS x']) {
    const out = await raw(sql, false);
    assert.equal(out.ok, false, sql);
    if (!out.ok) assert.equal(out.kind, 'not_allowed', sql);
  }
  assert.equal(existsSync(own), false);
  const ok = await raw('SELECT 42 AS x', false);
  assert.deepEqual(ok, { ok: true, columns: ['x'], rows: [[42]] });
});

test('nothing of hookline exists in the engine', async () => {
  const out = await raw("SELECT count(*) AS n FROM duckdb_tables()", false);
  assert.deepEqual(out, { ok: true, columns: ['n'], rows: [[0n]] });
  const dbs = await raw("SELECT list(database_name ORDER BY database_name) AS d FROM duckdb_databases() WHERE NOT internal", false);
  assert.deepEqual(dbs, { ok: true, columns: ['d'], rows: [[['memory']]] });
});
