import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ConnectionPool } from './connection-pool.ts';

test('a connection is reused after a query that succeeded, and closed after one that failed', async () => {
  const pool = new ConnectionPool(await DuckDBInstance.create(':memory:'));
  let first: DuckDBConnection | undefined;
  await pool.use(async (c) => {
    first = c;
    await c.run('SELECT 1');
  });
  await pool.use(async (c) => assert.equal(c, first));
  await assert.rejects(pool.use(async (c) => c.run('SELECT * FROM no_such_table')));
  await pool.use(async (c) => {
    assert.notEqual(c, first, 'the failed connection is not handed out again');
    assert.equal(Number((await c.runAndReadAll('SELECT 41 + 1')).getRows()[0][0]), 42);
  });
  pool.close();
});

test('queries at the same time get connections of their own', async () => {
  const pool = new ConnectionPool(await DuckDBInstance.create(':memory:'));
  const seen = new Set<DuckDBConnection>();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const both = Promise.all([0, 1].map(() => pool.use(async (c) => {
    seen.add(c);
    await gate;
  })));
  await new Promise((r) => setImmediate(r));
  release();
  await both;
  assert.equal(seen.size, 2);
  pool.close();
});
