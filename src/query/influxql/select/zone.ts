// Zone offsets for tz(): the offset of an IANA zone at an instant, from Intl.

export function zoneOffsetNs(tz: string, atNs: bigint): bigint {
  const ms = Number(atNs / 1_000_000n);
  const date = new Date(Number.isFinite(ms) ? ms : 0);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offsetMs = asUtc - Math.floor(date.getTime() / 1000) * 1000;
  return BigInt(offsetMs) * 1_000_000n;
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
