// Time strings InfluxQL accepts where a time is compared (influxql
// StringLiteral.ToTimeLiteral): RFC3339 with optional fraction and zone,
// "2006-01-02 15:04:05.999999" (UTC) and "2006-01-02" (midnight UTC). Result in ns.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseTimeString(s: string, defaultOffsetMinutes = 0): bigint | undefined {
  let m = DATE.exec(s);
  if (m) return civilNs(+m[1], +m[2], +m[3], 0, 0, 0, 0n, -defaultOffsetMinutes);
  m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  // RFC3339 needs the T and a zone; the DateTimeFormat form has a space and no zone.
  const tSep = s[10] === 'T' || s[10] === 't';
  if (tSep && !zone) return undefined;
  if (!tSep && zone) return undefined;
  const ns = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  let offsetMin = -defaultOffsetMinutes;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMin = -sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  } else if (zone) offsetMin = 0;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +se > 59) return undefined;
  return civilNs(+y, +mo, +d, +h, +mi, +se, ns, offsetMin);
}

function civilNs(y: number, mo: number, d: number, h: number, mi: number, s: number, ns: bigint, offsetMin: number): bigint {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(ms)) throw new Error('bad date');
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return undefined as never;
  return (BigInt(ms) + BigInt(offsetMin) * 60_000n) * 1_000_000n + ns;
}
