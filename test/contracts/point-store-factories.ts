// The PointStore implementations every port-level suite runs against: the
// in-memory store, and the embedded Parquet store over a temporary data
// directory and a real DuckDB. point-store.test.ts (the store's own contract)
// and ingest-pipeline.test.ts (the one ingest call over each store) share them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryPointStore } from '../../src/storage/memory/memory-point-store.ts';
import { ParquetPointStore } from '../../src/storage/parquet-point-store.ts';
import { Duck } from '../../src/storage/duck/duck.ts';
import { Store } from '../../src/storage/store.ts';
import type { PointStoreFactory, StoreHarness } from './point-store.contract.ts';

export const memoryPointStore: PointStoreFactory = {
  name: 'MemoryPointStore',
  durable: false,
  async open(): Promise<StoreHarness> {
    const store = new MemoryPointStore();
    return {
      store,
      reopen: () => Promise.reject(new Error('not durable')),
      destroy: () => store.close(),
    };
  },
};

export const parquetPointStore: PointStoreFactory = {
  name: 'ParquetPointStore (embedded store, temp dir, real DuckDB)',
  durable: true,
  async open(): Promise<StoreHarness> {
    const dir = await mkdtemp(join(tmpdir(), 'hookline-contract-'));
    const start = async () => {
      const duck = await Duck.open({ path: join(dir, 'hookline.duckdb'), threads: 1 });
      const store = await Store.open({ dataDir: dir, duck, bucketInfo: (id) => ({ id, retentionSeconds: 0, shardGroupSeconds: 86_400 }) });
      return { duck, ports: new ParquetPointStore(store) };
    };
    let cur = await start();
    const stop = async () => {
      await cur.ports.close();
      await cur.duck.close();
    };
    const h: StoreHarness = {
      store: cur.ports,
      async reopen() {
        await stop();
        cur = await start();
        h.store = cur.ports;
        return cur.ports;
      },
      async destroy() {
        await stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return h;
  },
};

export const pointStoreFactories: readonly PointStoreFactory[] = [memoryPointStore, parquetPointStore];
