// The integration's dead letters (deliveries that failed for good): when,
// which event, why, after how many attempts; each can be replayed, or all at
// once. A replay queues the event again as a new delivery and wakes the host.

import { deadLetters, replayAllDeadLetters, replayDeadLetter, type DeadLetter } from '../../api/integration-ops.ts';
import { formatTime } from '../../lib/format-time.ts';
import { button, h } from '../../ui/dom.ts';
import { loadInto } from '../../ui/page.ts';
import { notify } from '../../ui/status.ts';

export function createDeadLetters(id: string, onReplayed: () => void): { el: HTMLElement; refresh(): Promise<void> } {
  const list = h('div');
  const replayed = async (what: Promise<{ queued: number }>) => {
    try {
      const r = await what;
      notify(`Replaying ${r.queued} deliver${r.queued === 1 ? 'y' : 'ies'}`);
    } catch (e) {
      notify((e as Error).message, 'error');
    }
    await refresh();
    onReplayed();
  };
  const replayAll = button('Replay all', () => void replayed(replayAllDeadLetters(id)), { class: 'secondary small', 'data-testid': 'replay-all', 'aria-label': 'Replay all dead letters' });
  const row = (l: DeadLetter) =>
    h(
      'li',
      { 'data-event-id': l.event.id },
      h('time', { datetime: l.at, title: l.at }, formatTime(l.at)),
      ' ',
      h('code', null, l.event.name),
      ` from ${l.event.coreid} · ${l.attempts} attempt${l.attempts === 1 ? '' : 's'} · ${l.reason} `,
      button('Replay', () => void replayed(replayDeadLetter(id, l.event.id)), { class: 'secondary small', 'aria-label': `Replay dead letter ${l.event.id}` }),
    );
  const refresh = () =>
    loadInto(list, async () => {
      const { deadLetters: letters, total } = await deadLetters(id);
      replayAll.hidden = letters.length === 0;
      if (letters.length === 0) return h('p', { class: 'muted', 'data-testid': 'dead-letters' }, 'No dead letters.');
      return h(
        'div',
        null,
        h('ol', { class: 'dead-letters', 'data-testid': 'dead-letters' }, ...letters.map(row)),
        total > letters.length ? h('p', { class: 'muted' }, `${letters.length} newest of ${total}`) : null,
      );
    });
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'dead-title' },
    h('div', { class: 'row end' }, h('h2', { id: 'dead-title' }, 'Dead letters'), h('div', { class: 'spacer' }), replayAll),
    h('p', { class: 'muted' }, 'Deliveries that failed for good. Replay queues the event again for this integration.'),
    list,
  );
  return { el, refresh };
}
