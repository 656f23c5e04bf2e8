// InfluxQL: /query (InfluxDB 1.x) and /api/v3/query_influxql (InfluxDB 3),
// both translated to SQL on the store's DuckDB engine (see docs/influxql.md).
import type { Concern, ConcernDeps } from '../../http/concern.ts';
import { registerV1Query } from '../../http/routes/influx-v1-query.ts';
import { registerV3InfluxQl } from '../../http/routes/influx-v3-influxql.ts';

export function createInfluxQl(deps: ConcernDeps): Concern {
  return {
    routes(app) {
      registerV1Query(app, deps);
      registerV3InfluxQl(app, deps);
    },
    close: async () => undefined,
  };
}
