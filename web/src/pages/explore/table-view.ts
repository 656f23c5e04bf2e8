// The Table view: the server's answer row by row, a page at a time (a
// 100k-row result would otherwise freeze the page building DOM rows).

import type { Table } from '../../lib/result-table.ts';
import { parseTime } from '../../lib/result-series.ts';
import { button, h } from '../../ui/dom.ts';

const PAGE = 100;

export interface TableView {
  el: HTMLElement;
  update(t: Table, epochTime: boolean): void;
}

function cellText(v: unknown, isTime: boolean, epochTime: boolean): string {
  if (v === null || v === undefined) return '';
  if (isTime) {
    const ms = epochTime && typeof v === 'number' ? v : parseTime(v);
    if (ms !== undefined) return new Date(ms).toISOString();
  }
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function createTableView(): TableView {
  const wrap = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Query result table' });
  const info = h('span', { class: 'muted', 'aria-live': 'polite' });
  const prev = button('Previous', () => show(page - 1), { class: 'secondary' });
  const next = button('Next', () => show(page + 1), { class: 'secondary' });
  const el = h('div', { class: 'table-view', 'data-testid': 'table-view' }, wrap, h('div', { class: 'pager' }, prev, info, next));
  let table: Table = { columns: [], rows: [] };
  let epoch = false;
  let page = 0;

  function show(p: number): void {
    const pages = Math.max(1, Math.ceil(table.rows.length / PAGE));
    page = Math.min(Math.max(0, p), pages - 1);
    const ti = table.columns.indexOf('time');
    const rows = table.rows.slice(page * PAGE, page * PAGE + PAGE);
    // A column is aligned one way, header and cells together: numbers to the
    // right, everything else (times too, though InfluxQL sends them as numbers) to the left.
    const numeric = table.columns.map((_, i) => i !== ti && rows.some((r) => typeof r[i] === 'number') && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number'));
    const cls = (i: number) => (i === ti ? 'time' : numeric[i] ? 'num' : null);
    const thead = h('thead', null, h('tr', null, ...table.columns.map((c, i) => h('th', { scope: 'col', class: cls(i) }, c === 'time' ? 'time (UTC)' : c))));
    const tbody = h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((v, i) => h('td', { class: cls(i) }, cellText(v, i === ti, epoch))))));
    wrap.replaceChildren(table.columns.length ? h('table', { class: 'data' }, thead, tbody) : h('p', { class: 'muted' }, 'No rows.'));
    const first = table.rows.length ? page * PAGE + 1 : 0;
    info.textContent = `Rows ${first.toLocaleString()}–${(page * PAGE + rows.length).toLocaleString()} of ${table.rows.length.toLocaleString()}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  return {
    el,
    update(t, epochTime) {
      const samePage = t.columns.join('\0') === table.columns.join('\0');
      table = t;
      epoch = epochTime;
      show(samePage ? page : 0);
    },
  };
}
