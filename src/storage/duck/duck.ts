// The embedded DuckDB instance: one database file for the catalog (orgs,
// buckets, tokens, the list of Parquet files...), an in-memory database `hot`
// for the not-yet-flushed points, and the engine that queries both.

import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import { ConnectionPool } from './connection-pool.ts';

export interface DuckOptions {
  path: string;
  /** Worker threads for DuckDB; queries and flushes share them with the event loop. */
  threads?: number;
  memoryLimit?: string;
  /** Memory limit of the file-rewriting engine (rewrite()), bytes; default 64 MiB. */
  rewriteMemoryLimit?: number;
}

/** HOOKLINE_COMPACTION_MEMORY_LIMIT's default (src/config/schema.ts). */
export const DEFAULT_REWRITE_MEMORY_LIMIT = 64 * 1024 * 1024;

/** Runs statements on one connection one at a time (a DuckDB connection is not re-entrant). */
export class SerialConnection {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(readonly conn: DuckDBConnection) {}

  /** Settles once every statement queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  run<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => fn(this.conn));
    this.tail = next.catch(() => undefined);
    return next;
  }

  all(sql: string, params?: unknown[]): Promise<DuckDBResultReader> {
    return this.run((c) => (params ? c.runAndReadAll(sql, params as never) : c.runAndReadAll(sql)));
  }

  async rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const r = await this.all(sql, params);
    return r.getRowObjectsJS() as T[];
  }

  exec(sql: string, params?: unknown[]): Promise<void> {
    return this.run(async (c) => {
      if (params) await c.run(sql, params as never);
      else await c.run(sql);
    });
  }

  /** Runs `fn` inside BEGIN/COMMIT on this connection, rolling back on error. */
  transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.run(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const out = await fn(c);
        await c.run('COMMIT');
        return out;
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }
}

export class Duck {
  /** Reused connections for queries (connection-pool.ts). */
  readonly pool: ConnectionPool;

  /** The file-rewriting engine, made on first use (rewrite()). */
  private rewriter: Promise<{ instance: DuckDBInstance; conn: SerialConnection }> | undefined;

  private constructor(
    readonly instance: DuckDBInstance,
    /** Catalog reads and writes. */
    readonly meta: SerialConnection,
    /** Hot-table maintenance (appends, flush copies). */
    readonly hot: SerialConnection,
    private readonly opts: DuckOptions,
  ) {
    this.pool = new ConnectionPool(instance);
  }

  /**
   * Runs `fn` on a second DuckDB instance kept for rewriting Parquet files into
   * Parquet files (compaction, point deletion): one thread and its own memory
   * limit, so the sort of a compaction spills to disk instead of raising the
   * process's peak memory, and never takes memory or threads from queries
   * (DuckDB's memory_limit and threads are per instance). Measured on the
   * ingest benchmark's compaction of 2 M points (two files, ORDER BY series
   * and time): +272 MB of peak RSS in 1.6-2.3 s on the main engine (2 threads,
   * no limit); with 1 thread, +113 MB in 1.9 s at a 100 MB limit and +86 MB
   * in 3.1 s at 64 MB (docs/storage.md).
   * Statements run one at a time; the instance only ever reads and writes
   * files (it has no catalog and no hot tables).
   */
  rewrite<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.rewriter ??= (async () => {
      const limit = this.opts.rewriteMemoryLimit ?? DEFAULT_REWRITE_MEMORY_LIMIT;
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '1',
        memory_limit: `${Math.max(1, Math.floor(limit / 1024 / 1024))}MiB`,
        // Spills go beside the catalog file, not to ./.tmp (an in-memory database's default).
        temp_directory: `${this.opts.path}.rewrite.tmp`,
      });
      return { instance, conn: new SerialConnection(await instance.connect()) };
    })();
    return this.rewriter.then((r) => r.conn.run(fn));
  }

  static async open(opts: DuckOptions): Promise<Duck> {
    const config: Record<string, string> = { threads: String(opts.threads ?? 2) };
    if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
    const instance = await DuckDBInstance.create(opts.path, config);
    const meta = new SerialConnection(await instance.connect());
    await meta.exec(`ATTACH ':memory:' AS hot`);
    // Parquet footers are re-read on every query otherwise. (Set after start:
    // the parquet extension is only loaded once the instance runs.)
    await meta.exec(`SET parquet_metadata_cache = true`);
    const hot = new SerialConnection(await instance.connect());
    return new Duck(instance, meta, hot, opts);
  }

  /** A fresh connection for one query; the caller closes it. */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /**
   * Closes the instance once the statements queued on the catalog and hot
   * connections have finished. Closing a connection while a statement still
   * runs on it leaves that statement holding the last reference to its
   * ClientContext, whose destructor then waits for the context lock the
   * statement holds: a deadlock inside DuckDB that keeps the process from ever
   * exiting (seen at shutdown with a flush or compaction still running).
   */
  async close(): Promise<void> {
    await Promise.all([this.meta.idle(), this.hot.idle()]);
    const rewriter = await this.rewriter?.catch(() => undefined);
    if (rewriter) {
      await rewriter.conn.idle();
      rewriter.conn.conn.closeSync();
      rewriter.instance.closeSync();
    }
    this.pool.close();
    this.meta.conn.closeSync();
    this.hot.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Quotes an identifier for DuckDB SQL. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes a string literal for DuckDB SQL. */
export function literal(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}
