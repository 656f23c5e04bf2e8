// Template variables in panel queries, as Grafana's InfluxDB and SQL data
// sources spell them, so panels pasted from Grafana work with few changes
// (grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/ and
// .../datasources/influxdb/template-variables/):
//   $device, ${device}, [[device]]   the variable's current value
//   $timeFilter (InfluxQL)           time >= <from>ms and time <= <to>ms
//   $__timeFilter / $timeFilter (SQL) time >= TIMESTAMP '...' AND time <= TIMESTAMP '...'
//   $__interval                      the auto window: "10s" in InfluxQL, '10 seconds' in SQL (for INTERVAL '...')
//   $__interval_ms, $__from, $__to   milliseconds (Grafana's global variables)
// A value goes into the query as typed; inside a quoted literal its quotes
// are escaped for the language, so a value cannot end the literal.

import { formatDuration, sqlInterval } from './interval.ts';
import { sqlTimestamp } from './quote.ts';

export type PanelLanguage = 'influxql' | 'sql' | 'opentsdb';

export interface VarContext {
  language: PanelLanguage;
  values: Record<string, string>;
  fromMs: number;
  toMs: number;
  intervalMs: number;
}

function escapeValue(v: string, language: PanelLanguage): string {
  if (language === 'sql') return v.replace(/'/g, "''");
  if (language === 'influxql') return v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return v;
}

function builtins(ctx: VarContext): Record<string, string> {
  const from = Math.floor(ctx.fromMs);
  const to = Math.ceil(ctx.toMs);
  const sqlFilter = `time >= ${sqlTimestamp(from)} AND time <= ${sqlTimestamp(to)}`;
  return {
    timeFilter: ctx.language === 'sql' ? sqlFilter : `time >= ${from}ms and time <= ${to}ms`,
    __timeFilter: ctx.language === 'sql' ? sqlFilter : `time >= ${from}ms and time <= ${to}ms`,
    __interval: ctx.language === 'sql' ? sqlInterval(ctx.intervalMs) : formatDuration(ctx.intervalMs),
    __interval_ms: String(ctx.intervalMs),
    __from: String(from),
    __to: String(to),
  };
}

/** The query with every known variable replaced; unknown `$names` are left as written. */
export function interpolate(query: string, ctx: VarContext): string {
  const own = builtins(ctx);
  // Longest names first is not needed: each pattern reads a whole identifier.
  return query.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (m, a: string | undefined, b: string | undefined, c: string | undefined) => {
    const name = (a ?? b ?? c)!;
    if (name in own) return own[name];
    if (Object.prototype.hasOwnProperty.call(ctx.values, name)) return escapeValue(ctx.values[name], ctx.language);
    return m;
  });
}

/** Variable values from the address bar: ?var-device=d2 (Grafana's dashboard links). */
export function varsFromQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (k.startsWith('var-')) out[k.slice(4)] = v;
  return out;
}

/** Grafana's time strings: "now", "now-6h", "now-30m", or an RFC 3339 / epoch-ms time. */
export function parseTimeString(text: string, nowMs: number): number | undefined {
  const t = text.trim();
  if (t === 'now') return nowMs;
  const rel = /^now-(\d+)(ms|s|m|h|d|w)$/.exec(t);
  if (rel) {
    const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[rel[2] as 'ms']!;
    return nowMs - Number(rel[1]) * unit;
  }
  if (/^\d{10,}$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}
