// The live event stream card: recent history first, then events as they
// arrive, narrowed by an event-name prefix (case-sensitive "starts with", as
// Particle's streams filter). All devices, or one device's own stream.

import { openEventStream, type EventStream, type StreamStatus } from '../../api/event-stream.ts';
import { recentEvents } from '../../api/particle.ts';
import type { ParticleEvent } from '../../lib/sse-parse.ts';
import { field, h, uid } from '../../ui/dom.ts';
import { createEventList } from './event-list.ts';

function streamStatusText(s: StreamStatus): string {
  switch (s.state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Live';
    case 'retrying':
      return `Disconnected (${s.reason}); retrying in ${Math.round(s.inMs / 1000)} s`;
    case 'failed':
      return `Stream unavailable: ${s.reason}`;
    case 'closed':
      return 'Stopped';
  }
}

export interface LiveEvents {
  el: HTMLElement;
  destroy(): void;
}

export function createLiveEvents(opts: {
  deviceId?: string;
  title: string;
  deviceName(id: string): string;
  onEvent(e: ParticleEvent): void;
  /** Wait for this (the device names) before the first events, so they show names rather than IDs. */
  ready?: Promise<unknown>;
}): LiveEvents {
  const statusEl = h('span', { class: 'stream-status', 'data-testid': 'stream-status', 'aria-live': 'polite' });
  const events = createEventList(opts.deviceName);
  const hintId = uid('prefix-hint');
  const prefix = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'all events', 'aria-describedby': hintId });
  let stream: EventStream | undefined;
  let destroyed = false;
  let generation = 0;

  const connect = (p: string) => {
    if (destroyed) return;
    stream?.close();
    const base = opts.deviceId ? `/v1/devices/${encodeURIComponent(opts.deviceId)}/events` : '/v1/devices/events';
    stream = openEventStream(
      p ? `${base}/${encodeURIComponent(p)}` : base,
      (ev) => {
        events.add(ev);
        opts.onEvent(ev);
      },
      (s) => {
        statusEl.textContent = streamStatusText(s);
        statusEl.dataset.state = s.state;
      },
    );
  };

  /** Recent history (oldest first, so the newest ends on top), then live; both under the current prefix. */
  const start = () => {
    const gen = ++generation;
    const p = prefix.value.trim();
    stream?.close();
    // Start over under the new prefix: what is on screen and does not match goes,
    // and the history is read again (a wider prefix brings back what now matches).
    events.clear();
    events.setPrefix(p);
    void Promise.resolve(opts.ready)
      .catch(() => undefined)
      .then(() => recentEvents(opts.deviceId))
      .then((past) => {
        if (gen !== generation) return;
        for (const e of past.slice().reverse()) events.add({ ...e });
      })
      .catch(() => undefined)
      .finally(() => {
        if (gen === generation) connect(p);
      });
  };
  prefix.addEventListener('change', start);

  const el = h(
    'section',
    { class: 'card stream', 'aria-label': opts.title },
    h('div', { class: 'row end' }, h('h2', null, opts.title), h('div', { class: 'spacer' }), statusEl),
    field('Event name prefix', prefix),
    h('p', { class: 'hint', id: hintId }, 'Only events whose name starts with this (case-sensitive), as Particle streams filter.'),
    events.el,
  );
  start();
  return {
    el,
    destroy() {
      destroyed = true;
      stream?.close();
    },
  };
}
