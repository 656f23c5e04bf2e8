// Go's time.Duration.String(), which InfluxDB prints in retention-policy
// listings and messages: "168h0m0s", "2h0m0s", "1m30s", "1.5s", "500ms", "0s".

export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    // sub-second: ns, µs or ms with a fraction
    let unit: string;
    let scale: bigint;
    if (u < 1000n) return (neg ? '-' : '') + `${u}ns`;
    if (u < 1_000_000n) {
      unit = 'µs';
      scale = 1000n;
    } else {
      unit = 'ms';
      scale = 1_000_000n;
    }
    out = fraction(u, scale) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    const s = fraction(u, 1_000_000_000n) + 's';
    out = h > 0n ? `${h}h${m}m${s}` : m > 0n ? `${m}m${s}` : s;
  }
  return (neg ? '-' : '') + out;
}

function fraction(v: bigint, scale: bigint): string {
  const whole = v / scale;
  let frac = (v % scale).toString().padStart(scale.toString().length - 1, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

export function formatGoDurationSeconds(seconds: number): string {
  return formatGoDuration(BigInt(Math.round(seconds)) * 1_000_000_000n);
}
