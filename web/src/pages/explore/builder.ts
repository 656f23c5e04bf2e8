// The query builder: bucket -> measurement -> fields, tag filters (values
// suggested from the schema), group by tags, aggregate and window. It edits an
// ExploreSpec and reports each change; it never runs queries itself.

import type { Bucket } from '../../api/influx.ts';
import type { MeasurementSchema } from '../../api/schema.ts';
import { AGGREGATES, type Aggregate, type ExploreSpec, type TagFilter } from '../../lib/explore-spec.ts';
import { formatDuration } from '../../lib/interval.ts';
import { button, field, h, selectEl, uid } from '../../ui/dom.ts';

const WINDOWS = [1000, 5000, 10000, 30000, 60000, 300000, 900000, 3600000, 21600000, 86400000];

export interface BuilderData {
  buckets: Bucket[];
  /** undefined: the server cannot list them; the name is typed. */
  measurements?: string[];
  schema?: MeasurementSchema;
  schemaError?: string;
  /** The window "auto" currently means, shown beside it. */
  autoWindowMs?: number;
}

export interface Builder {
  el: HTMLElement;
  render(spec: ExploreSpec, data: BuilderData): void;
}

export function createBuilder(opts: {
  onChange(spec: ExploreSpec, what: 'bucket' | 'measurement' | 'other'): void;
  loadTagValues(key: string): Promise<string[]>;
}): Builder {
  const el = h('form', { class: 'builder', 'aria-label': 'Query builder' });
  el.addEventListener('submit', (e) => e.preventDefault());
  const tagValueCache = new Map<string, Promise<string[]>>();
  let current: ExploreSpec;

  const emit = (next: ExploreSpec, what: 'bucket' | 'measurement' | 'other' = 'other') => opts.onChange(next, what);

  function tagValueList(key: string, listId: string): HTMLDataListElement {
    const list = h('datalist', { id: listId });
    if (key) {
      let p = tagValueCache.get(key);
      if (!p) {
        p = opts.loadTagValues(key).catch(() => []);
        tagValueCache.set(key, p);
      }
      void p.then((values) => list.replaceChildren(...values.slice(0, 500).map((v) => h('option', { value: v }))));
    }
    return list;
  }

  function filterRow(f: TagFilter, i: number, tagKeys: string[]): HTMLElement {
    const key = selectEl([{ value: '', label: 'tag…' }, ...tagKeys.map((k) => ({ value: k, label: k }))], f.key, { 'aria-label': `Filter ${i + 1} tag`, 'data-key': `filter:${i}:key` });
    const op = selectEl(
      [
        { value: '=', label: '=' },
        { value: '!=', label: '≠' },
      ],
      f.op,
      { 'aria-label': `Filter ${i + 1} operator`, 'data-key': `filter:${i}:op` },
    );
    const listId = uid('tv');
    const value = h('input', { type: 'text', value: f.value, list: listId, 'aria-label': `Filter ${i + 1} value`, autocomplete: 'off', spellcheck: 'false', 'data-key': `filter:${i}:value` });
    const update = (patch: Partial<TagFilter>) => {
      const filters = current.filters.slice();
      filters[i] = { ...filters[i], ...patch };
      emit({ ...current, filters });
    };
    key.addEventListener('change', () => update({ key: key.value, value: '' }));
    op.addEventListener('change', () => update({ op: op.value as '=' | '!=' }));
    value.addEventListener('change', () => update({ value: value.value }));
    const remove = button('Remove', () => emit({ ...current, filters: current.filters.filter((_, j) => j !== i) }), { class: 'icon secondary', 'aria-label': `Remove filter ${i + 1}` });
    return h('div', { class: 'filter-row' }, key, op, value, tagValueList(f.key, listId), remove);
  }

  return {
    el,
    render(spec, data) {
      if (current && (current.bucket !== spec.bucket || current.measurement !== spec.measurement)) tagValueCache.clear();
      current = spec;
      const focusedId = document.activeElement && el.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.key : undefined;

      const bucket = selectEl(
        data.buckets.map((b) => ({ value: b.name, label: b.name })),
        spec.bucket,
        { 'data-key': 'bucket' },
      );
      bucket.addEventListener('change', () => emit({ ...spec, bucket: bucket.value, measurement: '', fields: [], filters: [], groupBy: [] }, 'bucket'));

      const mListId = uid('ml');
      const measurement = h('input', {
        type: 'text',
        value: spec.measurement,
        list: mListId,
        autocomplete: 'off',
        spellcheck: 'false',
        'data-key': 'measurement',
        placeholder: data.measurements ? 'choose…' : 'type its name, e.g. data',
      });
      const mList = h('datalist', { id: mListId }, ...(data.measurements ?? []).map((m) => h('option', { value: m })));
      measurement.addEventListener('change', () => emit({ ...spec, measurement: measurement.value.trim(), fields: [], filters: [], groupBy: [] }, 'measurement'));

      const fieldsBox = h('fieldset', { class: 'checks' }, h('legend', null, 'Fields'));
      const schema = data.schema;
      if (!spec.measurement) fieldsBox.append(h('p', { class: 'muted' }, 'Choose a measurement first.'));
      else if (data.schemaError) fieldsBox.append(h('p', { class: 'msg msg-error' }, data.schemaError));
      else if (!schema) fieldsBox.append(h('p', { class: 'muted' }, 'Loading…'));
      else if (schema.fields.length === 0) fieldsBox.append(h('p', { class: 'muted' }, 'No fields (no data in this measurement yet).'));
      else {
        for (const f of schema.fields) {
          const id = uid('fld');
          const box = h('input', { type: 'checkbox', id, checked: spec.fields.includes(f.name), 'data-key': `field:${f.name}` });
          box.addEventListener('change', () => emit({ ...spec, fields: box.checked ? [...spec.fields, f.name] : spec.fields.filter((x) => x !== f.name) }));
          fieldsBox.append(h('div', { class: 'check' }, box, h('label', { for: id }, f.name, f.type ? h('span', { class: 'muted' }, ` ${f.type}`) : null)));
        }
      }

      const tagKeys = schema?.tagKeys ?? [];
      const filtersBox = h('fieldset', { class: 'filters' }, h('legend', null, 'Filter by tag'));
      spec.filters.forEach((f, i) => filtersBox.append(filterRow(f, i, tagKeys)));
      filtersBox.append(
        button('Add filter', () => emit({ ...spec, filters: [...spec.filters, { key: tagKeys[0] ?? '', op: '=', value: '' }] }), {
          class: 'secondary small',
          disabled: tagKeys.length === 0,
          'data-key': 'add-filter',
        }),
      );

      const groupBox = h('fieldset', { class: 'checks' }, h('legend', null, 'One series per'));
      if (tagKeys.length === 0) groupBox.append(h('p', { class: 'muted' }, 'No tags.'));
      for (const k of tagKeys) {
        const id = uid('grp');
        const box = h('input', { type: 'checkbox', id, checked: spec.groupBy.includes(k), 'data-key': `group:${k}` });
        box.addEventListener('change', () => emit({ ...spec, groupBy: box.checked ? [...spec.groupBy, k] : spec.groupBy.filter((x) => x !== k) }));
        groupBox.append(h('div', { class: 'check' }, box, h('label', { for: id }, k)));
      }

      const aggregate = selectEl(
        AGGREGATES.map((a) => ({ value: a, label: a === 'none' ? 'none (raw)' : a })),
        spec.aggregate,
        { 'data-key': 'aggregate' },
      );
      aggregate.addEventListener('change', () => emit({ ...spec, aggregate: aggregate.value as Aggregate }));
      const autoLabel = data.autoWindowMs ? `auto (${formatDuration(data.autoWindowMs)})` : 'auto';
      const windowSel = selectEl(
        [{ value: 'auto', label: autoLabel }, ...WINDOWS.map((ms) => ({ value: String(ms), label: formatDuration(ms) }))],
        spec.window === 'auto' ? 'auto' : String(spec.window),
        { 'data-key': 'window', disabled: spec.aggregate === 'none' },
      );
      if (spec.window !== 'auto' && !WINDOWS.includes(spec.window)) windowSel.append(h('option', { value: String(spec.window) }, formatDuration(spec.window)));
      windowSel.value = spec.window === 'auto' ? 'auto' : String(spec.window);
      windowSel.addEventListener('change', () => emit({ ...spec, window: windowSel.value === 'auto' ? 'auto' : Number(windowSel.value) }));

      el.replaceChildren(
        field('Bucket', bucket),
        field('Measurement', measurement, data.measurements ? undefined : 'This server cannot list measurements yet (no InfluxQL); type the name.'),
        mList,
        fieldsBox,
        filtersBox,
        groupBox,
        h('div', { class: 'row2' }, field('Aggregate', aggregate), field('Window', windowSel, 'auto follows the time range, about one point per pixel')),
      );
      if (focusedId) el.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedId)}"]`)?.focus();
    },
  };
}
