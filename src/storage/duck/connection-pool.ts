// Idle DuckDB connections kept for the next query. Opening a connection
// costs 0.2-0.7 ms of the event loop (DuckDBInstance.connect is synchronous
// underneath, and more under load), a large share of a 5 ms query; a reused
// connection costs nothing. A connection whose query failed (an error, or an
// interrupt after a timeout) is closed rather than reused, so no state of a
// failed query reaches the next one.

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** Idle connections kept: queries run about one per core at a time, and a connection holds a little memory. */
const MAX_IDLE = 4;

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;

  constructor(private readonly instance: DuckDBInstance) {}

  /** Runs `fn` on a connection of its own (no other query runs on it meanwhile). */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = this.idle.pop() ?? (await this.instance.connect());
    let ok = false;
    try {
      const out = await fn(conn);
      ok = true;
      return out;
    } finally {
      if (ok && !this.closed && this.idle.length < MAX_IDLE) this.idle.push(conn);
      else conn.closeSync();
    }
  }

  /** Closes the idle connections; connections in use are closed when their query ends. */
  close(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) conn.closeSync();
  }
}
