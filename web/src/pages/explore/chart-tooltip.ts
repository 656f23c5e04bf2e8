// A tooltip that follows the cursor: the exact time of the point under it and
// every shown series' exact value there, as Grafana's shared tooltip does.
// A uPlot plugin (hooks only), so no other charting library is needed.

import type uPlot from 'uplot';
import { formatExact, formatTime, needsMilliseconds } from '../../lib/chart-format.ts';
import { h } from '../../ui/dom.ts';

export function tooltipPlugin(colorOf: (label: string) => string): uPlot.Plugin {
  const box = h('div', { class: 'chart-tip', 'data-testid': 'chart-tooltip', hidden: true, role: 'presentation' });
  let withMs = false;
  return {
    hooks: {
      init: [(u) => void u.over.append(box)],
      setData: [(u) => void (withMs = needsMilliseconds(u.data[0]))],
      setCursor: [
        (u) => {
          const idx = u.cursor.idx;
          const left = u.cursor.left ?? -1;
          if (idx === null || idx === undefined || left < 0) {
            box.hidden = true;
            return;
          }
          const x = u.data[0][idx];
          const rows = u.series.slice(1).flatMap((s, i) => {
            const v = u.data[i + 1][idx];
            if (!s.show || v === null || v === undefined) return [];
            const label = String(s.label ?? '');
            // CSSOM, not a style attribute: the page's CSP allows no inline styles.
            const swatch = h('span', { class: 'tip-swatch' });
            swatch.style.background = colorOf(label);
            return [h('div', { class: 'tip-row' }, swatch, h('span', { class: 'tip-label' }, label), h('strong', { class: 'tip-value' }, formatExact(v)))];
          });
          if (rows.length === 0) {
            box.hidden = true;
            return;
          }
          box.replaceChildren(h('time', { class: 'tip-time' }, formatTime(x * 1000, withMs)), ...rows);
          box.hidden = false;
          // Keep it inside the plot: flip to the cursor's left on the right half.
          const top = Math.max(0, Math.min((u.cursor.top ?? 0) + 12, u.over.clientHeight - box.offsetHeight));
          const flip = left > u.over.clientWidth / 2;
          box.style.top = `${top}px`;
          box.style.left = flip ? '' : `${left + 14}px`;
          box.style.right = flip ? `${u.over.clientWidth - left + 14}px` : '';
        },
      ],
    },
  };
}
