// Runs a user's SQL against one bucket: each measurement it names becomes a
// temporary view (InfluxDB 3's table shape) on a fresh DuckDB connection, the
// statement runs with a time limit, and the result comes back as cells.

import { hooklineError } from '../../core/errors.ts';
import { ident } from '../../storage/duck/duck.ts';
import type { Store } from '../../storage/store.ts';
import { checkSql } from './check-sql.ts';
import { toCell, type Cell } from './result-values.ts';

export interface SqlResult {
  columns: string[];
  rows: Cell[][];
}

export interface SqlOptions {
  timeoutMs: number;
  /** Refuse results larger than this many rows (memory bound). */
  maxRows?: number;
}

export class SqlService {
  constructor(
    private readonly store: Store,
    private readonly opts: SqlOptions,
  ) {}

  async query(bucketId: string, sql: string, params: Record<string, unknown> = {}): Promise<SqlResult> {
    const conn = await this.store.duck.connect();
    let timer: NodeJS.Timeout | undefined;
    try {
      const { tables } = await checkSql(conn, sql, (name) => this.store.measurementOf(bucketId, name) !== undefined);
      const ms = tables.map((t) => this.store.measurementOf(bucketId, t)!);
      return await this.store.read(ms, async () => {
        for (const m of ms) await conn.run(`CREATE TEMP VIEW ${ident(m.name)} AS ${this.store.userRelation(m)}`);
        timer = setTimeout(() => conn.interrupt(), this.opts.timeoutMs);
        let reader;
        try {
          reader = Object.keys(params).length > 0 ? await conn.runAndReadAll(sql, params as never) : await conn.runAndReadAll(sql);
        } catch (e) {
          const msg = (e as Error).message;
          if (/interrupt/i.test(msg)) throw hooklineError('QUERY_TIMEOUT', `query exceeded ${this.opts.timeoutMs} ms`);
          throw hooklineError('QUERY', cleanDuckError(msg));
        }
        const max = this.opts.maxRows ?? 5_000_000;
        if (reader.currentRowCount > max) throw hooklineError('QUERY', `result has more than ${max} rows; add a LIMIT or aggregate`);
        return { columns: reader.deduplicatedColumnNames(), rows: reader.getRows().map((r) => r.map(toCell)) };
      });
    } finally {
      if (timer) clearTimeout(timer);
      conn.closeSync();
    }
  }
}

/** DuckDB prefixes errors with their class; keep the part a user can act on. */
export function cleanDuckError(msg: string): string {
  return msg.replace(/^(Binder|Parser|Catalog|Conversion|Invalid Input|Out of Range|Not implemented) Error: /, '').split('\n\nLINE')[0];
}
