// The chart: uPlot, which draws 100k+ points per frame on a canvas without
// slowing down. Series keep their colours across refreshes; a live refresh
// replaces the data in place (setData) instead of rebuilding the chart.
// Dragging across the chart zooms to that time range (as in Grafana).
// The figure carries data-series/data-points and a text summary, so tests and
// screen readers can read what is drawn.

import uPlot from 'uplot';
import { alignSeries } from '../../lib/align.ts';
import type { Series } from '../../lib/result-series.ts';
import { h } from '../../ui/dom.ts';

// Okabe-Ito palette (distinguishable with colour-vision deficiencies), then a few more.
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000', '#7f3c8d', '#11a579', '#3969ac', '#f2b701'];

/** Axis text and grid in the page's colours (uPlot's defaults assume a light page). */
function axis(): uPlot.Axis {
  const css = getComputedStyle(document.documentElement);
  const text = css.getPropertyValue('--muted').trim() || '#5b6470';
  const grid = css.getPropertyValue('--border').trim() || '#d4d9e0';
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

export interface ChartView {
  el: HTMLElement;
  update(series: Series[]): void;
  destroy(): void;
}

export function createChartView(onZoom: (fromMs: number, toMs: number) => void): ChartView {
  const plotBox = h('div', { class: 'plot' });
  const caption = h('figcaption', { class: 'chart-summary' });
  const el = h('figure', { class: 'chart', 'data-testid': 'chart', 'data-series': '0', 'data-points': '0' }, plotBox, caption);
  let plot: uPlot | undefined;
  let labels: string[] = [];
  const colorOf = new Map<string, string>();

  const size = () => ({ width: Math.max(280, plotBox.clientWidth || el.clientWidth || 800), height: Math.max(220, Math.min(420, Math.round((plotBox.clientWidth || 800) * 0.45))) });

  function build(series: Series[], data: uPlot.AlignedData): void {
    plot?.destroy();
    for (const s of series) if (!colorOf.has(s.label)) colorOf.set(s.label, COLORS[colorOf.size % COLORS.length]);
    const { width, height } = size();
    const opts: uPlot.Options = {
      width,
      height,
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: true } },
      legend: { live: true },
      series: [
        { label: 'Time' },
        ...series.map((s) => ({
          label: s.label,
          stroke: colorOf.get(s.label),
          width: 1.5,
          // Sparse points are drawn as dots too, so isolated values stay visible.
          points: { show: s.times.length <= width / 10 },
        })),
      ],
      axes: [axis(), { ...axis(), size: 60 }],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 5) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onZoom(Math.floor(from), Math.ceil(to));
          },
        ],
      },
    };
    plot = new uPlot(opts, data, plotBox);
    labels = series.map((s) => s.label);
  }

  const resize = new ResizeObserver(() => {
    if (plot) plot.setSize(size());
  });
  resize.observe(plotBox);

  return {
    el,
    update(series) {
      const aligned = alignSeries(series);
      const data = [aligned.xs, ...aligned.ys] as uPlot.AlignedData;
      const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
      el.dataset.series = String(series.length);
      el.dataset.points = String(points);
      el.dataset.labels = JSON.stringify(series.map((s) => s.label));
      caption.textContent = series.length === 0 ? 'No data in this time range.' : `${series.length} series, ${points.toLocaleString()} points: ${series.map((s) => s.label).join('; ')}`;
      el.classList.toggle('empty', series.length === 0);
      const same = plot && labels.length === series.length && labels.every((l, i) => l === series[i].label);
      if (same) plot!.setData(data);
      else build(series, data);
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    },
  };
}
