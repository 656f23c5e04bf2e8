// Shared page pieces: the page frame with a heading, loading/error states,
// and a data table with a caption.

import { h } from './dom.ts';
import { messageBox } from './status.ts';

export function pageFrame(title: string, intro: string | null, ...content: HTMLElement[]): HTMLElement {
  return h('section', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', null, title)), intro ? h('p', { class: 'intro' }, intro) : null, ...content);
}

/** Runs `load` and puts what it renders (or the error) into `box`. */
export async function loadInto(box: HTMLElement, load: () => Promise<HTMLElement>): Promise<void> {
  box.setAttribute('aria-busy', 'true');
  try {
    box.replaceChildren(await load());
  } catch (e) {
    const status = (e as { status?: number }).status;
    box.replaceChildren(messageBox(status === 404 ? 'This server does not offer this API yet.' : `Could not load: ${(e as Error).message}`, 'error'));
  } finally {
    box.removeAttribute('aria-busy');
  }
}

export function dataTable(caption: string, headers: string[], rows: Array<Array<Node | string>>, empty: string, testid?: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted empty-state', 'data-testid': testid ?? null }, empty);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      // "stack": on a phone each row becomes a block of labelled lines (CSS reads
      // data-label), so a wide table is not cut off at the screen's right edge.
      { class: 'data stack', 'data-testid': testid ?? null },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c, i) => h('td', { 'data-label': headers[i] || null }, c))))),
    ),
  );
}
