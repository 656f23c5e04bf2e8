// A small document collection kept in memory and persisted: devices,
// integrations and secrets each live in one. DuckDB (one `ev_<name>` table in
// the catalog database) when hookline runs alone; a NATS JetStream key-value
// bucket when several nodes share the configuration (nats-collection.ts).

import type { Collection } from '../core/ports/collection.ts';
import type { SerialConnection } from '../storage/duck/duck.ts';

// The interface is the core port (core/ports/collection.ts); re-exported for existing importers.
export type { Collection } from '../core/ports/collection.ts';

export class DuckCollection<T> implements Collection<T> {
  private readonly docs = new Map<string, T>();
  onChange?: (id: string, doc: T | undefined) => void;

  private constructor(
    private readonly db: SerialConnection,
    private readonly table: string,
  ) {}

  static async open<T>(db: SerialConnection, name: string): Promise<DuckCollection<T>> {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad collection name ${name}`);
    const c = new DuckCollection<T>(db, `ev_${name}`);
    await db.exec(`CREATE TABLE IF NOT EXISTS ${c.table} (id VARCHAR PRIMARY KEY, doc VARCHAR NOT NULL)`);
    for (const r of await db.rows<{ id: string; doc: string }>(`SELECT id, doc FROM ${c.table}`)) c.docs.set(r.id, JSON.parse(r.doc) as T);
    return c;
  }

  get(id: string): T | undefined {
    return this.docs.get(id);
  }
  values(): IterableIterator<T> {
    return this.docs.values();
  }
  get size(): number {
    return this.docs.size;
  }

  async put(id: string, doc: T): Promise<void> {
    await this.db.exec(`INSERT OR REPLACE INTO ${this.table} VALUES (?, ?)`, [id, JSON.stringify(doc)]);
    this.docs.set(id, doc);
    this.onChange?.(id, doc);
  }

  /** Several documents in one transaction (periodic last_heard updates). */
  async putMany(entries: Array<[string, T]>): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async (c) => {
      for (const [id, doc] of entries) await c.run(`INSERT OR REPLACE INTO ${this.table} VALUES (?, ?)`, [id, JSON.stringify(doc)]);
    });
    for (const [id, doc] of entries) this.docs.set(id, doc);
  }

  async delete(id: string): Promise<void> {
    await this.db.exec(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
    this.docs.delete(id);
    this.onChange?.(id, undefined);
  }

  async close(): Promise<void> {}
}
