// /api/query's answer (HttpJsonSerializer.formatQueryV1): an array of
// {metric, tags, aggregateTags, dps}, dps a map from the timestamp (seconds,
// or ms with msResolution) to the value, or with ?arrays a list of
// [timestamp, value] pairs (Grafana's OpenTSDB 2.4 mode). A filled gap is
// null (fill policy null) or "NaN" (Jackson quotes non-numeric numbers).

import type { QueryResult } from './run-query.ts';

export function formatResults(results: QueryResult[], opts: { msResolution: boolean; arrays: boolean }): unknown[] {
  return results.map((r) => {
    const out: Record<string, unknown> = { metric: r.metric, tags: r.tags, aggregateTags: r.aggregateTags };
    const key = (t: number) => (opts.msResolution ? t : Math.floor(t / 1000));
    const val = (v: number) => (Number.isNaN(v) ? r.gap : v);
    if (opts.arrays) out.dps = r.points.map(([t, v]) => [key(t), val(v)]);
    else {
      const dps: Record<string, unknown> = {};
      for (const [t, v] of r.points) dps[String(key(t))] = val(v);
      out.dps = dps;
    }
    if (r.query) out.query = r.query;
    return out;
  });
}
