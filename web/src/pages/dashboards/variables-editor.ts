// Editing a dashboard's variables: name (used as $name), kind, and for a
// query variable its language, bucket and query (InfluxQL SHOW TAG VALUES or
// SQL SELECT DISTINCT), for a custom one its comma-separated values.

import type { Variable } from '../../lib/dashboard-model.ts';
import type { PanelLanguage } from '../../lib/dashboard-vars.ts';
import { openDialog } from '../../ui/dialog.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function editVariables(original: Variable[], defaultBucket: string, onApply: (vars: Variable[]) => void): void {
  const vars: Variable[] = structuredClone(original);
  const list = h('div', { class: 'var-list' });
  const error = h('p', { class: 'msg msg-error', role: 'alert', hidden: true });

  function render(): void {
    list.replaceChildren(
      ...vars.map((v, i) => {
        const name = h('input', { type: 'text', value: v.name, 'data-testid': 'var-name' });
        const type = selectEl([{ value: 'query', label: 'Query' }, { value: 'custom', label: 'Custom list' }, { value: 'textbox', label: 'Text box' }], v.type ?? 'query', { 'data-testid': 'var-type' });
        const lang = selectEl([{ value: 'influxql', label: 'InfluxQL' }, { value: 'sql', label: 'SQL' }], v.language ?? 'influxql', { 'data-testid': 'var-language' });
        const bucket = h('input', { type: 'text', value: v.bucket ?? defaultBucket, 'data-testid': 'var-bucket' });
        const query = h('textarea', { rows: 2, class: 'mono', spellcheck: 'false', 'data-testid': 'var-query', placeholder: 'SHOW TAG VALUES FROM "data" WITH KEY = "device"' }, v.query ?? '');
        name.addEventListener('input', () => (v.name = name.value.trim()));
        type.addEventListener('change', () => {
          v.type = type.value as Variable['type'];
          render();
        });
        lang.addEventListener('change', () => (v.language = lang.value as PanelLanguage));
        bucket.addEventListener('input', () => (v.bucket = bucket.value));
        query.addEventListener('input', () => (v.query = query.value));
        const remove = button('Remove', () => {
          vars.splice(i, 1);
          render();
        }, { class: 'small secondary' });
        const isQuery = (v.type ?? 'query') === 'query';
        return h(
          'fieldset',
          null,
          h('legend', null, `$${v.name || '…'}`),
          h('div', { class: 'row' }, field('Name', name), field('Kind', type), isQuery ? field('Language', lang) : null, isQuery ? field('Bucket', bucket) : null),
          v.type === 'textbox' ? null : field(isQuery ? 'Query' : 'Values', query, isQuery ? 'Its answer\'s values (SHOW TAG VALUES, or the first column of SQL rows) are the choices.' : 'Comma-separated: d1, d2, d3'),
          remove,
        );
      }),
    );
  }
  render();
  const add = button('Add variable', () => {
    vars.push({ name: vars.some((v) => v.name === 'device') ? `var${vars.length + 1}` : 'device', type: 'query', language: 'influxql', bucket: defaultBucket, query: '' });
    render();
  }, { class: 'secondary small', 'data-testid': 'var-add' });
  const apply = button('Apply', () => {
    const names = new Set<string>();
    for (const v of vars) {
      if (!NAME.test(v.name) || names.has(v.name)) {
        error.hidden = false;
        error.textContent = `"${v.name}": a variable needs a unique name of letters, digits and _.`;
        return;
      }
      names.add(v.name);
      if (v.type !== 'query') {
        delete v.language;
        delete v.bucket;
      }
    }
    onApply(vars);
    dlg.close();
  }, { class: 'primary', 'data-testid': 'var-apply' });
  const dlg = openDialog('Variables', h('div', { class: 'panel-editor' }, h('p', null, 'Use a variable in any panel query as $name. ?var-name=value in the address picks its value.'), list, add, error), [apply]);
}
