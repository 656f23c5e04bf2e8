// Durations and the automatic GROUP BY window. The window follows Grafana's
// $__interval: (time range / max data points), never below a minimum, then
// rounded to a "nice" interval with Grafana's own table (kbn.roundInterval),
// so a chart asks for about one point per pixel and never more.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Grafana's roundInterval: [upper bound (exclusive), rounded value] in ms. */
const NICE: ReadonlyArray<readonly [number, number]> = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12500, 10000],
  [17500, 15000],
  [25000, 20000],
  [45000, 30000],
  [90000, 60000],
  [210000, 120000],
  [450000, 300000],
  [750000, 600000],
  [1050000, 900000],
  [1500000, 1200000],
  [2700000, 1800000],
  [5400000, 3600000],
  [9000000, 7200000],
  [16200000, 10800000],
  [24300000, 21600000],
  [64800000, 43200000],
  [604800000, 86400000],
  [1814400000, 604800000],
  [3628800000, 2592000000],
];

export function roundInterval(ms: number): number {
  for (const [below, nice] of NICE) if (ms < below) return nice;
  return 31536000000;
}

export interface AutoIntervalInput {
  fromMs: number;
  toMs: number;
  /** About one point per pixel of chart width (Grafana's maxDataPoints). */
  maxDataPoints: number;
  /** Floor, e.g. the devices' reporting period (Grafana's "min interval"). */
  minIntervalMs?: number;
}

export function autoInterval({ fromMs, toMs, maxDataPoints, minIntervalMs = SECOND }: AutoIntervalInput): number {
  const span = Math.max(0, toMs - fromMs);
  const raw = span / Math.max(1, Math.floor(maxDataPoints));
  return roundInterval(Math.max(raw, minIntervalMs));
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', WEEK],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

/** 90000 -> "90s" is avoided: the largest unit that divides exactly ("1m30s" is not InfluxQL). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}

/** A friendlier form for labels: "1h 30m", "2d". */
export function humanDuration(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of UNITS) {
    if (unit === 'ms') break;
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "10s", "5m", "1h30m", "250ms", "2d" -> ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    const size = UNITS.find(([u]) => u === m[2])![1];
    total += Number(m[1]) * size;
  }
  return total > 0 ? Math.round(total) : undefined;
}

/** SQL INTERVAL literal text for DuckDB ('10 seconds'). */
export function sqlInterval(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} days`;
  if (ms % HOUR === 0) return `${ms / HOUR} hours`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} minutes`;
  if (ms % SECOND === 0) return `${ms / SECOND} seconds`;
  return `${ms} milliseconds`;
}
