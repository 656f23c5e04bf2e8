// /api/query requests -> one normalized query (OTDOC api_http/query/index;
// OTSDB TSQuery/TSSubQuery.validateAndSetQuery, QueryRpc.parseMTypeSubQuery,
// DownsamplingSpecification, RateOptions):
//   POST {"start","end","queries":[{aggregator,metric,downsample,rate,rateOptions,tags|filters,explicitTags}],
//         "msResolution","showQuery",...}
//   GET  ?start=1h-ago&end=...&m=<agg>:[rate[{counter[,max[,reset]]}]:][<ds>:][explicit_tags:]<metric>{groupby}{filters}&ms
// Pure: parsed JSON / query parameters and the clock in; QueryError (400) out.

import { aggregator, type Aggregator } from './aggregators.ts';
import { checkFilter, filterFromShortcut, type TagFilter } from './filters.ts';
import { QueryError } from '../../core/errors.ts';
import { parseDuration, parseTime } from './time.ts';

export type FillPolicy = 'none' | 'nan' | 'null' | 'zero';

export interface Downsample {
  /** Bucket width in ms, or 'all' (one bucket for the whole range). */
  intervalMs: number | 'all';
  aggregator: Aggregator;
  fill: FillPolicy;
}

export interface RateOptions {
  counter: boolean;
  counterMax: number;
  resetValue: number;
  dropResets: boolean;
}

export interface SubQuery {
  index: number;
  metric: string;
  aggregator: Aggregator;
  downsample?: Downsample;
  rate: boolean;
  rateOptions: RateOptions;
  filters: TagFilter[];
  explicitTags: boolean;
  /** What showQuery echoes back (Grafana's v2.3 mode maps results by query.index). */
  echo: Record<string, unknown>;
}

export interface TsQuery {
  startMs: number;
  endMs: number;
  msResolution: boolean;
  showQuery: boolean;
  queries: SubQuery[];
}

const DEFAULT_RATE: RateOptions = { counter: false, counterMax: Number.MAX_SAFE_INTEGER, resetValue: 0, dropResets: false };

/** POST body (already JSON-parsed). */
export function parseQueryBody(body: unknown, nowMs: number): TsQuery {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new QueryError('Unable to parse the given JSON');
  const b = body as Record<string, unknown>;
  const raw = Array.isArray(b.queries) ? b.queries : [];
  return finish(b.start, b.end, nowMs, truthy(b.msResolution) || truthy(b.ms), truthy(b.showQuery), raw.map((q, i) => subQueryFromJson(q, i)));
}

/** GET parameters: repeated `m` values arrive as an array. */
export function parseQueryParams(q: Record<string, string | string[] | undefined>, nowMs: number): TsQuery {
  const ms = q.m === undefined ? [] : Array.isArray(q.m) ? q.m : [q.m];
  if (ms.length === 0) throw new QueryError('Missing sub queries');
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const flag = (name: string) => q[name] !== undefined && first(q[name]) !== 'false';
  if (first(q.start) === undefined) throw new QueryError("Missing parameter <code>start</code>");
  return finish(first(q.start), first(q.end), nowMs, flag('ms') || flag('msResolution'), flag('show_query') || flag('showQuery'), ms.map((m, i) => subQueryFromM(m, i)));
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function finish(start: unknown, end: unknown, nowMs: number, msResolution: boolean, showQuery: boolean, queries: SubQuery[]): TsQuery {
  if (start === undefined || start === null || start === '') throw new QueryError('Missing start time');
  const startMs = parseTime(start, nowMs);
  const endMs = end === undefined || end === null || end === '' ? nowMs : parseTime(end, nowMs);
  if (startMs >= endMs) throw new QueryError('Start time must be less than the end time');
  if (queries.length === 0) throw new QueryError('Missing queries');
  return { startMs, endMs, msResolution, showQuery, queries };
}

function subQueryFromJson(raw: unknown, index: number): SubQuery {
  if (!raw || typeof raw !== 'object') throw new QueryError('Unable to parse the given JSON');
  const q = raw as Record<string, unknown>;
  const filters: TagFilter[] = [];
  if (Array.isArray(q.filters)) {
    for (const f of q.filters as Array<Record<string, unknown>>) {
      filters.push(checkFilter({ type: String(f.type ?? '').toLowerCase(), tagk: String(f.tagk ?? ''), filter: f.filter == null ? '' : String(f.filter), groupBy: f.groupBy === true }));
    }
  }
  if (q.tags && typeof q.tags === 'object') addShortcutTags(filters, Object.entries(q.tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]), true);
  const ro = (q.rateOptions ?? {}) as Record<string, unknown>;
  const rateOptions: RateOptions = {
    counter: ro.counter === true,
    counterMax: typeof ro.counterMax === 'number' ? ro.counterMax : DEFAULT_RATE.counterMax,
    resetValue: typeof ro.resetValue === 'number' ? ro.resetValue : 0,
    dropResets: ro.dropResets === true,
  };
  return build(index, q.metric, q.aggregator, typeof q.downsample === 'string' ? q.downsample : undefined, truthy(q.rate), rateOptions, filters, truthy(q.explicitTags), q);
}

function subQueryFromM(m: string, index: number): SubQuery {
  if (!m) throw new QueryError('The query string was empty');
  const parts = m.split(':');
  if (parts.length < 2 || parts.length > 6) {
    throw new QueryError(`Invalid parameter m=${m} (${parts.length < 2 ? 'not enough' : 'too many'} :-separated parts)`);
  }
  const filters: TagFilter[] = [];
  const metric = parseMetricAndFilters(parts[parts.length - 1], filters);
  let rate = false;
  let rateOptions = DEFAULT_RATE;
  let downsample: string | undefined;
  let explicitTags = false;
  for (const p of parts.slice(1, -1)) {
    if (p.toLowerCase().startsWith('rate')) {
      rate = true;
      if (p.includes('{')) rateOptions = parseRateSpec(p);
    } else if (/^\d/.test(p)) downsample = p;
    else if (p.toLowerCase().startsWith('explicit_tags')) explicitTags = true;
  }
  return build(index, metric, parts[0], downsample, rate, rateOptions, filters, explicitTags, { m });
}

/** Tags.parseWithMetricAndFilters: `metric{groupby filters}{other filters}`. */
function parseMetricAndFilters(s: string, filters: TagFilter[]): string {
  const curly = s.indexOf('{');
  if (curly < 0) return s;
  if (!s.endsWith('}')) throw new QueryError(`Missing '}' at the end of: ${s}`);
  const metric = s.slice(0, curly);
  const groups = s.slice(curly).match(/^\{([^}]*)\}(?:\{([^}]*)\})?$/);
  if (!groups) throw new QueryError(`Invalid filter specification: ${s}`);
  for (const [i, group] of [groups[1], groups[2]].entries()) {
    if (!group) continue;
    const pairs = group.split(',').map((kv): [string, string] => {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new QueryError(`When parsing tag '${kv}': invalid tag: ${kv}`);
      return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
    });
    addShortcutTags(filters, pairs, i === 0);
  }
  return metric;
}

function addShortcutTags(filters: TagFilter[], pairs: Array<[string, string]>, groupBy: boolean): void {
  for (const [k, v] of pairs) {
    const f = filterFromShortcut(k, v, groupBy);
    // mapToFilters: a group-by duplicate of an existing filter only sets its group-by flag.
    const dup = filters.find((x) => x.tagk === f.tagk && x.type === f.type && x.filter === f.filter);
    if (dup) dup.groupBy ||= groupBy;
    else filters.push(f);
  }
}

/** QueryRpc.parseRateOptions: rate{counter[,max[,reset]]}, "dropcounter" also drops resets. */
function parseRateSpec(spec: string): RateOptions {
  if (spec.length < 6) throw new QueryError(`Invalid rate options specification: ${spec}`);
  const parts = spec.slice(5, -1).split(',');
  if (parts.length < 1 || parts.length > 3) {
    throw new QueryError(`Incorrect number of values in rate options specification, must be counter[,counter max value,reset value], recieved: ${parts.length} parts`);
  }
  const num = (s: string | undefined, what: string, dflt: number) => {
    if (s === undefined || s === '') return dflt;
    if (!/^-?\d+$/.test(s)) throw new QueryError(`${what} of counter was not a number, received '${s}'`);
    return Number(s);
  };
  return {
    counter: parts[0].endsWith('counter'),
    dropResets: parts[0] === 'dropcounter',
    counterMax: num(parts[1], 'Max value', DEFAULT_RATE.counterMax),
    resetValue: num(parts[2], 'Reset value', 0),
  };
}

function build(
  index: number,
  metric: unknown,
  agg: unknown,
  downsample: string | undefined,
  rate: boolean,
  rateOptions: RateOptions,
  filters: TagFilter[],
  explicitTags: boolean,
  echo: Record<string, unknown>,
): SubQuery {
  if (typeof agg !== 'string' || agg === '') throw new QueryError('Missing the aggregation function');
  const a = aggregator(agg);
  if (!a) throw new QueryError(`No such aggregator: ${agg}`);
  if (typeof metric !== 'string' || metric === '') throw new QueryError('Missing the metric or tsuids, provide at least one');
  const sub: SubQuery = { index, metric, aggregator: a, rate, rateOptions, filters, explicitTags, echo: { ...echo, index } };
  if (downsample) sub.downsample = parseDownsample(downsample);
  return sub;
}

/** DownsamplingSpecification: `<interval>[c]-<aggregator>[-<fill policy>]`, or `0all-<aggregator>`. */
export function parseDownsample(spec: string): Downsample {
  const parts = spec.split('-');
  if (parts.length < 2 || parts.length > 3) throw new QueryError(`Invalid downsampling specifier '${spec}' in '${spec}'`);
  const [interval, aggName, fillName = 'none'] = parts;
  const agg = aggregator(aggName);
  if (!agg) throw new QueryError(`No such downsampling function: ${aggName}`);
  if (agg.name === 'none') throw new QueryError('cannot use the NONE aggregator for downsampling');
  const fill = fillName.toLowerCase();
  if (fill !== 'none' && fill !== 'nan' && fill !== 'null' && fill !== 'zero') throw new QueryError(`Unrecognized fill policy: ${fillName}`);
  // A trailing 'c' asks for calendar boundaries; hookline's buckets are UTC-aligned either way.
  const iv = interval.replace(/c$/, '');
  const intervalMs = /^0all$/.test(iv) ? 'all' : parseDuration(iv);
  return { intervalMs, aggregator: agg, fill: fill as FillPolicy };
}
