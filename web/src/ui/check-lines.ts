// Drawing alert checks' levels (lib/check-thresholds.ts) on a uPlot chart, as
// the dashboard panel draws its own thresholds: dashed lines by default, solid
// for "line" modes, shaded regions that fire the level for "area" modes. The
// legend-like list under the chart names each check and level, so readers
// (and tests) see which checks are drawn.

import uPlot from 'uplot';
import type { CheckThreshold } from '../lib/check-thresholds.ts';
import { h } from './dom.ts';

export function drawCheckLines(u: uPlot, lines: readonly CheckThreshold[], mode: string, scale = 'y'): void {
  if (lines.length === 0 || mode === 'off') return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const bottom = top + height;
  const pos = (v: number) => u.valToPos(v, scale, true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  if (mode.includes('area')) {
    const band = (a: number, b: number) => {
      if (!Number.isFinite(a) || !Number.isFinite(b)) return;
      ctx.fillRect(left, Math.min(a, b), width, Math.abs(a - b));
    };
    ctx.globalAlpha = 0.12;
    for (const l of lines) {
      ctx.fillStyle = l.color;
      const [a, b] = l.values.map(pos);
      if (l.region === 'above') band(a, top);
      else if (l.region === 'below') band(a, bottom);
      else if (l.region === 'inside') band(a, b);
      else if (l.region === 'outside') {
        band(a, bottom);
        band(b, top);
      }
    }
    ctx.globalAlpha = 1;
  }
  if (!mode.startsWith('area')) {
    ctx.setLineDash(mode.startsWith('line') ? [] : [6, 4]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    for (const l of lines) {
      ctx.strokeStyle = l.color;
      for (const v of l.values) {
        const y = pos(v);
        if (!Number.isFinite(y)) continue;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
      }
    }
  }
  ctx.restore();
}

/** The y range (uPlot's rounding of the data's) that keeps every check's lines in view beside the data. */
export function rangeWithLines(lines: readonly CheckThreshold[], min: number | null, max: number | null): uPlot.Range.MinMax | undefined {
  const vs = lines.flatMap((l) => l.values);
  if (vs.length === 0) return undefined;
  const lo = Math.min(...vs, ...(min === null || !Number.isFinite(min) ? [] : [min]));
  const hi = Math.max(...vs, ...(max === null || !Number.isFinite(max) ? [] : [max]));
  return uPlot.rangeNum(lo, hi, 0.1, true);
}

/** The list naming the drawn checks: one item per check level, with data-check and data-level. */
export function checkLinesLegend(lines: readonly CheckThreshold[]): HTMLElement {
  const el = h('ul', { class: 'check-lines', 'data-testid': 'check-lines', hidden: lines.length === 0 });
  for (const l of lines) {
    const swatch = h('span', { class: 'check-line-swatch', 'aria-hidden': 'true' });
    swatch.style.borderTopColor = l.color;
    el.append(h('li', { 'data-check': l.check, 'data-level': l.level, title: `Alert check "${l.check}": ${l.level} when ${l.text}` }, swatch, `${l.check}: ${l.level} ${l.text}`));
  }
  return el;
}
