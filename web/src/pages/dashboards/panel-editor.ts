// The panel editor: title, kind, the queries (InfluxQL, SQL or OpenTSDB,
// written by hand or pasted from the explorer or from Grafana), and the
// standard options Grafana keeps in fieldConfig.defaults (unit, decimals,
// min/max, thresholds) plus the draw style. Fields hookline does not edit are
// kept as they are.

import { formatThresholds, PANEL_KINDS, parseThresholds, type Panel, type PanelQuery } from '../../lib/dashboard-model.ts';
import type { PanelLanguage } from '../../lib/dashboard-vars.ts';
import { UNIT_CHOICES } from '../../lib/units.ts';
import { openDialog } from '../../ui/dialog.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';

const LANGUAGES = [
  { value: 'influxql', label: 'InfluxQL' },
  { value: 'sql', label: 'SQL' },
  { value: 'opentsdb', label: 'OpenTSDB (m=)' },
];

const num = (v: string): number | undefined => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

export function editPanel(original: Panel, buckets: string[], onApply: (p: Panel) => void): void {
  const p: Panel = structuredClone(original);
  const d = p.fieldConfig?.defaults ?? {};
  const title = h('input', { type: 'text', value: p.title ?? '', 'data-testid': 'panel-title-input' });
  const type = selectEl(PANEL_KINDS.map((k) => ({ value: k.type, label: k.label })), p.type, { 'data-testid': 'panel-type' });
  if (!PANEL_KINDS.some((k) => k.type === p.type)) type.append(h('option', { value: p.type }, p.type));
  type.value = p.type;
  const queries: PanelQuery[] = p.queries?.length ? p.queries : [{ language: 'influxql', bucket: buckets[0] ?? '', query: '' }];
  const list = h('div', { class: 'query-list' });
  const bucketList = h('datalist', { id: `buckets-${Math.random().toString(36).slice(2)}` }, ...buckets.map((b) => h('option', { value: b })));

  function renderQueries(): void {
    list.replaceChildren(
      ...queries.map((q, i) => {
        const lang = selectEl(LANGUAGES, q.language, { 'data-testid': 'query-language' });
        const bucket = h('input', { type: 'text', value: q.bucket ?? '', list: bucketList.id, 'data-testid': 'query-bucket' });
        const text = h('textarea', { rows: 4, class: 'mono', spellcheck: 'false', 'data-testid': 'query-text' }, q.query);
        const axis = selectEl([{ value: 'left', label: 'Left axis' }, { value: 'right', label: 'Right axis' }], q.axis ?? 'left');
        lang.addEventListener('change', () => (q.language = lang.value as PanelLanguage));
        bucket.addEventListener('input', () => (q.bucket = bucket.value));
        text.addEventListener('input', () => (q.query = text.value));
        axis.addEventListener('change', () => {
          if (axis.value === 'right') q.axis = 'right';
          else delete q.axis;
        });
        const remove = button('Remove query', () => {
          queries.splice(i, 1);
          renderQueries();
        }, { class: 'small secondary', disabled: queries.length < 2 });
        return h('fieldset', { class: 'query-item' }, h('legend', null, `Query ${String.fromCharCode(65 + i)}`), h('div', { class: 'row' }, field('Language', lang), field('Bucket', bucket), field('Axis', axis)), field('Query', text, 'Variables: $device (any dashboard variable), $timeFilter, $__interval, $__from, $__to.'), remove);
      }),
    );
  }
  renderQueries();
  const addQuery = button('Add query', () => {
    queries.push({ language: queries[0]?.language ?? 'influxql', bucket: queries[0]?.bucket ?? buckets[0] ?? '', query: '' });
    renderQueries();
  }, { class: 'secondary small' });

  const unit = selectEl(UNIT_CHOICES.map((u) => ({ value: u.value, label: u.label })), d.unit ?? '');
  if (d.unit && !UNIT_CHOICES.some((u) => u.value === d.unit)) unit.append(h('option', { value: d.unit }, d.unit));
  unit.value = d.unit ?? '';
  const decimals = h('input', { type: 'number', min: 0, max: 10, value: d.decimals ?? '' });
  const min = h('input', { type: 'number', value: d.min ?? '', step: 'any' });
  const max = h('input', { type: 'number', value: d.max ?? '', step: 'any' });
  const thresholds = h('input', { type: 'text', value: formatThresholds(d.thresholds?.steps), placeholder: '80:orange, 90:red', 'data-testid': 'panel-thresholds' });
  const draw = selectEl([{ value: 'line', label: 'Lines' }, { value: 'points', label: 'Points' }, { value: 'bars', label: 'Bars' }], d.custom?.drawStyle ?? 'line');
  const shownAs = selectEl(
    [
      { value: 'dashed', label: 'Dashed lines' },
      { value: 'line', label: 'Lines' },
      { value: 'area', label: 'Bands' },
      { value: 'line+area', label: 'Lines and bands' },
      { value: 'off', label: 'Off' },
    ],
    String((d.custom?.thresholdsStyle as { mode?: string } | undefined)?.mode ?? 'dashed'),
    { 'data-testid': 'panel-thresholds-style' },
  );
  const prefix = h('input', { type: 'text', value: p.options?.prefix ?? '', placeholder: 'hook-', 'data-testid': 'panel-prefix' });
  const queryBox = h('div', null, list, addQuery);
  const drawBox = h('div', { class: 'row' }, field('Draw as', draw), field('Show thresholds as', shownAs));
  const eventBox = field('Event name starts with', prefix, 'Empty: every event. hook-sent/, hook-error/, alert/ and device event names work.');
  const sync = () => {
    queryBox.hidden = type.value === 'events';
    eventBox.hidden = type.value !== 'events';
    drawBox.hidden = type.value !== 'timeseries';
  };
  type.addEventListener('change', sync);
  sync();

  const apply = button('Apply', () => {
    p.title = title.value.trim() || 'Untitled';
    p.type = type.value;
    if (p.type === 'events') {
      p.options = { ...p.options, prefix: prefix.value };
      delete p.queries;
    } else {
      p.queries = queries.filter((q) => q.query.trim() !== '');
    }
    const defaults = { ...(p.fieldConfig?.defaults ?? {}) };
    const set = (k: string, v: unknown) => {
      if (v === undefined || v === '') delete defaults[k];
      else defaults[k] = v;
    };
    set('unit', unit.value || undefined);
    set('decimals', num(decimals.value));
    set('min', num(min.value));
    set('max', num(max.value));
    const steps = parseThresholds(thresholds.value);
    set('thresholds', steps ? { mode: 'absolute', steps } : undefined);
    if (p.type === 'timeseries') {
      const custom = { ...(defaults.custom ?? {}) } as Record<string, unknown>;
      if (draw.value === 'line') delete custom.drawStyle;
      else custom.drawStyle = draw.value;
      // Grafana's custom.thresholdsStyle; hookline's default (absent) is dashed lines.
      if (shownAs.value === 'dashed') delete custom.thresholdsStyle;
      else custom.thresholdsStyle = { mode: shownAs.value };
      set('custom', Object.keys(custom).length ? custom : undefined);
    }
    if (Object.keys(defaults).length || p.fieldConfig) p.fieldConfig = { ...(p.fieldConfig ?? {}), defaults };
    onApply(p);
    dlg.close();
  }, { class: 'primary', 'data-testid': 'panel-apply' });

  const body = h(
    'div',
    { class: 'panel-editor' },
    bucketList,
    h('div', { class: 'row' }, field('Title', title), field('Visualization', type)),
    queryBox,
    eventBox,
    h('fieldset', null, h('legend', null, 'Standard options'), h('div', { class: 'row' }, field('Unit', unit), field('Decimals', decimals), field('Min', min), field('Max', max)), field('Thresholds', thresholds, 'value:colour pairs above a green base, as Grafana: 80:orange, 90:red'), drawBox),
  );
  const dlg = openDialog(original.title ? `Edit panel: ${original.title}` : 'New panel', body, [apply]);
  title.focus();
}
