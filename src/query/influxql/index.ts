// InfluxQL: /query (InfluxDB 1.x) and /api/v3/query_influxql (InfluxDB 3),
// both translated to SQL on the store's DuckDB engine (see docs/influxql.md),
// and the continuous queries defined through them. The two HTTP routes
// (http/routes/influx-v1-query.ts, influx-v3-influxql.ts) are registered by
// server.ts, so this module does not import http/.
import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../../concern-deps.ts';
import type { Module } from '../../core/ports/module.ts';
import { ContinuousQueryRunner } from './cq-runner.ts';
import { selectLimits } from './run-query.ts';

export function createInfluxQl(deps: ConcernDeps): Module<FastifyInstance> {
  const cqs = new ContinuousQueryRunner({
    store: deps.store,
    ingest: deps.ingest,
    tenancy: deps.tenancy,
    timeoutMs: deps.config.queryTimeout,
    logger: deps.logger,
    limits: selectLimits(deps.config),
    gate: deps.queries,
    runsHere: deps.runsHere,
  });
  return {
    async start() {
      cqs.start();
    },
    close: () => cqs.close(),
  };
}
