// InfluxQL durations (influxql ParseDuration): integer + unit, units ns u µ ms
// s m h d w, compound forms (1h30m), nanoseconds as bigint.

export class InvalidDuration extends Error {
  constructor(message = 'invalid duration') {
    super(message);
  }
}

const MAX_INT64 = (1n << 63n) - 1n;

export function parseDuration(s: string): bigint {
  const a = Array.from(s);
  if (a.length < 2) throw new InvalidDuration();
  let i = 0;
  let neg = false;
  if (a[0] === '-') {
    neg = true;
    i++;
  }
  let d = 0n;
  let measure = 0n;
  let unit = '';
  let overflow = false;
  while (i < a.length) {
    const start = i;
    while (i < a.length && a[i] >= '0' && a[i] <= '9') i++;
    if (i >= a.length || i === start) throw new InvalidDuration();
    const n = BigInt(a.slice(start, i).join(''));
    if (n > MAX_INT64) throw new InvalidDuration();
    measure = n;
    unit = a[i];
    let mul: bigint;
    switch (a[i]) {
      case 'n':
        if (a[i + 1] === 's') {
          unit = 'ns';
          d += n;
          i += 2;
          if (d > MAX_INT64) overflow = true;
          continue;
        }
        throw new InvalidDuration();
      case 'u':
      case 'µ':
        mul = 1000n;
        break;
      case 'm':
        if (a[i + 1] === 's') {
          unit = 'ms';
          d += n * 1_000_000n;
          i += 2;
          if (d > MAX_INT64) overflow = true;
          continue;
        }
        mul = 60_000_000_000n;
        break;
      case 's':
        mul = 1_000_000_000n;
        break;
      case 'h':
        mul = 3_600_000_000_000n;
        break;
      case 'd':
        mul = 86_400_000_000_000n;
        break;
      case 'w':
        mul = 604_800_000_000_000n;
        break;
      default:
        throw new InvalidDuration();
    }
    d += n * mul;
    if (d > MAX_INT64) overflow = true;
    i++;
  }
  // Go wraps int64 on overflow and reports it when the sum turns negative.
  if (overflow && !neg) throw new InvalidDuration(`overflowed duration ${measure}${unit}: choose a smaller duration or INF`);
  return neg ? -d : d;
}
