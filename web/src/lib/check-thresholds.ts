// The threshold lines of the alert checks that watch the series a chart draws
// (issues 13 and 14): a dashboard timeseries panel or the explorer's chart
// draws the levels of every threshold check on the same bucket whose query is
// the chart's query (whitespace aside) or, for InfluxQL, reads the same field
// of the same measurement (last("temp") and mean("temp") FROM "data" both
// watch field temp of data). Levels as the checks API takes them
// (docs/alerts.md): "> x", ">= x", "< x", "<= x", "== x", "!= x",
// "outside a..b", "inside a..b".

import { colorOf } from './dashboard-model.ts';

export type CheckLevel = 'crit' | 'warn' | 'info';

/** The fields of a check (GET /api/hookline/checks) this reads. */
export interface CheckLike {
  name: string;
  type: string;
  bucket: string;
  language?: string;
  query?: string;
  levels?: Record<string, string>;
}

export interface ChartQuery {
  bucket: string;
  language: string;
  query: string;
}

export interface CheckThreshold {
  /** The check's name, for the label. */
  check: string;
  level: CheckLevel;
  color: string;
  /** The comparison as written, e.g. "> 30". */
  text: string;
  /** Where lines go: one value, or both ends of a range. */
  values: number[];
  /** The region that fires the level: above/below a value, inside or outside a range; none for == and !=. */
  region?: 'above' | 'below' | 'inside' | 'outside';
}

const LEVELS: CheckLevel[] = ['crit', 'warn', 'info'];
const LEVEL_COLOR: Record<CheckLevel, string> = { crit: 'red', warn: 'orange', info: 'blue' };
const NUM = '([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)';
const SIMPLE_RE = new RegExp(`^\\s*(>=|<=|==|!=|>|<)\\s*${NUM}\\s*$`);
const RANGE_RE = new RegExp(`^\\s*(outside|inside)\\s+${NUM}\\s*\\.\\.\\s*${NUM}\\s*$`, 'i');

/** One level's comparison as lines, or undefined when it is not one. */
export function levelLines(text: string): Pick<CheckThreshold, 'values' | 'region'> | undefined {
  const s = SIMPLE_RE.exec(text);
  if (s) {
    const op = s[1];
    const region = op.startsWith('>') ? 'above' : op.startsWith('<') ? 'below' : undefined;
    return { values: [Number(s[2])], ...(region ? { region } : {}) };
  }
  const r = RANGE_RE.exec(text);
  if (r) {
    const min = Number(r[2]);
    const max = Number(r[3]);
    if (!(min <= max)) return undefined;
    return { values: [min, max], region: r[1].toLowerCase() as 'inside' | 'outside' };
  }
  return undefined;
}

const normalize = (q: string) => q.replace(/\s+/g, ' ').trim();

const IDENT = `(?:"(?:[^"\\\\]|\\\\.)*"|[A-Za-z_][\\w]*)`;

function unquote(id: string): string {
  return id.startsWith('"') ? id.slice(1, -1).replace(/\\(.)/g, '$1') : id;
}

/** The top-level text of `s` up to its first comma outside parentheses and quotes. */
function firstExpression(s: string): string {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return s.slice(0, i);
  }
  return s;
}

/**
 * The measurement (FROM) and the field the first SELECT expression reads,
 * inside however many functions: `SELECT mean("temp") FROM "data"` ->
 * {measurement: data, field: temp}. Undefined when the query is not that shape.
 */
export function influxSeriesOf(query: string): { measurement: string; field: string } | undefined {
  const m = new RegExp(`^\\s*SELECT\\s+([\\s\\S]*?)\\s+FROM\\s+(${IDENT}(?:\\s*\\.\\s*${IDENT}){0,2})`, 'i').exec(query);
  if (!m) return undefined;
  let expr = firstExpression(m[1]).trim();
  // Unwrap functions: mean("temp"), derivative(mean("temp"), 1s), count(DISTINCT "x").
  const fn = /^[A-Za-z_]\w*\s*\(\s*(?:DISTINCT\s+)?/i;
  while (fn.test(expr)) expr = firstExpression(expr.replace(fn, '')).trim();
  const f = new RegExp(`^(${IDENT})(?:::\\w+)?\\s*\\)*\\s*(?:AS\\s+${IDENT})?\\s*$`, 'i').exec(expr);
  if (!f || f[1] === '*') return undefined;
  const parts = m[2].match(new RegExp(IDENT, 'g')) ?? [];
  return { measurement: unquote(parts[parts.length - 1]), field: unquote(f[1]) };
}

/** Whether a check's query watches the series the chart's query draws. */
export function sameSeries(check: ChartQuery, chart: ChartQuery): boolean {
  if (check.bucket !== chart.bucket || check.language !== chart.language) return false;
  if (normalize(check.query) === normalize(chart.query)) return true;
  if (check.language !== 'influxql') return false;
  const a = influxSeriesOf(check.query);
  const b = influxSeriesOf(chart.query);
  return Boolean(a && b && a.measurement === b.measurement && a.field === b.field);
}

/** The threshold lines of the threshold checks watching `chart`'s series, crit first. */
export function checkThresholds(checks: readonly CheckLike[] | undefined, chart: ChartQuery): CheckThreshold[] {
  const out: CheckThreshold[] = [];
  for (const c of checks ?? []) {
    if (c.type !== 'threshold' || !c.query || !c.levels) continue;
    if (!sameSeries({ bucket: c.bucket, language: c.language ?? 'influxql', query: c.query }, chart)) continue;
    for (const level of LEVELS) {
      const text = c.levels[level];
      if (typeof text !== 'string') continue;
      const lines = levelLines(text);
      if (lines) out.push({ check: c.name, level, color: colorOf(LEVEL_COLOR[level]), text: text.trim(), ...lines });
    }
  }
  return out;
}
