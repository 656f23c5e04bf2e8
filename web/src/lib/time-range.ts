// Time ranges as the explorer's picker offers them: "last <duration>" presets
// (re-evaluated at every refresh, so live charts move) or a fixed from/to.

import { formatDuration, humanDuration, parseDuration } from './interval.ts';

export type TimeRange = { kind: 'relative'; lastMs: number } | { kind: 'absolute'; fromMs: number; toMs: number };

export const PRESETS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '5m', label: 'Last 5 minutes' },
  { value: '15m', label: 'Last 15 minutes' },
  { value: '1h', label: 'Last 1 hour' },
  { value: '6h', label: 'Last 6 hours' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

export function resolveRange(r: TimeRange, nowMs: number): { fromMs: number; toMs: number } {
  return r.kind === 'relative' ? { fromMs: nowMs - r.lastMs, toMs: nowMs } : { fromMs: r.fromMs, toMs: r.toMs };
}

/** "1h" or "<fromISO>..<toISO>" in URLs. */
export function rangeToParam(r: TimeRange): string {
  if (r.kind === 'relative') return formatDuration(r.lastMs);
  return `${new Date(r.fromMs).toISOString()}..${new Date(r.toMs).toISOString()}`;
}

export function rangeFromParam(p: string | null | undefined): TimeRange | undefined {
  if (!p) return undefined;
  const dots = p.indexOf('..');
  if (dots > 0) {
    const fromMs = Date.parse(p.slice(0, dots));
    const toMs = Date.parse(p.slice(dots + 2));
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs) return { kind: 'absolute', fromMs, toMs };
    return undefined;
  }
  const lastMs = parseDuration(p);
  return lastMs ? { kind: 'relative', lastMs } : undefined;
}

export function describeRange(r: TimeRange): string {
  if (r.kind === 'relative') {
    const preset = PRESETS.find((x) => parseDuration(x.value) === r.lastMs);
    return preset ? preset.label : `Last ${humanDuration(r.lastMs)}`;
  }
  return `${new Date(r.fromMs).toLocaleString()} to ${new Date(r.toMs).toLocaleString()}`;
}

/** Value of an <input type="datetime-local"> (local time, minutes) for a timestamp. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Timestamp of an <input type="datetime-local"> value (read as local time). */
export function fromLocalInput(v: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return undefined;
  const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  return d.getTime();
}
