// Parsers for setting values. Each returns the value or throws a message that
// names what was expected.

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
  k: 1024, m: 1024 ** 2, g: 1024 ** 3,
};

export function parseBytes(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(s);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`expected a size like 25MiB, 10MB or 1048576, got "${s}"`);
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Go/InfluxDB-style durations: 10s, 1h30m, 7d, 0s. Returns milliseconds. */
export function parseDuration(s: string): number {
  const text = s.trim();
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (pos === 0 || pos !== text.length) throw new Error(`expected a duration like 10s, 5m, 1h30m or 7d, got "${s}"`);
  return total;
}

export function parseIntStrict(s: string, min = -Infinity): number {
  if (!/^-?\d+$/.test(s.trim())) throw new Error(`expected an integer, got "${s}"`);
  const n = Number(s);
  if (n < min) throw new Error(`expected at least ${min}, got ${n}`);
  return n;
}

export function parsePort(s: string): number {
  const n = parseIntStrict(s);
  if (n < 0 || n > 65535) throw new Error(`expected a port between 0 and 65535, got ${n}`);
  return n;
}

export function parseBool(s: string): boolean {
  const v = s.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new Error(`expected true/false (or 1/0), got "${s}"`);
}
