// The dashboard's time range in Grafana's words ("now-6h" to "now", or two
// absolute times), its auto-refresh interval and live mode.

import { fromLocalInput, toLocalInput } from '../../lib/time-range.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';

export const RANGE_PRESETS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'now-5m', label: 'Last 5 minutes' },
  { value: 'now-15m', label: 'Last 15 minutes' },
  { value: 'now-1h', label: 'Last 1 hour' },
  { value: 'now-6h', label: 'Last 6 hours' },
  { value: 'now-24h', label: 'Last 24 hours' },
  { value: 'now-7d', label: 'Last 7 days' },
  { value: 'now-30d', label: 'Last 30 days' },
];

const REFRESH = ['', '5s', '10s', '30s', '1m', '5m', '15m'];

export interface TimePicker {
  el: HTMLElement;
  set(time: { from: string; to: string }, refresh: string, live: boolean): void;
}

export function createTimePicker(opts: { onTime(t: { from: string; to: string }): void; onRefresh(r: string): void; onLive(on: boolean): void; onRun(): void }): TimePicker {
  const range = selectEl([...RANGE_PRESETS, { value: 'custom', label: 'Absolute…' }], 'now-1h', { 'data-testid': 'dash-range' });
  const from = h('input', { type: 'datetime-local', 'data-testid': 'dash-from' });
  const to = h('input', { type: 'datetime-local', 'data-testid': 'dash-to' });
  const apply = button('Apply', () => {
    const f = fromLocalInput(from.value);
    const t = fromLocalInput(to.value);
    if (f === undefined || t === undefined || f >= t) {
      to.setCustomValidity('The end must come after the start.');
      to.reportValidity();
      return;
    }
    to.setCustomValidity('');
    opts.onTime({ from: new Date(f).toISOString(), to: new Date(t).toISOString() });
  }, { class: 'secondary' });
  const custom = h('div', { class: 'custom-range', hidden: true }, field('From', from), field('To', to), apply);
  const refresh = selectEl(REFRESH.map((r) => ({ value: r, label: r || 'Off' })), '', { 'data-testid': 'dash-refresh' });
  const live = h('input', { type: 'checkbox', 'data-testid': 'dash-live' });
  const run = button('Refresh', () => opts.onRun(), { class: 'secondary', 'data-testid': 'dash-run' });
  range.addEventListener('change', () => {
    if (range.value === 'custom') {
      custom.hidden = false;
      return;
    }
    custom.hidden = true;
    opts.onTime({ from: range.value, to: 'now' });
  });
  refresh.addEventListener('change', () => opts.onRefresh(refresh.value));
  live.addEventListener('change', () => opts.onLive(live.checked));
  const el = h('div', { class: 'time-controls dash-time' }, field('Time range', range), custom, field('Auto-refresh', refresh), h('label', { class: 'live-toggle' }, live, ' Live'), h('div', { class: 'run' }, run));
  return {
    el,
    set(time, r, on) {
      const preset = time.to === 'now' && /^now-\d+(ms|s|m|h|d|w)$/.test(time.from) ? time.from : 'custom';
      if (preset !== 'custom' && ![...range.options].some((o) => o.value === preset)) range.append(h('option', { value: preset }, `Last ${preset.slice(4)}`));
      range.value = preset;
      custom.hidden = preset !== 'custom';
      if (preset === 'custom') {
        const f = Date.parse(time.from);
        const t = Date.parse(time.to);
        if (Number.isFinite(f)) from.value = toLocalInput(f);
        if (Number.isFinite(t)) to.value = toLocalInput(t);
      }
      if (![...refresh.options].some((o) => o.value === r)) refresh.append(h('option', { value: r }, r));
      refresh.value = r;
      live.checked = on;
    },
  };
}
