// The right answers of the dashboard queries (dashboard-queries.ts), computed
// from the dataset's columns (integer hundredths, so sums are exact), never
// from a target's answer. Windows without points are null, as InfluxQL's
// fill(null) gives them and as an absent VM point is read.
import { deviceName, SITES } from './dataset.ts';
import type { DatasetColumns } from './dataset-columns.ts';
import { LAST_ABOVE, type DashboardSpec } from './dashboard-queries.ts';
import { windowStart, type Row } from './query-specs.ts';

function siteName(device: number): string {
  return `s${String(device % SITES).padStart(2, '0')}`;
}

function keyFor(s: DashboardSpec, device: number, series: number): string {
  return s.groupTags.map((t) => (t === 'device' ? `device=${deviceName(device, series)}` : `site=${siteName(device)}`)).join(',');
}

/** Last value per device in [from, to) (the dataset is time-major: the last line of a device wins). */
function lastPerDevice(cols: DatasetColumns, s: DashboardSpec): Map<number, number> {
  const last = new Map<number, number>();
  for (let i = 0; i < cols.n; i++) if (cols.t[i] >= s.from && cols.t[i] < s.to) last.set(cols.device[i], cols.centi[i]);
  return last;
}

export function dashboardExpected(s: DashboardSpec, cols: DatasetColumns, series: number): Row[] {
  const wanted = s.devices === null ? null : new Set(s.devices.map((d) => Number(d.slice(1))));
  switch (s.kind) {
    case 'last-all':
      return [...lastPerDevice(cols, s)].map(([d, c]) => ({ key: keyFor(s, d, series), timeMs: 0, value: c / 100 }));
    case 'last-above':
      return [...lastPerDevice(cols, s)]
        .filter(([, c]) => c / 100 > LAST_ABOVE)
        .map(([d, c]) => ({ key: keyFor(s, d, series), timeMs: 0, value: c / 100 }));
    case 'top5-mean-1h': {
      const sum = new Float64Array(series);
      const n = new Int32Array(series);
      for (let i = 0; i < cols.n; i++) {
        if (cols.t[i] < s.from || cols.t[i] >= s.to) continue;
        sum[cols.device[i]] += cols.centi[i];
        n[cols.device[i]]++;
      }
      const means: { d: number; v: number }[] = [];
      for (let d = 0; d < series; d++) if (n[d] > 0) means.push({ d, v: sum[d] / n[d] / 100 });
      means.sort((a, b) => b.v - a.v || a.d - b.d);
      return means.slice(0, 5).map(({ d, v }) => ({ key: keyFor(s, d, series), timeMs: 0, value: v }));
    }
    case 'max-1h-8dev':
    case 'mean-1h-2tags':
    case 'mean-1h-30d': {
      // Per (series, window) in typed arrays: max, or sum and count for the mean.
      const first = windowStart(s.from, s.every);
      const windows = Math.ceil((s.to - first) / s.every);
      const slots = s.groupTags.length === 0 ? 1 : series;
      const agg = new Float64Array(slots * windows).fill(-Infinity);
      const n = new Int32Array(slots * windows);
      for (let i = 0; i < cols.n; i++) {
        const t = cols.t[i];
        const d = cols.device[i];
        if (t < s.from || t >= s.to || (wanted !== null && !wanted.has(d))) continue;
        const at = (slots === 1 ? 0 : d) * windows + (windowStart(t, s.every) - first) / s.every;
        const c = cols.centi[i];
        if (s.kind === 'max-1h-8dev') agg[at] = Math.max(agg[at], c);
        else agg[at] = n[at] === 0 ? c : agg[at] + c;
        n[at]++;
      }
      const rows: Row[] = [];
      for (let k = 0; k < slots; k++) {
        if (slots > 1 && wanted !== null && !wanted.has(k)) continue;
        let any = false;
        for (let w = 0; w < windows; w++) any ||= n[k * windows + w] > 0;
        if (!any) continue;
        const key = slots === 1 ? '' : keyFor(s, k, series);
        for (let w = 0; w < windows; w++) {
          const at = k * windows + w;
          const value = n[at] === 0 ? null : s.kind === 'max-1h-8dev' ? agg[at] / 100 : agg[at] / n[at] / 100;
          rows.push({ key, timeMs: (first + w * s.every) * 1000, value });
        }
      }
      return rows;
    }
  }
}
