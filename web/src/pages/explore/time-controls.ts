// Time range (presets and custom from/to), auto-refresh, and Run.

import { REFRESH_CHOICES } from '../../lib/explore-url.ts';
import { formatDuration, parseDuration } from '../../lib/interval.ts';
import { fromLocalInput, PRESETS, resolveRange, toLocalInput, type TimeRange } from '../../lib/time-range.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';

export interface TimeControls {
  el: HTMLElement;
  set(range: TimeRange, refreshMs: number): void;
}

export function createTimeControls(opts: { onRange(r: TimeRange): void; onRefresh(ms: number): void; onRun(): void }): TimeControls {
  const range = selectEl([...PRESETS, { value: 'custom', label: 'Custom…' }], '1h', { 'data-testid': 'range' });
  const from = h('input', { type: 'datetime-local' });
  const to = h('input', { type: 'datetime-local' });
  const apply = button('Apply', () => {
    const f = fromLocalInput(from.value);
    const t = fromLocalInput(to.value);
    if (f === undefined || t === undefined || f >= t) {
      to.setCustomValidity('The end must come after the start.');
      to.reportValidity();
      return;
    }
    to.setCustomValidity('');
    opts.onRange({ kind: 'absolute', fromMs: f, toMs: t });
  }, { class: 'secondary' });
  const custom = h('div', { class: 'custom-range', hidden: true }, field('From', from), field('To', to), apply);
  const refresh = selectEl(REFRESH_CHOICES.map((c) => ({ value: String(c.ms), label: c.label })), '0', { 'data-testid': 'refresh' });
  const run = button('Run', () => opts.onRun(), { class: 'primary', 'data-testid': 'run' });

  range.addEventListener('change', () => {
    if (range.value === 'custom') {
      custom.hidden = false;
      from.focus();
      return;
    }
    custom.hidden = true;
    opts.onRange({ kind: 'relative', lastMs: parseDuration(range.value)! });
  });
  refresh.addEventListener('change', () => opts.onRefresh(Number(refresh.value)));

  const el = h('div', { class: 'time-controls' }, field('Time range', range), custom, field('Auto-refresh', refresh), h('div', { class: 'run' }, run));
  return {
    el,
    set(r, refreshMs) {
      if (r.kind === 'relative') {
        // Compare durations, not spellings: "24h" and "1d" are one preset.
        const preset = PRESETS.find((p) => parseDuration(p.value) === r.lastMs)?.value ?? formatDuration(r.lastMs);
        if (![...range.options].some((o) => o.value === preset)) range.append(h('option', { value: preset }, `Last ${preset}`));
        range.value = preset;
        custom.hidden = true;
      } else {
        range.value = 'custom';
        custom.hidden = false;
        const { fromMs, toMs } = resolveRange(r, Date.now());
        from.value = toLocalInput(fromMs);
        to.value = toLocalInput(toMs);
      }
      const ms = String(refreshMs);
      if (![...refresh.options].some((o) => o.value === ms)) refresh.append(h('option', { value: ms }, formatDuration(refreshMs)));
      refresh.value = ms;
    },
  };
}
