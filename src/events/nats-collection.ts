// A Collection (collection.ts) kept in a NATS JetStream key-value bucket, so
// every node sees the same devices, integrations and secrets. Each node keeps
// the whole bucket in memory and follows changes with a KV watch; writes go
// to the bucket first, and the watch brings other nodes' writes in.

import type { KV, KvEntry } from 'nats';
import type { Collection } from './collection.ts';

export class NatsCollection<T> implements Collection<T> {
  private readonly docs = new Map<string, T>();
  onChange?: (id: string, doc: T | undefined) => void;
  private stop: (() => void) | undefined;

  private constructor(private readonly kv: KV) {}

  static async open<T>(kv: KV): Promise<NatsCollection<T>> {
    const c = new NatsCollection<T>(kv);
    let ready!: () => void;
    const initialized = new Promise<void>((r) => (ready = r));
    const watch = await kv.watch({ initializedFn: () => ready() });
    c.stop = () => watch.stop();
    void (async () => {
      for await (const e of watch) c.apply(e);
    })();
    await initialized;
    return c;
  }

  private apply(e: KvEntry): void {
    if (e.operation === 'DEL' || e.operation === 'PURGE') {
      if (this.docs.delete(e.key)) this.onChange?.(e.key, undefined);
      return;
    }
    const doc = e.json<T>();
    this.docs.set(e.key, doc);
    this.onChange?.(e.key, doc);
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
    await this.kv.put(id, JSON.stringify(doc));
    this.docs.set(id, doc);
    this.onChange?.(id, doc);
  }

  async putMany(entries: Array<[string, T]>): Promise<void> {
    await Promise.all(entries.map(([id, doc]) => this.kv.put(id, JSON.stringify(doc))));
    for (const [id, doc] of entries) this.docs.set(id, doc);
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(id);
    this.docs.delete(id);
    this.onChange?.(id, undefined);
  }

  async close(): Promise<void> {
    this.stop?.();
  }
}
