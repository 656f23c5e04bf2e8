// Runs a user's SQL against one bucket. The statement never runs in the main
// DuckDB (which holds the catalog and every bucket): a text check gives a
// friendly first error, then the store copies the measurements the statement
// names into a sandbox process's directory and the sandbox runs it with only
// those views (sandbox/sandbox-worker.ts). docs/security.md, "SQL sandbox".

import type { DuckDBConnection } from '@duckdb/node-api';
import { hooklineError } from '../../core/errors.ts';
import { checkSql } from './check-sql.ts';
import type { Cell } from './result-values.ts';
import { SandboxPool } from './sandbox/sandbox-pool.ts';
import type { ResultFormat } from './format-results.ts';
import { truncateError, type SandboxView } from './sandbox/sandbox-protocol.ts';

export interface SqlResult {
  columns: string[];
  rows: Cell[][];
}

/** What SQL needs of the store (a SqlSource port later): names, a parser connection, snapshots. */
export interface SqlStore {
  hasMeasurement(bucketId: string, name: string): boolean;
  /** A connection used only to parse the statement (json_serialize_sql); closed after. */
  parserConnection(): Promise<DuckDBConnection>;
  exportSqlSnapshot(bucketId: string, names: string[], dir: string): Promise<SandboxView[]>;
}

export interface SqlOptions {
  timeoutMs: number;
  /** Resident memory of a sandbox process running a query (HOOKLINE_QUERY_MEMORY_LIMIT). */
  memoryBytes: number;
  /** Directory holding the sandboxes' private directories. */
  sandboxDir: string;
  /** Sandbox processes at most (queries beyond wait for one). */
  processes: number;
  /** Refuse results larger than this many rows. */
  maxRows?: number;
  /** Refuse results larger than this (HOOKLINE_QUERY_MAX_RESULT_BYTES). */
  maxResultBytes: number;
}

export class SqlService {
  readonly sandbox: SandboxPool;

  constructor(
    private readonly store: SqlStore,
    private readonly opts: SqlOptions,
  ) {
    this.sandbox = new SandboxPool({ root: opts.sandboxDir, size: opts.processes, memoryBytes: opts.memoryBytes, timeoutMs: opts.timeoutMs });
  }

  /** `format`: the answer's encoding, whose length counts against HOOKLINE_QUERY_MAX_RESULT_BYTES with the cells. */
  async query(bucketId: string, sql: string, params: Record<string, unknown> = {}, format?: ResultFormat): Promise<SqlResult> {
    const conn = await this.store.parserConnection();
    let tables: string[];
    try {
      tables = (await checkSql(conn, sql, (name) => this.store.hasMeasurement(bucketId, name))).tables;
    } finally {
      conn.closeSync();
    }
    const maxRows = this.opts.maxRows ?? 5_000_000;
    const out = await this.sandbox.run({
      sql,
      params,
      maxRows,
      maxBytes: this.opts.maxResultBytes,
      format,
      prepare: (dir) => this.store.exportSqlSnapshot(bucketId, tables, dir),
    });
    if (out.ok) return { columns: out.columns, rows: out.rows };
    switch (out.kind) {
      case 'timeout':
      case 'interrupted':
        throw hooklineError('QUERY_TIMEOUT', `query exceeded ${this.opts.timeoutMs} ms (HOOKLINE_QUERY_TIMEOUT)`);
      case 'memory':
        throw hooklineError('QUERY_MEMORY', `query exceeded the memory limit of ${this.opts.memoryBytes} bytes (HOOKLINE_QUERY_MEMORY_LIMIT); aggregate or add a LIMIT`);
      case 'too_large':
        throw hooklineError('QUERY', `result has ${out.message} (at most ${maxRows} rows and HOOKLINE_QUERY_MAX_RESULT_BYTES); add a LIMIT or aggregate`);
      case 'not_allowed':
        throw hooklineError('QUERY_NOT_ALLOWED');
      case 'crashed':
        throw hooklineError('QUERY', out.message);
      default:
        throw hooklineError('QUERY', cleanDuckError(out.message));
    }
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}

/** DuckDB prefixes errors with their class; keep the part a user can act on, at most MAX_ERROR_CHARS of it. */
export function cleanDuckError(msg: string): string {
  return truncateError(
    msg
      .replace(/^(Binder|Parser|Catalog|Conversion|Invalid Input|Out of Range|Not implemented|Permission|Invalid) Error: /, '')
      .split('\n\nLINE')[0],
  );
}
