// Value formatting by unit, with the unit ids of Grafana's standard options
// (grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit),
// for the few units device data uses. An unknown unit is written after the value.

const SUFFIX: Record<string, string> = {
  celsius: ' °C',
  fahrenheit: ' °F',
  percent: '%',
  humidity: '%H',
  volt: ' V',
  amp: ' A',
  watt: ' W',
  kwatth: ' kWh',
  pressurehpa: ' hPa',
  lux: ' lx',
  ppm: ' ppm',
  ms: ' ms',
  s: ' s',
  dB: ' dB',
};

const BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Text of a value with its unit and decimals; "—" for no value. */
export function formatValue(v: number | null | undefined, unit?: string, decimals?: number): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const fixed = (x: number) => (decimals !== undefined ? x.toFixed(decimals) : Number(x.toPrecision(Math.abs(x) >= 1 ? Math.max(3, Math.floor(Math.log10(Math.abs(x))) + 1) : 3)).toString());
  if (unit === 'bytes') {
    let i = 0;
    let x = v;
    while (Math.abs(x) >= 1024 && i < BYTES.length - 1) {
      x /= 1024;
      i++;
    }
    return `${fixed(x)} ${BYTES[i]}`;
  }
  if (unit === 'percentunit') return `${fixed(v * 100)}%`;
  if (!unit || unit === 'none' || unit === 'short') {
    if (decimals === undefined && Math.abs(v) >= 100_000) return new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 }).format(v);
    return decimals !== undefined ? v.toFixed(decimals) : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  }
  return `${fixed(v)}${SUFFIX[unit] ?? ` ${unit}`}`;
}

export const UNIT_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'None' },
  { value: 'celsius', label: 'Celsius (°C)' },
  { value: 'fahrenheit', label: 'Fahrenheit (°F)' },
  { value: 'percent', label: 'Percent (0-100)' },
  { value: 'humidity', label: 'Humidity (%H)' },
  { value: 'volt', label: 'Volt' },
  { value: 'watt', label: 'Watt' },
  { value: 'bytes', label: 'Bytes' },
  { value: 'ms', label: 'Milliseconds' },
  { value: 's', label: 'Seconds' },
];
