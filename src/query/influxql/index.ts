// InfluxQL: /query (1.x), /api/v3/query_influxql. Being built (issue 3).
import type { Concern, ConcernDeps } from '../../http/concern.ts';

export function createInfluxQl(_deps: ConcernDeps): Concern {
  return { close: async () => undefined };
}
