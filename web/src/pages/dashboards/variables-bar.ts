// The variables bar: one picker per dashboard variable. A "query" variable's
// choices come from its query (InfluxQL `SHOW TAG VALUES ... WITH KEY = "device"`,
// or SQL `SELECT DISTINCT "device" FROM ...`: the first column), a "custom"
// one from its comma-separated list, a "textbox" is typed
// (grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/).

import { influxQlRaw, sqlRows } from '../../api/query.ts';
import type { Variable } from '../../lib/dashboard-model.ts';
import { interpolate } from '../../lib/dashboard-vars.ts';
import { field, h } from '../../ui/dom.ts';

export async function variableChoices(v: Variable, values: Record<string, string>, defaultBucket: string, range: { fromMs: number; toMs: number }): Promise<string[]> {
  if (v.type === 'custom') {
    const opts = (v as { options?: Array<{ value?: unknown }> }).options;
    if (Array.isArray(opts) && opts.length) return opts.map((o) => String(o.value ?? ''));
    return (v.query ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (v.type === 'textbox' || !v.query) return [];
  const language = v.language ?? 'influxql';
  const q = interpolate(v.query, { language, values, ...range, intervalMs: 60_000 });
  const bucket = v.bucket || defaultBucket;
  const out = new Set<string>();
  if (language === 'sql') {
    for (const row of await sqlRows(bucket, q)) {
      const first = Object.values(row)[0];
      if (first !== null && first !== undefined) out.add(String(first));
    }
  } else {
    const body = await influxQlRaw(bucket, q);
    for (const r of body.results ?? []) {
      if (typeof r.error === 'string') throw new Error(r.error);
      for (const s of (r.series as Array<{ columns?: string[]; values?: unknown[][] }> | undefined) ?? []) {
        const cols = s.columns ?? [];
        // SHOW TAG VALUES answers [key, value]; anything else: its first column that is not time.
        const i = cols.indexOf('value') >= 0 ? cols.indexOf('value') : cols.findIndex((c) => c !== 'time');
        for (const row of s.values ?? []) if (row[i] !== null && row[i] !== undefined) out.add(String(row[i]));
      }
    }
  }
  return [...out].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

export interface VariablesBar {
  el: HTMLElement;
  load(variables: Variable[], values: Record<string, string>, defaultBucket: string, range: { fromMs: number; toMs: number }): Promise<void>;
  /** Each picker with its current value only, until load() brings the choices. */
  placeholders(variables: Variable[], values: Record<string, string>): void;
}

export function createVariablesBar(onChange: (name: string, value: string) => void): VariablesBar {
  const el = h('div', { class: 'dash-vars', 'data-testid': 'dash-vars' });
  return {
    el,
    placeholders(variables, values) {
      el.hidden = variables.length === 0;
      el.replaceChildren(
        ...variables.map((v) => {
          const current = values[v.name] ?? '';
          return field(v.label || v.name, h('select', { 'data-testid': `var-${v.name}`, disabled: true }, h('option', { value: current }, current)));
        }),
      );
    },
    async load(variables, values, defaultBucket, range) {
      el.hidden = variables.length === 0;
      const fields = await Promise.all(
        variables.map(async (v) => {
          let choices: string[] = [];
          let error: string | undefined;
          try {
            choices = await variableChoices(v, values, defaultBucket, range);
          } catch (e) {
            error = (e as Error).message;
          }
          const current = values[v.name] ?? v.current ?? '';
          let control: HTMLInputElement | HTMLSelectElement;
          if (v.type === 'textbox' || (choices.length === 0 && !error)) {
            control = h('input', { type: 'text', value: current, 'data-testid': `var-${v.name}` });
            control.addEventListener('change', () => onChange(v.name, control.value));
          } else {
            if (current && !choices.includes(current)) choices.unshift(current);
            control = h('select', { 'data-testid': `var-${v.name}` }, ...choices.map((c) => h('option', { value: c }, c)));
            control.value = current || choices[0] || '';
            control.addEventListener('change', () => onChange(v.name, control.value));
            if (!current && choices[0]) values[v.name] = choices[0];
          }
          return field(v.label || v.name, control, error ? `Could not list the values: ${error}` : undefined);
        }),
      );
      el.replaceChildren(...fields);
    },
  };
}
