// The dependency bag server.ts (the composition root) builds and hands to each
// module (InfluxQL, device events and webhooks, OpenTSDB, the explorer) and to
// the HTTP routes those modules register. It lives beside server.ts, in no
// layer, so that features need not import http/ for it; the modules
// themselves are core/ports' Module. The store is here as its ports only;
// the Duck handle (the event hub's collections) and Tenancy are still concrete.

import type { Config } from './config/schema.ts';
import type { IngestPipeline } from './ingest/pipeline.ts';
import type { QueryLimiter } from './query/query-limiter.ts';
import type { SqlService } from './query/sql/run-sql.ts';
import type { Logger } from './core/ports/logger.ts';
import type { StoreView } from './query/store-view.ts';
import type { Duck } from './storage/duck/duck.ts';
import type { Tenancy } from './tenancy/tenancy.ts';
import type { TlsMaterial } from './tls/tls-material.ts';

export interface ConcernDeps {
  config: Config;
  /** The store through its ports (SchemaReader, SqlSource, PointStore's deletes): what the query front ends read. */
  store: StoreView;
  /** The one ingest call (OpenTSDB put, SELECT INTO, continuous queries write through it). */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  sql: SqlService;
  /** The one gate every query language passes (HOOKLINE_MAX_CONCURRENT_QUERIES). */
  queries: QueryLimiter;
  duck: Duck;
  logger: Logger;
  /**
   * Several nodes: true while this node holds the cluster's scheduler lease
   * (cluster/lease.ts), so work done once per cluster (continuous queries,
   * alert checks) runs on one node. Absent alone: always here.
   */
  runsHere?: () => boolean;
  /** Present when the HTTP listeners serve HTTPS. */
  tls?: TlsMaterial;
}
