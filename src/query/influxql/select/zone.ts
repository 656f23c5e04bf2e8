// Time zones for tz(): offsets of an IANA zone from Intl, and GROUP BY time()
// windows that follow the zone's offset changes the way InfluxDB 1.x does
// (query/iterator.go IteratorOptions.Window for a point's window, the fill
// iterator's step for empty windows).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

function offsetAtMs(tz: string, ms: number): number {
  const date = new Date(Number.isFinite(ms) ? ms : 0);
  const parts = formatter(tz).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

export function zoneOffsetNs(tz: string, atNs: bigint): bigint {
  return BigInt(offsetAtMs(tz, Number(atNs / 1_000_000n))) * 1_000_000n;
}

/** RFC3339 with the zone's offset, as Go prints time.Time in a location ("2009-11-10T17:00:00-06:00"). */
export function formatInZone(ns: bigint, tz: string): string {
  const off = zoneOffsetNs(tz, ns);
  const local = ns + off;
  let sec = local / 1_000_000_000n;
  let frac = local % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const iso = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  const fracStr = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  const offMin = Number(off / 60_000_000_000n);
  const zone = offMin === 0 ? 'Z' : `${offMin < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offMin) / 60)).padStart(2, '0')}:${String(Math.abs(offMin) % 60).padStart(2, '0')}`;
  return iso + fracStr + zone;
}

/** GROUP BY time() windows: a point's window, the window after one, and the SQL for a point's window. */
export interface Windows {
  start(t: bigint): bigint;
  next(w: bigint): bigint;
  /** `minT`: a lower bound of every row's time (the query's range), when there is one. */
  sql(col: string, minT?: bigint): string;
  /**
   * The window as an integer index (a row's group key) and the window start
   * of an index, when one division gives it (see sql()); else undefined.
   */
  sqlIndex?(col: string, minT?: bigint): { index: string; start: (index: string) => string } | undefined;
}

const mod = (a: bigint, d: bigint) => ((a % d) + d) % d;
const abs = (a: bigint) => (a < 0n ? -a : a);

/** Offset changes of a zone: offsets[i] holds from starts[i] (starts[0] = -Infinity) until starts[i + 1]. */
interface ZoneTable {
  starts: bigint[];
  offsets: bigint[];
}

const MS = 1_000_000n;
const WEEK_MS = 7 * 86_400_000;
// Zone data before 1900 is local mean time and nobody queries beyond 2200:
// outside, the nearest known offset holds.
const LO_MS = Date.UTC(1900, 0, 1);
const HI_MS = Date.UTC(2200, 0, 1);

function zoneTable(tz: string, loNs: bigint, hiNs: bigint): ZoneTable {
  const lo = Math.max(LO_MS, Number(loNs / MS));
  const hi = Math.min(HI_MS, Number(hiNs / MS));
  const starts: bigint[] = [];
  const offsets: bigint[] = [];
  let prevMs = Math.min(lo, hi);
  let prev = offsetAtMs(tz, prevMs);
  offsets.push(BigInt(prev) * MS);
  // Weekly samples; a change between two is narrowed down to the millisecond.
  for (let ms = prevMs + WEEK_MS; prevMs < hi; ms = Math.min(ms + WEEK_MS, hi)) {
    const off = offsetAtMs(tz, ms);
    if (off !== prev) {
      let a = prevMs;
      let b = ms;
      while (b - a > 1) {
        const m = Math.floor((a + b) / 2);
        if (offsetAtMs(tz, m) === prev) a = m;
        else b = m;
      }
      starts.push(BigInt(b) * MS);
      offsets.push(BigInt(off) * MS);
      prev = off;
    }
    prevMs = ms;
  }
  return { starts, offsets };
}

function zoneAt(z: ZoneTable, t: bigint): bigint {
  let i = 0;
  while (i < z.starts.length && t >= z.starts[i]) i++;
  return z.offsets[i];
}

function zoneSql(z: ZoneTable, x: string): string {
  if (z.starts.length === 0) return `(${z.offsets[0]}::BIGINT)`;
  return `(CASE ${z.starts.map((s, i) => `WHEN ${x} < ${s} THEN ${z.offsets[i]}`).join(' ')} ELSE ${z.offsets[z.offsets.length - 1]} END)::BIGINT`;
}

/**
 * Windows of `every` shifted by `offset`; with a zone, windows start at local
 * midnights (etc.) across offset changes, over [loNs, hiNs] (the query's
 * range; outside it the nearest offset holds).
 */
export function windowsFor(every: bigint, offset: bigint, tz: string | undefined, loNs: bigint, hiNs: bigint): Windows {
  if (!tz) {
    // SQL's % and // truncate towards zero, so a time before the offset
    // needs the second modulo to floor. When the range starts at or after the
    // offset, no row can be before it, and one integer division gives the
    // window's index: the per-row arithmetic of a GROUP BY time() scan is then
    // a subtraction and a division, and the start is computed per window.
    const shifted = (col: string) => (offset === 0n ? col : `(${col} - (${offset}))`);
    const sqlIndex = (col: string, minT?: bigint) =>
      minT !== undefined && minT >= offset ? { index: `(${shifted(col)} // ${every})`, start: (i: string) => `((${i} * ${every}) + (${offset}))` } : undefined;
    return {
      start: (t) => t - mod(t - offset, every),
      next: (w) => w + every,
      sql: (col, minT) => {
        const fast = sqlIndex(col, minT);
        return fast ? fast.start(fast.index) : `(${col} - ((((${col} - (${offset})) % ${every}) + ${every}) % ${every}))`;
      },
      sqlIndex,
    };
  }
  const z = zoneTable(tz, loNs - 2n * every, hiNs + 2n * every);
  return {
    start(t) {
      const tp = t - offset;
      const zone = zoneAt(z, tp);
      let start = tp - mod(tp + zone, every);
      const o = zone - zoneAt(z, start);
      if (o !== 0n && abs(o) < every) start += o;
      return start + offset;
    },
    next(w) {
      // The fill iterator: one interval on, then the offset change since the window's start.
      const before = zoneAt(z, w);
      let t = w + every;
      const after = zoneAt(z, t - 1n);
      if (after !== before && abs(before - after) < every) t += before - after;
      return t;
    },
    sql(col) {
      const tp = `(${col} - (${offset}))`;
      const zone = zoneSql(z, tp);
      const s0 = `(${tp} - (((${tp} + ${zone}) % ${every}) + ${every}) % ${every})`;
      const o = `(${zone} - ${zoneSql(z, s0)})`;
      return `(${s0} + CASE WHEN ${o} <> 0 AND abs(${o}) < ${every} THEN ${o} ELSE 0 END + (${offset}))`;
    },
  };
}
