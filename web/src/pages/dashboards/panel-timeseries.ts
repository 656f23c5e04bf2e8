// The time series panel: uPlot sized to its grid cell, lines, points or bars
// (Grafana's custom.drawStyle), a left and an optional right axis (queries
// with axis "right"), values in the panel's unit, threshold lines, a legend
// that toggles series and the explorer's exact-value tooltip. Dragging across
// the plot zooms the whole dashboard to that range.
// uPlot API: github.com/leeoniya/uPlot/tree/master/docs (scales, axes, series.paths, hooks).

import uPlot from 'uplot';
import { alignSeries } from '../../lib/align.ts';
import { formatTime, needsMilliseconds, seriesColors } from '../../lib/chart-format.ts';
import type { CheckThreshold } from '../../lib/check-thresholds.ts';
import { colorOf, type Panel } from '../../lib/dashboard-model.ts';
import { formatValue } from '../../lib/units.ts';
import { checkLinesLegend, drawCheckLines, rangeWithLines } from '../../ui/check-lines.ts';
import { h } from '../../ui/dom.ts';
import { tooltipPlugin } from '../explore/chart-tooltip.ts';
import type { PanelResult } from './panel-data.ts';

function axisStyle(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks' | 'font'> {
  const css = getComputedStyle(document.documentElement);
  const text = css.getPropertyValue('--muted').trim() || '#5b6470';
  const grid = css.getPropertyValue('--grid').trim() || '#e3e7ec';
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 }, font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };
}

/** An alert check's level drawn on the panel, against the axis of the query it watches. */
export type PanelCheckLine = CheckThreshold & { scale: 'y' | 'y2' };

export interface TimeseriesView {
  el: HTMLElement;
  update(r: PanelResult, fromMs: number, toMs: number, checkLines?: PanelCheckLine[]): void;
  resize(): void;
  destroy(): void;
}

export function createTimeseries(panel: () => Panel, onZoom: (fromMs: number, toMs: number) => void): TimeseriesView {
  const box = h('div', { class: 'ts-plot' });
  const el = h('div', { class: 'panel-ts', 'data-testid': 'panel-chart', 'data-series': '0', 'data-points': '0' }, box);
  let plot: uPlot | undefined;
  let key = '';
  let xRange: [number, number] = [0, 1];
  const hidden = new Set<string>();
  let last: { r: PanelResult; from: number; to: number } | undefined;
  let lines: PanelCheckLine[] = [];
  let linesLegend = checkLinesLegend([]);
  el.append(linesLegend);

  const size = () => ({ width: Math.max(120, el.clientWidth), height: Math.max(60, el.clientHeight - legendHeight() - linesLegend.offsetHeight) });
  const legendHeight = () => (plot ? (plot.root.querySelector('.u-legend') as HTMLElement | null)?.offsetHeight ?? 0 : 24);

  function build(r: PanelResult, data: uPlot.AlignedData): void {
    plot?.destroy();
    const defaults = panel().fieldConfig?.defaults ?? {};
    const unit = defaults.unit;
    const decimals = defaults.decimals;
    const style = defaults.custom?.drawStyle ?? 'line';
    const colors = seriesColors(r.series.map((s) => s.label));
    const color = (label: string) => colors.get(label) ?? '#888';
    const right = r.series.some((_, i) => panel().queries?.[r.queryOf[i]]?.axis === 'right');
    const axis = axisStyle();
    const fmt = (v: number | null | undefined) => formatValue(v, unit, decimals);
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    let withMs = needsMilliseconds(data[0] as number[]);
    const steps = defaults.thresholds?.steps?.filter((s) => s.value !== null) ?? [];
    const thresholdMode = String((defaults.custom?.thresholdsStyle as { mode?: string } | undefined)?.mode ?? 'dashed');
    const opts: uPlot.Options = {
      ...size(),
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      // Alert checks' lines stay in view: the y axes reach them.
      scales: {
        x: { time: true, range: () => xRange },
        y: lines.some((l) => l.scale === 'y') ? { range: (_u, min, max) => rangeWithLines(lines.filter((l) => l.scale === 'y'), min, max) ?? [min, max] } : {},
        y2: lines.some((l) => l.scale === 'y2') ? { range: (_u, min, max) => rangeWithLines(lines.filter((l) => l.scale === 'y2'), min, max) ?? [min, max] } : {},
      },
      legend: { live: true },
      series: [
        { label: 'Time', value: (_u, v) => (v === null ? '—' : formatTime(v * 1000, withMs)) },
        ...r.series.map((s, i) => ({
          label: s.label,
          scale: panel().queries?.[r.queryOf[i]]?.axis === 'right' ? 'y2' : 'y',
          stroke: color(s.label),
          fill: style === 'bars' ? color(s.label) + '99' : undefined,
          width: style === 'points' ? 0 : 1.5,
          show: !hidden.has(s.label),
          value: (_u: uPlot, v: number | null) => fmt(v),
          paths: style === 'bars' ? bars : style === 'points' ? () => null : undefined,
          points: { show: style === 'points' || s.times.length <= 60, size: style === 'points' ? 5 : 4, fill: color(s.label) },
        })),
      ],
      axes: [
        { ...axis },
        { ...axis, scale: 'y', size: 60, values: (_u, splits) => splits.map((v) => fmt(v)) },
        ...(right ? [{ ...axis, scale: 'y2', side: 1, size: 60, grid: { show: false }, values: (_u: uPlot, splits: number[]) => splits.map((v) => fmt(v)) }] : []),
      ],
      plugins: [tooltipPlugin(color)],
      hooks: {
        setData: [(u) => void (withMs = needsMilliseconds(u.data[0] as number[]))],
        // Thresholds as Grafana's custom.thresholdsStyle.mode draws them: lines
        // ("line", "dashed") and/or bands ("area": each step's colour from its
        // value up to the next step's), under the series. Absent: dashed lines.
        drawAxes: [
          (u) => {
            // The levels of the alert checks watching this panel's series (issue 14).
            for (const scale of ['y', 'y2'] as const) drawCheckLines(u, lines.filter((l) => l.scale === scale), thresholdMode, scale);
            if (steps.length === 0 || thresholdMode === 'off') return;
            const ctx = u.ctx;
            const { left, top, width, height } = u.bbox;
            const all = defaults.thresholds?.steps ?? [];
            ctx.save();
            ctx.beginPath();
            ctx.rect(left, top, width, height);
            ctx.clip();
            if (thresholdMode.includes('area')) {
              all.forEach((st, i) => {
                const lo = st.value === null ? top + height : u.valToPos(st.value, 'y', true);
                const next = all[i + 1];
                const hi = next && next.value !== null ? u.valToPos(next.value, 'y', true) : top;
                if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
                ctx.globalAlpha = 0.12;
                ctx.fillStyle = colorOf(st.color);
                ctx.fillRect(left, Math.min(lo, hi), width, Math.abs(lo - hi));
              });
              ctx.globalAlpha = 1;
            }
            if (!thresholdMode.startsWith('area')) {
              for (const st of steps) {
                const y = u.valToPos(st.value as number, 'y', true);
                if (!Number.isFinite(y)) continue;
                ctx.strokeStyle = colorOf(st.color);
                ctx.setLineDash(thresholdMode.startsWith('line') ? [] : [6, 4]);
                ctx.lineWidth = 1.5 * devicePixelRatio;
                ctx.beginPath();
                ctx.moveTo(left, y);
                ctx.lineTo(left + width, y);
                ctx.stroke();
              }
            }
            ctx.restore();
          },
        ],
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
          },
        ],
      },
    };
    plot = new uPlot(opts, data, box);
    (el as HTMLElement & { uplot?: uPlot }).uplot = plot;
    requestAnimationFrame(() => plot?.setSize(size()));
  }

  return {
    el,
    update(r, fromMs, toMs, checkLines = []) {
      last = { r, from: fromMs, to: toMs };
      xRange = [fromMs / 1000, toMs / 1000];
      const aligned = alignSeries(r.series);
      const data = [aligned.xs, ...aligned.ys] as uPlot.AlignedData;
      const points = r.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
      el.dataset.series = String(r.series.length);
      el.dataset.points = String(points);
      el.dataset.lastTime = String(aligned.xs.length ? aligned.xs[aligned.xs.length - 1] * 1000 : '');
      const k = JSON.stringify([r.series.map((s) => s.label), panel().fieldConfig, panel().queries?.map((q) => q.axis), checkLines]);
      if (k !== key) {
        lines = checkLines;
        const next = checkLinesLegend(lines);
        linesLegend.replaceWith(next);
        linesLegend = next;
        el.dataset.checkLines = String(lines.length);
      }
      if (plot && k === key) plot.setData(data);
      else build(r, data);
      key = k;
    },
    resize() {
      if (plot) plot.setSize(size());
    },
    destroy() {
      plot?.destroy();
      plot = undefined;
      void last;
    },
  };
}
