// How server.ts assembles the parts of hookline beyond the core store: each
// concern (InfluxQL, device events and webhooks, OpenTSDB, the explorer) is
// built from the same dependencies and plugs in through this interface.

import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.ts';
import type { QueryLimiter } from '../query/query-limiter.ts';
import type { SqlService } from '../query/sql/run-sql.ts';
import type { Duck } from '../storage/duck/duck.ts';
import type { Store, StoreLogger } from '../storage/store.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';
import type { TlsMaterial } from '../tls/tls-material.ts';

export interface ConcernDeps {
  config: Config;
  store: Store;
  tenancy: Tenancy;
  sql: SqlService;
  /** The one gate every query language passes (HOOKLINE_MAX_CONCURRENT_QUERIES). */
  queries: QueryLimiter;
  duck: Duck;
  logger: StoreLogger;
  /** Present when the HTTP listeners serve HTTPS. */
  tls?: TlsMaterial;
}

export interface Concern {
  /** Registers routes on the main HTTP server. */
  routes?(app: FastifyInstance): void;
  /** Runs once the main HTTP server listens (side listeners, background work). `url` is its base URL. */
  start?(info: { url: string }): Promise<void>;
  close(): Promise<void>;
}
