// The chart: uPlot, which draws 100k+ points per frame on a canvas without
// slowing down. A live refresh replaces the data in place (setData) instead of
// rebuilding the chart. Dragging across the chart zooms to that time range.
//
// - The x axis always spans the selected time range, whatever the data covers
//   (as Grafana and InfluxDB's Data Explorer do): one point in "Last 1 hour"
//   sits at its moment in that hour, not on an axis uPlot invents around it.
// - Colours follow series labels (lib/chart-format.ts), so they survive
//   refreshes and a change of query language.
// - Axes, grid, legend and tooltip take the page's colours and are rebuilt
//   when the system switches between light and dark.
// - The legend toggles series (click, or Enter/Space on a focused row); what
//   is hidden stays hidden across refreshes.
// The figure carries data-series/data-points and a text summary, so tests and
// screen readers can read what is drawn; tests read the uPlot instance too.

import uPlot from 'uplot';
import { alignSeries } from '../../lib/align.ts';
import type { CheckThreshold } from '../../lib/check-thresholds.ts';
import { formatExact, formatTick, formatTime, needsMilliseconds, seriesColors } from '../../lib/chart-format.ts';
import type { Series } from '../../lib/result-series.ts';
import { checkLinesLegend, drawCheckLines, rangeWithLines } from '../../ui/check-lines.ts';
import { h } from '../../ui/dom.ts';
import { tooltipPlugin } from './chart-tooltip.ts';

/** Axis text and grid in the page's colours (uPlot's defaults assume a light page). */
function axisStyle(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks' | 'font' | 'labelFont'> {
  const css = getComputedStyle(document.documentElement);
  const text = css.getPropertyValue('--muted').trim() || '#5b6470';
  const grid = css.getPropertyValue('--grid').trim() || '#e3e7ec';
  const font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 }, font, labelFont: `600 ${font}` };
}

export interface ChartWindow {
  fromMs: number;
  toMs: number;
  /** The y axis' title, e.g. "mean of count per 10s"; the fields' names when absent. */
  yLabel?: string;
  /** The levels of the alert checks watching this query (lib/check-thresholds.ts), drawn as dashed lines. */
  checkLines?: CheckThreshold[];
}

export interface ChartView {
  el: HTMLElement;
  update(series: Series[], window: ChartWindow): void;
  destroy(): void;
}

export type ChartElement = HTMLElement & { uplot?: uPlot };

export function createChartView(onZoom: (fromMs: number, toMs: number) => void): ChartView {
  const plotBox = h('div', { class: 'plot' });
  const caption = h('figcaption', { class: 'chart-summary' });
  const el: ChartElement = h('figure', { class: 'chart', 'data-testid': 'chart', 'data-series': '0', 'data-points': '0' }, plotBox, caption);
  let plot: uPlot | undefined;
  let labels: string[] = [];
  let colors = new Map<string, string>();
  const hidden = new Set<string>();
  let xRange: [number, number] = [0, 1];
  let last: { series: Series[]; data: uPlot.AlignedData } | undefined;
  let withMs = false;
  let yTitle: string | undefined;
  let lines: CheckThreshold[] = [];
  let linesKey = '[]';
  let linesLegend = checkLinesLegend([]);
  el.insertBefore(linesLegend, caption);

  const size = () => ({ width: Math.max(280, plotBox.clientWidth || el.clientWidth || 800), height: Math.max(220, Math.min(420, Math.round((plotBox.clientWidth || 800) * 0.45))) });
  const colorOf = (label: string) => colors.get(label) ?? '#888';

  function yLabel(series: Series[]): string {
    const fields = [...new Set(series.map((s) => s.field))];
    return fields.length === 1 ? fields[0] : fields.length <= 3 ? fields.join(', ') : 'value';
  }

  function build(series: Series[], data: uPlot.AlignedData): void {
    plot?.destroy();
    colors = seriesColors(series.map((s) => s.label));
    el.dataset.colors = JSON.stringify(Object.fromEntries(colors));
    const { width, height } = size();
    const axis = axisStyle();
    const opts: uPlot.Options = {
      width,
      height,
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 7 } },
      // The selected range, never the data's extent (see the header).
      // Alert checks' lines stay in view: the y axis reaches them.
      scales: { x: { time: true, range: () => xRange }, ...(lines.length ? { y: { range: (_u: uPlot, min: number, max: number) => rangeWithLines(lines, min, max) ?? [min, max] } } : {}) },
      legend: { live: true },
      series: [
        // The hover legend's time: seconds always, milliseconds when points are that close.
        { label: 'Time', value: (_u, v) => (v === null ? '—' : formatTime(v * 1000, withMs)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: colorOf(s.label),
          width: 1.75,
          show: !hidden.has(s.label),
          value: (_u: uPlot, v: number | null) => formatExact(v),
          // Sparse points are drawn as dots too, so isolated values stay visible.
          points: { show: s.times.length <= width / 10, size: 6, fill: colorOf(s.label) },
        })),
      ],
      axes: [
        { ...axis, label: 'Local time', labelSize: 20 },
        { ...axis, size: 64, label: yTitle ?? yLabel(series), labelSize: 20, values: (_u, splits) => splits.map(formatTick) },
      ],
      plugins: [tooltipPlugin(colorOf)],
      hooks: {
        drawAxes: [(u) => drawCheckLines(u, lines, 'dashed')],
        setSelect: [
          (u) => {
            if (u.select.width < 5) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onZoom(Math.floor(from), Math.ceil(to));
          },
        ],
        setSeries: [
          (u, i) => {
            if (i === null) return;
            const s = u.series[i];
            if (s.show) hidden.delete(String(s.label));
            else hidden.add(String(s.label));
            legendRows(u)[i]?.setAttribute('aria-pressed', String(s.show !== false));
          },
        ],
      },
    };
    plot = new uPlot(opts, data, plotBox);
    el.uplot = plot;
    labels = series.map((s) => s.label);
    makeLegendKeyboardFriendly(plot);
  }

  const resize = new ResizeObserver(() => {
    if (plot) plot.setSize(size());
  });
  resize.observe(plotBox);
  // Dark mode follows the system: rebuild with the new colours.
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => {
    if (last && plot) build(last.series, last.data);
  };
  scheme.addEventListener('change', onScheme);

  return {
    el,
    update(series, window) {
      xRange = [window.fromMs / 1000, window.toMs / 1000];
      const nextLines = JSON.stringify(window.checkLines ?? []);
      const titleChanged = yTitle !== window.yLabel || nextLines !== linesKey;
      if (nextLines !== linesKey) {
        linesKey = nextLines;
        lines = window.checkLines ?? [];
        const next = checkLinesLegend(lines);
        linesLegend.replaceWith(next);
        linesLegend = next;
        el.dataset.checkLines = String(lines.length);
      }
      yTitle = window.yLabel;
      const aligned = alignSeries(series);
      const data = [aligned.xs, ...aligned.ys] as uPlot.AlignedData;
      withMs = needsMilliseconds(aligned.xs);
      last = { series, data };
      const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
      el.dataset.series = String(series.length);
      el.dataset.points = String(points);
      el.dataset.labels = JSON.stringify(series.map((s) => s.label));
      caption.textContent = series.length === 0 ? 'No data in this time range.' : `${series.length} series, ${points.toLocaleString()} points: ${series.map((s) => s.label).join('; ')}`;
      el.classList.toggle('empty', series.length === 0);
      const same = plot && labels.length === series.length && labels.every((l, i) => l === series[i].label);
      if (same && !titleChanged) plot!.setData(data);
      else build(series, data);
    },
    destroy() {
      resize.disconnect();
      scheme.removeEventListener('change', onScheme);
      plot?.destroy();
      plot = undefined;
      el.uplot = undefined;
    },
  };
}

function legendRows(u: uPlot): HTMLElement[] {
  return [...u.root.querySelectorAll<HTMLElement>('.u-legend .u-series')];
}

/** uPlot's legend toggles a series on click; this adds the keyboard and says so to screen readers. */
function makeLegendKeyboardFriendly(u: uPlot): void {
  legendRows(u).forEach((row, i) => {
    if (i === 0) return;
    row.tabIndex = 0;
    row.setAttribute('role', 'button');
    row.setAttribute('aria-pressed', String(u.series[i].show !== false));
    row.title = 'Show or hide this series';
    row.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      u.setSeries(i, { show: !u.series[i].show });
    });
  });
}
