// Stat, gauge and bar chart panels: the last value of each series, drawn as
// Grafana draws them (grafana.com/docs/grafana/latest/panels-visualizations/visualizations/stat/,
// .../gauge/, .../bar-chart/): a big number coloured by threshold with a
// sparkline under it; an arc from min to max; a bar per series (per tag value).
// SVG built with createElementNS: no markup strings, so data cannot inject any.

import { thresholdColor, type Panel } from '../../lib/dashboard-model.ts';
import { formatValue } from '../../lib/units.ts';
import { h } from '../../ui/dom.ts';
import { lastValue, type PanelResult } from './panel-data.ts';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function tagText(tags: Record<string, string>, fallback: string): string {
  const v = Object.values(tags).filter(Boolean);
  return v.length ? v.join(', ') : fallback;
}

function sparkline(times: number[], values: Array<number | null>, color: string): SVGSVGElement {
  const pts = times.map((t, i) => [t, values[i]] as const).filter(([, v]) => v !== null) as Array<readonly [number, number]>;
  const el = svg('svg', { class: 'sparkline', viewBox: '0 0 100 30', preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  if (pts.length < 2) return el;
  const [t0, t1] = [pts[0][0], pts[pts.length - 1][0]];
  const vs = pts.map(([, v]) => v);
  const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * 100;
  const y = (v: number) => 28 - ((v - lo) / (hi - lo || 1)) * 26;
  const line = pts.map(([t, v]) => `${x(t).toFixed(2)},${y(v).toFixed(2)}`).join(' ');
  el.append(svg('polygon', { points: `0,30 ${line} 100,30`, fill: color, 'fill-opacity': 0.18 }), svg('polyline', { points: line, fill: 'none', stroke: color, 'stroke-width': 1.5, 'vector-effect': 'non-scaling-stroke' }));
  return el;
}

export function renderStat(panel: Panel, r: PanelResult): HTMLElement {
  const d = panel.fieldConfig?.defaults ?? {};
  const shown = r.series.slice(0, 6);
  if (shown.length === 0) return h('p', { class: 'panel-empty' }, 'No data in this time range.');
  return h(
    'div',
    { class: `stat-grid n${shown.length}`, 'data-testid': 'panel-stat' },
    ...shown.map((s) => {
      const { value, time } = lastValue(s);
      const color = thresholdColor(d.thresholds?.steps, value) ?? 'var(--accent)';
      const num = h('div', { class: 'stat-value', 'data-value': value === null ? '' : String(value), title: time ? new Date(time).toLocaleString() : '' }, formatValue(value, d.unit, d.decimals));
      num.style.color = color;
      return h('div', { class: 'stat' }, shown.length > 1 ? h('div', { class: 'stat-label' }, tagText(s.tags, s.label)) : null, num, sparkline(s.times, s.values, color));
    }),
  );
}

export function renderGauge(panel: Panel, r: PanelResult): HTMLElement {
  const d = panel.fieldConfig?.defaults ?? {};
  const min = d.min ?? 0;
  const max = d.max ?? 100;
  const shown = r.series.slice(0, 4);
  if (shown.length === 0) return h('p', { class: 'panel-empty' }, 'No data in this time range.');
  return h(
    'div',
    { class: `stat-grid n${shown.length}`, 'data-testid': 'panel-gauge' },
    ...shown.map((s) => {
      const { value } = lastValue(s);
      const frac = value === null ? 0 : Math.min(1, Math.max(0, (value - min) / (max - min || 1)));
      const color = thresholdColor(d.thresholds?.steps, value) ?? 'var(--accent)';
      // A 240° arc, as Grafana's gauge: from 150° to 390° around the centre.
      const arc = (f: number) => {
        const a0 = (150 * Math.PI) / 180;
        const a1 = a0 + f * ((240 * Math.PI) / 180);
        const p = (a: number) => `${50 + 40 * Math.cos(a)},${55 + 40 * Math.sin(a)}`;
        return `M ${p(a0)} A 40 40 0 ${f * 240 > 180 ? 1 : 0} 1 ${p(a1)}`;
      };
      const g = svg('svg', { viewBox: '0 0 100 90', class: 'gauge', role: 'img', 'aria-label': `${s.label}: ${formatValue(value, d.unit, d.decimals)}` });
      g.append(svg('path', { d: arc(1), class: 'gauge-track', fill: 'none', 'stroke-width': 9, 'stroke-linecap': 'round' }));
      if (frac > 0) g.append(svg('path', { d: arc(frac), fill: 'none', stroke: color, 'stroke-width': 9, 'stroke-linecap': 'round' }));
      const text = svg('text', { x: 50, y: 60, 'text-anchor': 'middle', class: 'gauge-text', fill: color });
      text.textContent = formatValue(value, d.unit, d.decimals);
      g.append(text);
      return h('div', { class: 'stat' }, shown.length > 1 ? h('div', { class: 'stat-label' }, tagText(s.tags, s.label)) : null, g);
    }),
  );
}

/** One bar per series, labelled by its tags: "bar chart by tag" (e.g. GROUP BY "device"). */
export function renderBarchart(panel: Panel, r: PanelResult): HTMLElement {
  const d = panel.fieldConfig?.defaults ?? {};
  const rows = r.series.map((s) => ({ label: tagText(s.tags, s.label), value: lastValue(s).value })).filter((x) => x.value !== null) as Array<{ label: string; value: number }>;
  if (rows.length === 0) return h('p', { class: 'panel-empty' }, 'No data in this time range.');
  const max = Math.max(...rows.map((x) => Math.abs(x.value)), d.max ?? 0) || 1;
  return h(
    'div',
    { class: 'bars', 'data-testid': 'panel-bars' },
    ...rows.map((x) => {
      const bar = h('span', { class: 'bar-fill' });
      bar.style.width = `${(Math.abs(x.value) / max) * 100}%`;
      bar.style.background = thresholdColor(d.thresholds?.steps, x.value) ?? 'var(--accent)';
      return h('div', { class: 'bar-row' }, h('span', { class: 'bar-label', title: x.label }, x.label), h('span', { class: 'bar-track' }, bar), h('span', { class: 'bar-value' }, formatValue(x.value, d.unit, d.decimals)));
    }),
  );
}
