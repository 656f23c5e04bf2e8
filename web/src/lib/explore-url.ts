// The explorer's state lives in the address (/explore?bucket=..&m=..&f=..), so
// a chart can be bookmarked, shared and reloaded.

import { AGGREGATES, emptySpec, type Aggregate, type ExploreSpec, type QueryLanguage, type TagFilter } from './explore-spec.ts';
import { formatDuration, parseDuration } from './interval.ts';
import { rangeFromParam, rangeToParam } from './time-range.ts';

export interface ExploreState {
  spec: ExploreSpec;
  language?: QueryLanguage;
  /** A hand-edited query that replaces the builder's. */
  customQuery?: string;
  view: 'chart' | 'table';
  /** Auto-refresh period in ms; 0 = off. */
  refreshMs: number;
}

export const REFRESH_CHOICES: ReadonlyArray<{ ms: number; label: string }> = [
  { ms: 0, label: 'Off' },
  { ms: 5000, label: '5s' },
  { ms: 10000, label: '10s' },
  { ms: 30000, label: '30s' },
  { ms: 60000, label: '1m' },
];

export function filterToParam(f: TagFilter): string {
  return `${f.key}${f.op}${f.value}`;
}

export function filterFromParam(p: string): TagFilter | undefined {
  // The key cannot hold the operator; the value may hold anything.
  const m = /^([^=!]+)(!=|=)(.*)$/s.exec(p);
  return m ? { key: m[1], op: m[2] as '=' | '!=', value: m[3] } : undefined;
}

export function stateToQuery(s: ExploreState): string {
  const p = new URLSearchParams();
  const { spec } = s;
  if (spec.bucket) p.set('bucket', spec.bucket);
  if (spec.measurement) p.set('m', spec.measurement);
  for (const f of spec.fields) p.append('f', f);
  for (const f of spec.filters) p.append('where', filterToParam(f));
  for (const g of spec.groupBy) p.append('by', g);
  p.set('agg', spec.aggregate);
  p.set('window', spec.window === 'auto' ? 'auto' : formatDuration(spec.window));
  p.set('range', rangeToParam(spec.range));
  if (s.language) p.set('lang', s.language);
  if (s.customQuery) p.set('q', s.customQuery);
  if (s.view !== 'chart') p.set('view', s.view);
  if (s.refreshMs > 0) p.set('refresh', formatDuration(s.refreshMs));
  return p.toString();
}

export function stateFromQuery(query: string): ExploreState {
  const p = new URLSearchParams(query);
  const spec = emptySpec();
  spec.bucket = p.get('bucket') ?? '';
  spec.measurement = p.get('m') ?? '';
  spec.fields = p.getAll('f').filter(Boolean);
  spec.filters = p.getAll('where').map(filterFromParam).filter((f): f is TagFilter => f !== undefined);
  spec.groupBy = p.getAll('by').filter(Boolean);
  const agg = p.get('agg');
  if (agg && (AGGREGATES as readonly string[]).includes(agg)) spec.aggregate = agg as Aggregate;
  const w = p.get('window');
  if (w && w !== 'auto') {
    const ms = parseDuration(w);
    if (ms) spec.window = ms;
  }
  spec.range = rangeFromParam(p.get('range')) ?? spec.range;
  const lang = p.get('lang');
  const refresh = p.get('refresh');
  return {
    spec,
    language: lang === 'sql' || lang === 'influxql' ? lang : undefined,
    customQuery: p.get('q') || undefined,
    view: p.get('view') === 'table' ? 'table' : 'chart',
    refreshMs: refresh ? (parseDuration(refresh) ?? 0) : 0,
  };
}
