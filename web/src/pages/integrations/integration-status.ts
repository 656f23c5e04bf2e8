// The integration's state in one line (healthy / failing since T with cause X,
// N attempts / host sleeping until T), a warning when it points at this hub by
// a scheme or port the hub does not serve, its failures grouped by cause, and
// "Retry now", which wakes the sleeping host and sends the waiting
// deliveries at once.

import { integrationStatus, retryNow, type IntegrationStatus } from '../../api/integration-ops.ts';
import { formatTime } from '../../lib/format-time.ts';
import { button, h } from '../../ui/dom.ts';
import { dataTable, loadInto } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';

const t = (iso: string | null) => (iso ? h('time', { datetime: iso, title: iso }, formatTime(iso)) : '');

function stateLine(s: IntegrationStatus): HTMLElement {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: Array<Node | string> = [];
  if (s.state === 'healthy') parts.push('Healthy', s.lastSuccess ? ': last delivered ' : ': nothing delivered yet', t(s.lastSuccess));
  else if (s.state === 'failing') parts.push('Failing since ', t(s.since), ' with ', h('code', null, s.cause ?? '?'), `, ${plural(s.attempts, 'attempt')}`);
  else {
    parts.push(`Host ${s.host ?? '?'} sleeping`, s.sleepingUntil && Date.parse(s.sleepingUntil) > Date.now() ? ' until ' : ' (one probe request may go now)', s.sleepingUntil && Date.parse(s.sleepingUntil) > Date.now() ? t(s.sleepingUntil) : '', ' after too many errors');
    if (s.skipped) parts.push(`; ${s.skipped} ${s.skipped === 1 ? 'delivery' : 'deliveries'} skipped`);
    if (s.since) parts.push('; failing since ', t(s.since), ' with ', h('code', null, s.cause ?? '?'), `, ${plural(s.attempts, 'attempt')}`);
  }
  if (s.waiting) parts.push(` · ${s.waiting} waiting for a retry`);
  if (s.deadLetters) parts.push(` · ${plural(s.deadLetters, 'dead letter')}`);
  const badge = h('span', { class: `badge ${s.state === 'healthy' ? 'ok' : s.state === 'sleeping' ? 'off' : 'err'}` }, s.state);
  return h('p', { class: `state-line state-${s.state}`, 'data-testid': 'integration-state', 'data-state': s.state }, badge, ' ', ...parts);
}

function causesTable(s: IntegrationStatus): HTMLElement {
  return dataTable(
    'Failures by cause',
    ['Cause', 'Count', 'First', 'Last'],
    s.failures.map((f) => [h('code', null, f.cause), String(f.count), t(f.first), t(f.last)]),
    'No failures in the last 30 days.',
    'failure-causes',
  );
}

export function createStatusPanel(id: string, onRetried: () => void): { el: HTMLElement; refresh(): Promise<void> } {
  const body = h('div');
  const retry = button(
    'Retry now',
    async () => {
      retry.disabled = true;
      try {
        const r = await retryNow(id);
        notify(r.retried > 0 ? `Retrying ${r.retried} waiting deliver${r.retried === 1 ? 'y' : 'ies'} now` : r.woken ? `Host ${r.host} woken` : 'Nothing was waiting');
        await refresh();
        onRetried();
      } catch (e) {
        notify((e as Error).message, 'error');
      } finally {
        retry.disabled = false;
      }
    },
    { class: 'secondary small', 'data-testid': 'retry-now', title: 'Wake the sleeping host and send the deliveries waiting for a retry now' },
  );
  const refresh = () =>
    loadInto(body, async () => {
      const s = await integrationStatus(id);
      retry.hidden = s.state === 'healthy' && !s.waiting;
      return h(
        'div',
        null,
        stateLine(s),
        s.warning ? h('div', { 'data-testid': 'self-target-warning' }, messageBox(`Warning: ${s.warning}`, 'error')) : null,
        s.failures.length ? h('details', { class: 'causes', open: s.state !== 'healthy' }, h('summary', null, `Failures by cause (${s.failures.reduce((n, f) => n + f.count, 0)})`), causesTable(s)) : null,
      );
    });
  const el = h('section', { class: 'card integration-status', 'aria-labelledby': 'status-title' }, h('div', { class: 'row end' }, h('h2', { id: 'status-title' }, 'State'), h('div', { class: 'spacer' }), retry), body);
  return { el, refresh };
}
