// Timestamps are int64 nanoseconds in every protocol hookline speaks. JS numbers
// hold integers exactly only up to 2^53, so hot paths carry a timestamp as two
// numbers: whole seconds (`sec`, may be negative) and nanoseconds within that
// second (`nsec`, 0..999_999_999). BigInt is used only at the edges.

export type Precision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

/** Nanoseconds per unit of each precision. */
export const PRECISION_NS: Readonly<Record<Precision, number>> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 6e10,
  h: 3.6e12,
};

// InfluxDB 1.x/2.x reserve MinInt64 and MinInt64+1 / MaxInt64 as sentinels
// (models/time.go: MinNanoTime = MinInt64+2, MaxNanoTime = MaxInt64-1).
export const MIN_NANO_TIME = -9223372036854775806n;
export const MAX_NANO_TIME = 9223372036854775806n;
export const TIME_RANGE_MESSAGE = 'time outside range -9223372036854775806 - 9223372036854775806';

const NS_PER_SEC = 1_000_000_000;

export interface SecNsec {
  sec: number;
  nsec: number;
}

export function toBigIntNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

export function fromBigIntNs(ns: bigint): SecNsec {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

/** Current wall-clock time with the best resolution Node offers. */
export function nowSecNsec(): SecNsec {
  // performance.timeOrigin + now() gives sub-millisecond resolution without BigInt.
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  const nsec = Math.min(NS_PER_SEC - 1, Math.max(0, Math.round((ms - sec * 1000) * 1e6)));
  return { sec, nsec };
}

/** Truncate a time to a precision, as InfluxDB does for points without a timestamp. */
export function truncateTo(t: SecNsec, precision: Precision): SecNsec {
  switch (precision) {
    case 'ns':
      return { sec: t.sec, nsec: t.nsec };
    case 'us':
      return { sec: t.sec, nsec: t.nsec - (t.nsec % 1000) };
    case 'ms':
      return { sec: t.sec, nsec: t.nsec - (t.nsec % 1_000_000) };
    case 's':
      return { sec: t.sec, nsec: 0 };
    case 'm':
      return { sec: Math.floor(t.sec / 60) * 60, nsec: 0 };
    case 'h':
      return { sec: Math.floor(t.sec / 3600) * 3600, nsec: 0 };
  }
}

export function compareTime(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? (aSec < bSec ? -1 : 1) : aNsec - bNsec;
}

const TWO32 = 4294967296;

/**
 * Writes sec*1e9+nsec as a little-endian int64 into `words` at `index` (two
 * int32 words per value) without BigInt: the product is split into 17-bit limbs
 * so every intermediate stays below 2^53.
 */
export function writeNsWords(words: Int32Array, index: number, sec: number, nsec: number): void {
  // value = sec * 1e9 + nsec, |value| < 2^63
  const neg = sec < 0;
  // Work on the magnitude: for negative times, value = -(m) where m = (-sec)*1e9 - nsec.
  let hi: number;
  let lo: number;
  if (!neg) {
    [hi, lo] = mulAdd(sec, nsec);
  } else {
    // m = (-sec - 1) * 1e9 + (1e9 - nsec), non-negative
    const [mh, ml] = mulAdd(-sec - 1, NS_PER_SEC - nsec);
    // two's complement negate (mh, ml)
    if (ml === 0) {
      lo = 0;
      hi = (TWO32 - mh) % TWO32;
    } else {
      lo = TWO32 - ml;
      hi = TWO32 - 1 - mh;
    }
  }
  words[index * 2] = lo | 0;
  words[index * 2 + 1] = hi | 0;
}

/** (a * 1e9 + b) for a >= 0 as unsigned [hi32, lo32]. */
function mulAdd(a: number, b: number): [number, number] {
  const aHi = Math.floor(a / 131072); // a = aHi * 2^17 + aLo
  const aLo = a - aHi * 131072;
  const p1 = aHi * NS_PER_SEC; // < 2^47, contributes p1 * 2^17
  const low = aLo * NS_PER_SEC + b; // < 2^48
  const q = Math.floor(p1 / 32768); // p1 * 2^17 = q * 2^32 + r * 2^17
  const r = p1 - q * 32768;
  const sumLow = r * 131072 + low; // < 2^49
  const carry = Math.floor(sumLow / TWO32);
  return [q + carry, sumLow - carry * TWO32];
}

/** Writes a safe integer (|v| <= 2^53) as a little-endian int64 word pair. */
export function writeIntWords(words: Int32Array, index: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  words[index * 2] = (v - hi * TWO32) | 0;
  words[index * 2 + 1] = hi | 0;
}

/** Formats a time as RFC3339 with nanoseconds, trailing zeros trimmed (Go RFC3339Nano). */
export function formatRfc3339Nano(sec: number, nsec: number): string {
  const base = isoSeconds(sec);
  if (nsec === 0) return base + 'Z';
  const frac = String(nsec).padStart(9, '0').replace(/0+$/, '');
  return `${base}.${frac}Z`;
}

/** YYYY-MM-DDTHH:MM:SS for a unix second, years outside 0..9999 as ±YYYYYY. */
export function isoSeconds(sec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return String(sec);
  return d.toISOString().slice(0, -5);
}
