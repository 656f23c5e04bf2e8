// A live list of Particle events, newest first, bounded so a busy stream
// cannot grow the page without limit. Pausing keeps the stream open and
// stops the list moving (reading a payload while events pour in).

import type { ParticleEvent } from '../../lib/sse-parse.ts';
import { button, h } from '../../ui/dom.ts';

const MAX = 200;

export interface EventList {
  el: HTMLElement;
  add(e: ParticleEvent): void;
  clear(): void;
  /** Only events whose name starts with this are kept: those on screen now and those to come. */
  setPrefix(prefix: string): void;
  count(): number;
}

export function createEventList(deviceName: (id: string) => string): EventList {
  const items = h('ol', { class: 'events', 'data-testid': 'event-list', role: 'log', 'aria-live': 'off', 'aria-label': 'Events, newest first' });
  let paused = false;
  let held: ParticleEvent[] = [];
  let total = 0;
  let prefix = '';
  // History and the live stream overlap by a moment when the page opens.
  const seen = new Set<string>();
  const counter = h('span', { class: 'muted', 'data-testid': 'event-count' }, '0 events');
  const pause = button('Pause', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      for (const e of held) render(e);
      held = [];
    }
  }, { class: 'secondary small', 'aria-pressed': 'false' });
  const clearBtn = button('Clear', () => list.clear(), { class: 'secondary small' });

  function render(e: ParticleEvent): void {
    const when = new Date(e.published_at);
    const device = e.coreid === 'api' || e.coreid === 'particle-internal' ? e.coreid : deviceName(e.coreid);
    const li = h(
      'li',
      { 'data-event': e.name, 'data-coreid': e.coreid },
      h('time', { datetime: e.published_at, title: when.toLocaleString() }, Number.isFinite(when.getTime()) ? when.toLocaleTimeString() : e.published_at),
      h('strong', { class: 'ev-name' }, e.name),
      h('span', { class: 'ev-device', title: e.coreid }, device),
      h('code', { class: 'ev-data' }, e.data ?? ''),
    );
    items.prepend(li);
    while (items.childElementCount > MAX) items.lastElementChild?.remove();
  }

  const list: EventList = {
    el: h('div', { class: 'event-list' }, h('div', { class: 'row end' }, counter, h('div', { class: 'spacer' }), pause, clearBtn), items),
    add(e) {
      if (!e.name.startsWith(prefix)) return;
      const key = `${e.published_at}\0${e.coreid}\0${e.name}\0${e.data ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (seen.size > 4 * MAX) seen.delete(seen.values().next().value!);
      total++;
      counter.textContent = `${total.toLocaleString()} event${total === 1 ? '' : 's'}`;
      if (paused) held.push(e);
      else render(e);
    },
    clear() {
      items.replaceChildren();
      held = [];
      total = 0;
      seen.clear();
      counter.textContent = '0 events';
    },
    setPrefix(p) {
      prefix = p;
      // Particle's prefix filter is case-sensitive "starts with"; older events
      // already on screen are held to the same rule as new ones.
      for (const li of [...items.children] as HTMLElement[]) if (!(li.dataset.event ?? '').startsWith(p)) li.remove();
      held = held.filter((e) => e.name.startsWith(p));
      total = items.childElementCount + held.length;
      counter.textContent = `${total.toLocaleString()} event${total === 1 ? '' : 's'}`;
    },
    count: () => total,
  };
  return list;
}
