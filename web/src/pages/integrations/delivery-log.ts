// Every delivery attempt of an integration: when, which event, outcome,
// status, latency, attempt; each opens to the request sent (secrets masked)
// and the response. Particle keeps the last 10 of each; hookline keeps 100,
// shown 20 at a time, filterable by outcome. Entries left open stay open when
// the log refreshes. A run of skipped deliveries (the host sleeping) is one
// line, not one per delivery; the state line above says why.

import { counters, deliveryLog, type DayCounts, type DeliveryLogEntry } from '../../api/integration-ops.ts';
import { formatTime, formatTimesIn } from '../../lib/format-time.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';
import { dataTable, loadInto } from '../../ui/page.ts';
import { httpBlock, requestText, responseText } from './http-view.ts';

const PAGE = 20;

const keyOf = (d: DeliveryLogEntry) => `${d.at}\0${d.eventId}\0${d.attempt}`;

function row(d: DeliveryLogEntry, open: boolean): HTMLElement {
  const status = d.response?.status;
  const summary = h(
    'summary',
    null,
    h('time', { datetime: d.at, title: d.at }, formatTime(d.at)),
    ' ',
    h('span', { class: `badge ${d.outcome === 'success' ? 'ok' : d.outcome === 'skipped' ? 'off' : 'err'}` }, d.outcome),
    ' ',
    h('code', null, d.eventName),
    ` from ${d.coreid}`,
    status !== undefined ? ` · HTTP ${status}` : '',
    typeof d.latencyMs === 'number' ? ` · ${Math.round(d.latencyMs)} ms` : '',
    d.attempt > 1 ? ` · attempt ${d.attempt}` : '',
    d.error ? ` · ${d.error}` : '',
    d.retryAt ? ` · retry at ${formatTime(d.retryAt)}` : d.next ? ` · ${formatTimesIn(d.next)}` : '',
  );
  const details = h(
    'details',
    { 'data-key': keyOf(d), open },
    summary,
    ...(d.request ? [httpBlock('Request', requestText(d.request), 'log-request')] : []),
    ...(d.response ? [httpBlock('Response', responseText(d.response), 'log-response')] : []),
  );
  return h('li', { 'data-outcome': d.outcome }, details);
}

/** Consecutive skipped entries folded into one line: newest and oldest time, how many. */
function skippedRun(run: DeliveryLogEntry[]): HTMLElement {
  const newest = run[0];
  const oldest = run[run.length - 1];
  return h(
    'li',
    { 'data-outcome': 'skipped', class: 'skipped-run' },
    h('time', { datetime: newest.at, title: newest.at }, formatTime(newest.at)),
    ' ',
    h('span', { class: 'badge off' }, 'skipped'),
    run.length === 1 ? ` ${newest.eventName}: ${newest.error ?? 'host sleeping'}` : ` ${run.length} deliveries since ${formatTime(oldest.at)}: ${newest.error ?? 'host sleeping'}`,
  );
}

function rows(entries: DeliveryLogEntry[], open: Set<string>): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let i = 0; i < entries.length; ) {
    if (entries[i].outcome !== 'skipped') {
      out.push(row(entries[i], open.has(keyOf(entries[i]))));
      i++;
      continue;
    }
    let j = i;
    while (j < entries.length && entries[j].outcome === 'skipped') j++;
    out.push(skippedRun(entries.slice(i, j)));
    i = j;
  }
  return out;
}

function countsTable(days: DayCounts[]): HTMLElement {
  return dataTable(
    'Deliveries per day (UTC)',
    ['Day (UTC)', 'Success', 'Error', 'Skipped'],
    days.slice(0, 7).map((d) => [d.date, String(d.success), String(d.error), String(d.skipped)]),
    'No deliveries yet.',
    'counters',
  );
}

export function createDeliveryLog(id: string): { el: HTMLElement; refresh(): Promise<void> } {
  const stats = h('div');
  const list = h('div');
  let shown = PAGE;
  const outcome = selectEl(
    [
      { value: '', label: 'All' },
      { value: 'success', label: 'Success' },
      { value: 'error', label: 'Error' },
      { value: 'skipped', label: 'Skipped' },
    ],
    '',
  );
  const refresh = async () => {
    const open = new Set([...list.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.key!));
    const hadFocus = list.contains(document.activeElement) ? (document.activeElement?.closest('details') as HTMLElement | null)?.dataset.key : undefined;
    await Promise.all([
      loadInto(stats, async () => countsTable(await counters(id))),
      loadInto(list, async () => {
        const all = (await deliveryLog(id, 300)).filter((e) => !outcome.value || e.outcome === outcome.value);
        if (all.length === 0) return h('p', { class: 'muted' }, outcome.value ? `No ${outcome.value} deliveries logged.` : 'The log is empty.');
        const more = all.length > shown ? button(`Show ${Math.min(PAGE, all.length - shown)} more`, () => ((shown += PAGE), void refresh()), { class: 'secondary small' }) : null;
        return h(
          'div',
          null,
          h('ol', { class: 'deliveries', 'data-testid': 'delivery-log' }, ...rows(all.slice(0, shown), open)),
          h('p', { class: 'muted' }, `${Math.min(shown, all.length)} of ${all.length} logged`, more ? ' ' : '', more),
        );
      }),
    ]);
    if (hadFocus) list.querySelector<HTMLElement>(`details[data-key="${CSS.escape(hadFocus)}"] summary`)?.focus();
  };
  outcome.addEventListener('change', () => {
    shown = PAGE;
    void refresh();
  });
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'log-title' },
    h('div', { class: 'row end' }, h('h2', { id: 'log-title' }, 'Deliveries'), h('div', { class: 'spacer' }), button('Refresh', () => void refresh(), { class: 'secondary small' })),
    stats,
    h('div', { class: 'row end' }, h('h3', null, 'Log (newest first)'), h('div', { class: 'spacer' }), field('Outcome', outcome)),
    list,
  );
  return { el, refresh };
}
