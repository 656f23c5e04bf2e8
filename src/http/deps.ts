import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config/schema.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { QueryLimiter } from '../query/query-limiter.ts';
import type { SqlService } from '../query/sql/run-sql.ts';
import type { StoreView } from '../query/store-view.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

/** What the HTTP layer is built from (server.ts provides the concrete parts). */
export interface AppDeps {
  config: Config;
  /** The store through its ports: what the InfluxQL and OpenTSDB query routes read. */
  store: StoreView;
  /** Brings everything acknowledged to its final on-disk form (flush, then compaction): POST /debug/flush. */
  settle(): Promise<void>;
  /** The one ingest call: every write route ends there (ingest/pipeline.ts). */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  sql: SqlService;
  /** The one gate every query language passes (HOOKLINE_MAX_CONCURRENT_QUERIES). */
  queries: QueryLimiter;
  logger?: FastifyServerOptions['logger'];
  /** Serve HTTPS with this key and certificate. */
  https?: { key: Buffer; cert: Buffer };
  /** Several nodes: this node's progress through the cluster's write log (read-your-writes, docs/cluster.md). */
  writePositions?: {
    /** Resolves true once this node applied `position`, false after `timeoutMs`. */
    waitApplied(position: number, timeoutMs: number): Promise<boolean>;
  };
  /** Route families added by other concerns (devices, integrations, OpenTSDB...). */
  extraRoutes?: Array<(app: FastifyInstance) => void>;
}
