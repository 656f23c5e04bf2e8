// OpenTSDB's time and duration syntax (OTDOC user_guide/query/dates,
// DateTime.parseDateTimeString / parseDuration):
//   - relative: <amount><unit>-ago, units ms s m h d w n (30 days) y (365 days);
//   - "now";
//   - epoch: 10 digits or fewer are seconds, 13 (or 14) are milliseconds;
//     "1364410924.250" is milliseconds with a decimal point;
//   - absolute: yyyy/MM/dd[-HH:mm[:ss]] or with a space instead of '-', UTC.
// Pure: `nowMs` is passed in. Errors are thrown as QueryError (400).

import { QueryError } from '../../core/errors.ts';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  n: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** DateTime.parseDuration: `<int><unit>` in ms; throws on anything else. */
export function parseDuration(s: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w|n|y)$/.exec(s);
  if (!m) throw new QueryError(`Invalid duration (number): ${s}`);
  const n = Number(m[1]);
  if (n <= 0) throw new QueryError(`Zero or negative duration: ${s}`);
  return n * UNIT_MS[m[2]];
}

/** A start or end time (number or string) as epoch ms. */
export function parseTime(value: unknown, nowMs: number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new QueryError(`Invalid timestamp: ${value}`);
    return epochDigits(String(Math.trunc(value)));
  }
  if (typeof value !== 'string' || value.trim() === '') throw new QueryError('Missing start time');
  const s = value.trim();
  if (s.toLowerCase() === 'now') return nowMs;
  const rel = /^(\d+)(ms|s|m|h|d|w|n|y)-ago$/i.exec(s);
  if (rel) return nowMs - parseDuration(rel[1] + rel[2].toLowerCase());
  if (/^\d+$/.test(s)) return epochDigits(s);
  if (/^\d+\.\d+$/.test(s)) {
    // "1364410924.250": seconds with a millisecond fraction.
    const [sec, frac] = s.split('.');
    return Number(sec) * 1000 + Number((frac + '000').slice(0, 3));
  }
  const abs = /^(\d{4})\/(\d{2})\/(\d{2})(?:[- ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (abs) {
    const [, y, mo, d, h = '0', mi = '0', se = '0'] = abs;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    if (Number.isFinite(ms)) return ms;
  }
  throw new QueryError(`Invalid date: ${s}`);
}

/** "Any integers with 13 (or 14) characters will be treated as a millisecond timestamp." */
function epochDigits(s: string): number {
  const n = Number(s);
  return s.length >= 13 ? n : n * 1000;
}
