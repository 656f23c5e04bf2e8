// Entry of a SQL sandbox process (forked by sandbox-process.ts). It holds one
// in-memory DuckDB locked down before any user SQL runs: reads only below its
// own directory, no extension installs or loads, no spill files, and the
// configuration locked so a statement cannot undo any of it. Nothing of
// hookline's catalog or other buckets exists here: the main process copies in
// the snapshot of the measurements one query names (storage/query/sql-snapshot.ts)
// and this process turns them into views, runs the statement, and drops them.
//
// It is a separate process because neither DuckDB's memory_limit nor its
// interrupt bounds everything (materialising `range(400000000)` as a list
// ignores both); the main process watches this one's RSS and kills it.

import { randomInt } from 'node:crypto';
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { toCell, type Cell } from '../result-values.ts';
import { FormattedSize } from '../format-results.ts';
import { INIT_ENV, truncateError, type FromSandbox, type QueryMessage, type SandboxInit, type ToSandbox } from './sandbox-protocol.ts';

function send(m: FromSandbox): void {
  process.send!(m);
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

function quoteLiteral(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

/** Opens the locked-down engine. The order matters: lock_configuration last. */
export async function openSandboxEngine(init: SandboxInit): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: init.memoryLimit,
    // No spill files: a query that does not fit fails instead of filling the disk.
    temp_directory: '',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const dir = init.dir.endsWith('/') ? init.dir : `${init.dir}/`;
  // allowed_directories must be set while external access is still on; once
  // enable_external_access is false only those directories can be read
  // (https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview).
  await conn.run(`SET allowed_directories = [${quoteLiteral(dir)}]`);
  await conn.run(`SET enable_external_access = false`);
  await conn.run(`SET lock_configuration = true`);
  return conn;
}

/** Approximate bytes a cell holds once in the main process. */
function cellBytes(c: Cell): number {
  if (c === null) return 1;
  if (typeof c === 'string') return 16 + c.length * 2;
  if (typeof c !== 'object') return 8;
  if (Array.isArray(c)) return c.reduce<number>((n, x) => n + cellBytes(x), 16);
  return Object.entries(c).reduce((n, [k, x]) => n + 16 + k.length * 2 + cellBytes(x), 16);
}

/** Rows per 'rows' message: one DuckDB chunk, so the main process never deserialises a large piece at once. */
const BATCH_ROWS = 2048;

export async function runStatement(conn: DuckDBConnection, m: QueryMessage, sendRows?: (rows: Cell[][]) => void): Promise<FromSandbox> {
  const out = await runStatementUnbounded(conn, m, sendRows);
  // Bounded before it crosses the IPC: DuckDB's messages quote values of any size.
  return out.type === 'error' ? { ...out, message: truncateError(out.message) } : out;
}

async function runStatementUnbounded(conn: DuckDBConnection, m: QueryMessage, sendRows?: (rows: Cell[][]) => void): Promise<FromSandbox> {
  const created: string[] = [];
  try {
    for (const v of m.views) {
      await conn.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(v.name)} AS ${v.sql}`);
      created.push(v.name);
    }
    // A pooled sandbox runs many tenants' statements on one engine: a fresh
    // random seed before each, so no setseed() (or random() sequence) of an
    // earlier query carries into this one, whatever the text check lets by.
    await conn.run(`SELECT setseed(${randomInt(0, 2 ** 30) / 2 ** 30})`);
    let prepared;
    try {
      prepared = await conn.prepare(m.sql);
    } catch (e) {
      return { type: 'error', id: m.id, kind: 'query', message: (e as Error).message };
    }
    // DuckDB's own classification of the statement, after parsing and
    // binding: only SELECT runs (a COPY into the sandbox directory would be
    // allowed by the engine itself).
    if (!m.anyStatement && prepared.statementType !== StatementType.SELECT) {
      return { type: 'error', id: m.id, kind: 'not_allowed', message: 'only read-only SELECT queries over the bucket are allowed' };
    }
    if (Object.keys(m.params).length > 0) prepared.bind(m.params as never);
    const result = await prepared.stream();
    const columns = result.deduplicatedColumnNames();
    let rows: Cell[][] = [];
    let count = 0;
    let bytes = 0;
    // What the main process will encode, counted too: column names per JSON row, padding...
    const encoded = m.format ? new FormattedSize(columns, m.format) : undefined;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const r of chunk.getRows()) {
        const row = r.map(toCell);
        for (const c of row) bytes += cellBytes(c);
        encoded?.add(row);
        rows.push(row);
      }
      count += chunk.rowCount;
      if (count > m.maxRows) return { type: 'error', id: m.id, kind: 'too_large', message: `more than ${m.maxRows} rows` };
      if (bytes + (encoded?.length ?? 0) > m.maxBytes) return { type: 'error', id: m.id, kind: 'too_large', message: `more than ${m.maxBytes} bytes` };
      if (sendRows && rows.length >= BATCH_ROWS) {
        sendRows(rows);
        rows = [];
      }
    }
    return { type: 'result', id: m.id, columns, rows };
  } catch (e) {
    const message = (e as Error).message;
    return { type: 'error', id: m.id, kind: /^INTERRUPT|Interrupted/i.test(message) ? 'interrupted' : 'query', message };
  } finally {
    for (const name of created) await conn.run(`DROP VIEW IF EXISTS ${quoteIdent(name)}`).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const init = JSON.parse(process.env[INIT_ENV] ?? '{}') as SandboxInit;
  let conn: DuckDBConnection;
  try {
    conn = await openSandboxEngine(init);
  } catch (e) {
    send({ type: 'init_failed', message: truncateError((e as Error).message) });
    process.exit(1);
  }
  // One statement at a time; the main process never sends a second before the answer.
  process.on('message', (m: ToSandbox) => {
    if (m.type === 'interrupt') conn.interrupt();
    else if (m.type === 'query') void runStatement(conn, m, (rows) => send({ type: 'rows', id: m.id, rows })).then(send);
  });
  // The main process went away: nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

if (process.send) void main();
