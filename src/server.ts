// The composition root: the only place that builds concrete parts and wires
// them together. Everything else receives what it needs.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { createApp } from './http/create-app.ts';
import { SqlService } from './query/sql/run-sql.ts';
import { Duck } from './storage/duck/duck.ts';
import { Store, type StoreLogger } from './storage/store.ts';
import { ensureFirstRun, type FirstRunResult } from './tenancy/first-run.ts';
import { Tenancy } from './tenancy/tenancy.ts';
import { availableParallelism } from 'node:os';
import { inlineParser, ParsePool } from './ingest/line-protocol/parse-pool.ts';

export interface Server {
  app: FastifyInstance;
  store: Store;
  tenancy: Tenancy;
  /** Base URL of the main HTTP listener. */
  url: string;
  firstRun?: FirstRunResult;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { logger?: boolean | object } = {}): Promise<Server> {
  await mkdir(config.dataDir, { recursive: true });
  const duck = await Duck.open({
    path: join(config.dataDir, 'hookline.duckdb'),
    threads: config.duckdbThreads,
    memoryLimit: config.duckdbMemoryLimit || undefined,
  });
  const tenancy = await Tenancy.open(duck.meta);
  const firstRun = await ensureFirstRun(tenancy, {
    org: config.initOrg,
    bucket: config.initBucket,
    token: config.initToken,
    retentionSeconds: Math.round(config.initRetention / 1000),
  });
  const logger = opts.logger ?? { level: config.logLevel };
  const app0 = createLoggerOnly(logger);
  // Measured on 2 cores: a parse worker competes with the event loop, the
  // client and DuckDB for the same cores and adds latency (docs/storage.md);
  // it pays off from 4 cores.
  const cores = availableParallelism();
  const workers = config.parseWorkers >= 0 ? config.parseWorkers : cores >= 4 ? Math.min(4, cores - 2) : 0;
  const parser = workers > 0 ? new ParsePool(workers) : inlineParser;
  const store = await Store.open({
    parser,
    dataDir: config.dataDir,
    duck,
    bucketInfo: (id) => {
      const b = tenancy.bucket(id);
      return b && { id: b.id, retentionSeconds: b.retentionSeconds, shardGroupSeconds: b.shardGroupSeconds };
    },
    flushRows: config.flushPoints,
    maxMemRows: config.maxBufferedPoints,
    flushIntervalMs: config.flushInterval,
    logger: app0,
  });
  tenancy.onBucketDeleted = (b) => store.deleteBucket(b.id);
  const sql = new SqlService(store, { timeoutMs: config.queryTimeout });
  const app = createApp({ config, store, tenancy, sql, logger });
  await app.listen({ port: config.httpPort, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let closed = false;
  return {
    app,
    store,
    tenancy,
    url,
    firstRun,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await store.close();
      duck.close();
    },
  };
}

/** The store logs through the same sink as HTTP, without depending on fastify. */
function createLoggerOnly(logger: boolean | object): StoreLogger {
  if (logger === false) return { info() {}, warn() {}, error() {} };
  const write = (level: string) => (msg: string, extra?: Record<string, unknown>) =>
    process.stderr.write(JSON.stringify({ level, time: Date.now(), msg, ...extra }) + '\n');
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
