// How the chart writes times and values, and which colour a series gets.
// Pure functions, so the formats are the same in the tooltip, the legend and
// the tests.

// Okabe-Ito (distinguishable with colour-vision deficiencies) without its
// black and yellow, which vanish on a dark or a light page, then a few more.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#7f3c8d', '#11a579', '#3969ac', '#f2b701', '#e73f74', '#80ba5a'];

/** FNV-1a: a small, stable hash of a series label. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Colours follow the series label, not its position in the answer: the same
 * series has the same colour in InfluxQL and SQL, after a refresh and beside
 * other series. Two labels of one chart that hash alike take the next free
 * colour, in label order, so the result does not depend on the answer's order.
 */
export function seriesColors(labels: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<number>();
  for (const label of [...new Set(labels)].sort()) {
    let i = hash(label) % PALETTE.length;
    for (let tries = 0; used.has(i) && tries < PALETTE.length; tries++) i = (i + 1) % PALETTE.length;
    used.add(i);
    out.set(label, PALETTE[i]);
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time with seconds, and milliseconds when points are less than a second apart: "2026-12-07 10:23:45". */
export function formatTime(ms: number, withMs = false): string {
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** Whether some time (seconds, as uPlot keeps them) is not on a whole second: then the tooltip shows milliseconds. */
export function needsMilliseconds(xsSeconds: ArrayLike<number>): boolean {
  for (let i = 0; i < xsSeconds.length; i++) if (Math.round(xsSeconds[i] * 1000) % 1000 !== 0) return true;
  return false;
}

/** The exact value, as the server sent it (no rounding), grouped for reading. */
export function formatExact(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: Math.abs(v) >= 10_000 });
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });

/** Axis ticks: 12.5, 1,250, 12.5k, 3.2M; float noise (0.30000000000000004) never shows. */
export function formatTick(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Math.abs(v) >= 100_000) return compact.format(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: 6 });
}
