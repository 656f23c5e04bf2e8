// Collection: a small document collection kept in memory and persisted
// (devices, integrations, secrets). Reads are synchronous from memory; writes
// resolve once persisted. Another node's change arrives through `onChange`.
//
// Implementations: DuckCollection
// (events/collection.ts, one `ev_<name>` table in the catalog database) and
// NatsCollection (events/nats-collection.ts, a JetStream key-value bucket).
// test/contracts/collection.contract.ts is the suite both pass.

export interface Collection<T> {
  get(id: string): T | undefined;
  values(): IterableIterator<T>;
  readonly size: number;
  put(id: string, doc: T): Promise<void>;
  /** Several documents at once (periodic last_heard updates). */
  putMany(entries: Array<[string, T]>): Promise<void>;
  delete(id: string): Promise<void>;
  /** Called after a change made here or by another node. */
  onChange?: (id: string, doc: T | undefined) => void;
  close(): Promise<void>;
}
