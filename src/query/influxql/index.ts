// InfluxQL: /query (InfluxDB 1.x) and /api/v3/query_influxql (InfluxDB 3),
// both translated to SQL on the store's DuckDB engine (see docs/influxql.md),
// and the continuous queries defined through them.
import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../../concern-deps.ts';
import type { Module } from '../../core/ports/module.ts';
import { registerV1Query } from '../../http/routes/influx-v1-query.ts';
import { registerV3InfluxQl } from '../../http/routes/influx-v3-influxql.ts';
import { ContinuousQueryRunner } from './cq-runner.ts';
import { selectLimits } from './run-query.ts';

export function createInfluxQl(deps: ConcernDeps): Module<FastifyInstance> {
  const cqs = new ContinuousQueryRunner({
    store: deps.store,
    tenancy: deps.tenancy,
    timeoutMs: deps.config.queryTimeout,
    logger: deps.logger,
    limits: selectLimits(deps.config),
    gate: deps.queries,
  });
  return {
    routes(app) {
      registerV1Query(app, deps);
      registerV3InfluxQl(app, deps);
    },
    async start() {
      cqs.start();
    },
    close: () => cqs.close(),
  };
}
