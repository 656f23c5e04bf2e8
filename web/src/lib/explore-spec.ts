// What the query builder's controls describe, independent of the language the
// query is then written in (InfluxQL or SQL).

import type { TimeRange } from './time-range.ts';

export const AGGREGATES = ['none', 'mean', 'median', 'min', 'max', 'sum', 'count', 'first', 'last', 'spread', 'stddev'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export type QueryLanguage = 'influxql' | 'sql';

export interface TagFilter {
  key: string;
  op: '=' | '!=';
  value: string;
}

export interface ExploreSpec {
  bucket: string;
  measurement: string;
  fields: string[];
  filters: TagFilter[];
  /** Tag keys: one series per combination of their values. */
  groupBy: string[];
  aggregate: Aggregate;
  /** 'auto' follows the time range (Grafana's $__interval); otherwise ms. */
  window: 'auto' | number;
  range: TimeRange;
}

/** Raw (unaggregated) queries stop here: the chart stays smooth and memory bounded. */
export const MAX_RAW_POINTS = 200_000;

export function emptySpec(): ExploreSpec {
  return { bucket: '', measurement: '', fields: [], filters: [], groupBy: [], aggregate: 'mean', window: 'auto', range: { kind: 'relative', lastMs: 15 * 60_000 } };
}

export function isRunnable(s: ExploreSpec): boolean {
  return Boolean(s.bucket && s.measurement && s.fields.length > 0);
}
