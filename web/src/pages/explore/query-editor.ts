// The query as it runs, in InfluxQL or SQL, editable. Editing it detaches it
// from the builder until "Back to the builder"; Ctrl/Cmd+Enter runs it.

import type { QueryLanguage } from '../../lib/explore-spec.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';

export interface QueryEditor {
  el: HTMLElement;
  set(text: string, language: QueryLanguage, custom: boolean): void;
}

export function createQueryEditor(opts: {
  influxQlAvailable: boolean;
  onEdit(text: string): void;
  onLanguage(l: QueryLanguage): void;
  onRun(): void;
  onReset(): void;
}): QueryEditor {
  const language = selectEl(
    [
      { value: 'influxql', label: opts.influxQlAvailable ? 'InfluxQL' : 'InfluxQL (not on this server)' },
      { value: 'sql', label: 'SQL' },
    ],
    'sql',
    { 'data-testid': 'language' },
  );
  if (!opts.influxQlAvailable) language.options[0].disabled = true;
  const text = h('textarea', { class: 'mono query-text', rows: 4, spellcheck: 'false', 'data-testid': 'query', autocapitalize: 'off' });
  const note = h('p', { class: 'msg msg-info', hidden: true }, 'Edited by hand: the builder’s choices are not applied until you go back to it.');
  const reset = button('Back to the builder', () => opts.onReset(), { class: 'secondary', hidden: true });
  const run = button('Run query', () => opts.onRun(), { class: 'secondary' });
  language.addEventListener('change', () => opts.onLanguage(language.value as QueryLanguage));
  text.addEventListener('input', () => opts.onEdit(text.value));
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      opts.onRun();
    }
  });
  const el = h(
    'section',
    { class: 'query-editor', 'aria-label': 'Query' },
    h('div', { class: 'row end' }, field('Language', language), h('div', { class: 'spacer' }), run, reset),
    field('Query', text, 'Ctrl+Enter (⌘+Enter) runs it.'),
    note,
  );
  return {
    el,
    set(q, l, custom) {
      if (document.activeElement !== text || !custom) text.value = q;
      language.value = l;
      note.hidden = !custom;
      reset.hidden = !custom;
    },
  };
}
