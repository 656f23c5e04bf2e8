// Create a check, with a preview that runs its query now and shows the level
// each series would be at.

import { createCheck, previewCheck } from '../../api/checks.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';
import { dataTable } from '../../ui/page.ts';
import { notify } from '../../ui/status.ts';
import { levelBadge, tagText } from './level-badge.ts';

export function checkForm(onCreated: () => void): HTMLElement {
  const name = h('input', { type: 'text', value: 'too-hot', spellcheck: 'false', class: 'mono', 'data-testid': 'check-name' });
  const type = selectEl([{ value: 'threshold', label: 'Threshold (a query against levels)' }, { value: 'deadman', label: 'Deadman (a series went silent)' }], 'threshold', { 'data-testid': 'check-type' });
  const bucket = h('input', { type: 'text', value: 'hookline', spellcheck: 'false', class: 'mono', 'data-testid': 'check-bucket' });
  const every = h('input', { type: 'text', value: '10s', class: 'mono' });
  const language = selectEl([{ value: 'influxql', label: 'InfluxQL' }, { value: 'sql', label: 'SQL' }], 'influxql');
  const query = h('textarea', { class: 'mono', rows: 3, spellcheck: 'false', 'data-testid': 'check-query' });
  query.value = 'SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY "device"';
  const crit = h('input', { type: 'text', value: '> 30', class: 'mono', 'data-testid': 'check-crit' });
  const warn = h('input', { type: 'text', value: '> 25', class: 'mono' });
  const info = h('input', { type: 'text', value: '', class: 'mono' });
  const measurement = h('input', { type: 'text', value: 'data', class: 'mono' });
  const groupBy = h('input', { type: 'text', value: 'device', class: 'mono' });
  const staleAfter = h('input', { type: 'text', value: '10m', class: 'mono' });
  const level = selectEl(['crit', 'warn', 'info'].map((l) => ({ value: l, label: l })), 'crit');
  const message = h('input', { type: 'text', value: '', class: 'mono', placeholder: '{{check}} is {{level}} on {{device}} (value {{value}})' });
  const threshold = h('div', null, h('div', { class: 'row' }, field('Language', language), field('Every', every)), field('Query', query, 'Each series it returns (GROUP BY tags, or SQL string columns) is judged on its last value.'), h('div', { class: 'row' }, field('crit when', crit), field('warn when', warn), field('info when', info)));
  const deadman = h('div', { hidden: true }, h('div', { class: 'row' }, field('Measurement', measurement, 'Empty: any measurement.'), field('Group by tags', groupBy, 'Comma-separated.')), h('div', { class: 'row' }, field('Silent for', staleAfter), field('Level', level)));
  type.addEventListener('change', () => {
    threshold.hidden = type.value !== 'threshold';
    deadman.hidden = type.value !== 'deadman';
  });
  const preview = h('div', { 'data-testid': 'check-preview', 'aria-live': 'polite' });
  const body = () => {
    const b: Record<string, unknown> = { name: name.value.trim(), type: type.value, bucket: bucket.value.trim(), every: every.value.trim() };
    if (message.value.trim()) b.message = message.value;
    if (type.value === 'threshold') {
      b.language = language.value;
      b.query = query.value;
      const levels: Record<string, string> = {};
      for (const [k, el] of [['crit', crit], ['warn', warn], ['info', info]] as const) if (el.value.trim()) levels[k] = el.value.trim();
      b.levels = levels;
    } else {
      if (measurement.value.trim()) b.measurement = measurement.value.trim();
      b.groupBy = groupBy.value.split(',').map((s) => s.trim()).filter(Boolean);
      b.staleAfter = staleAfter.value.trim();
      b.level = level.value;
    }
    return b;
  };
  const runPreview = async () => {
    try {
      const r = await previewCheck(body());
      preview.replaceChildren(dataTable('Preview', ['Series', 'Value', 'Level'], r.series.map((x) => [tagText(x.tags), x.value === null ? '' : String(x.value), levelBadge(x.level)]), 'The query returned no series.', 'preview-table'));
    } catch (e) {
      preview.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert' }, (e as Error).message));
    }
  };
  const create = async () => {
    try {
      const c = await createCheck(body());
      notify(`Check ${c.name} created`);
      onCreated();
    } catch (e) {
      notify((e as Error).message, 'error');
    }
  };
  return h(
    'details',
    { class: 'check-form' },
    h('summary', null, 'New check'),
    h('div', { class: 'row' }, field('Name', name, 'Its alerts are events alert/<name>.'), field('Type', type), field('Bucket', bucket)),
    threshold,
    deadman,
    field('Message (optional)', message, 'Mustache: {{check}}, {{level}}, {{value}} and tags by name.'),
    h('p', null, button('Preview', () => void runPreview(), { class: 'secondary', 'data-testid': 'check-preview-button' }), ' ', button('Create check', () => void create(), { class: 'primary', 'data-testid': 'check-create' })),
    preview,
  );
}
