// DuckDB result values -> the JSON/CSV text InfluxDB 3 prints. Timestamps are
// ISO 8601 without a zone ("2065-01-07T17:28:51", fractional digits in groups
// of 3 only when present), integers keep every digit (no JS number rounding).

import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { isoSeconds } from '../../core/time.ts';

/** A plain JS cell: string | number | bigint | boolean | null | nested arrays/objects. */
export type Cell = string | number | bigint | boolean | null | Cell[] | { [k: string]: Cell };

export function isoNs(ns: bigint): string {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const base = isoSeconds(Number(sec));
  if (frac === 0n) return base;
  const digits = frac.toString().padStart(9, '0');
  const trimmed = digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits;
  return `${base}.${trimmed}`;
}

export function toCell(v: DuckDBValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof DuckDBTimestampNanosecondsValue) return isoNs(v.nanos);
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return isoNs(BigInt(v.micros) * 1000n);
  if (v instanceof DuckDBTimestampMillisecondsValue) return isoNs(BigInt(v.millis) * 1_000_000n);
  if (v instanceof DuckDBTimestampSecondsValue) return isoNs(BigInt(v.seconds) * 1_000_000_000n);
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return Number(v.toDouble());
  if (v instanceof DuckDBIntervalValue) return v.toString();
  if (v instanceof DuckDBListValue) return v.items.map(toCell);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, toCell(x)]));
  return String(v);
}

/** JSON text of a cell, keeping bigint digits exact. Non-finite floats become null as in JSON. */
export function jsonCell(c: Cell): string {
  if (c === null) return 'null';
  if (typeof c === 'bigint') return c.toString();
  if (typeof c === 'number') return Number.isFinite(c) ? JSON.stringify(c) : 'null';
  if (typeof c === 'string' || typeof c === 'boolean') return JSON.stringify(c);
  if (Array.isArray(c)) return `[${c.map(jsonCell).join(',')}]`;
  return `{${Object.entries(c).map(([k, x]) => `${JSON.stringify(k)}:${jsonCell(x)}`).join(',')}}`;
}

export function textCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'object') return jsonCell(c);
  return String(c);
}
