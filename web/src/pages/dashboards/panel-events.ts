// The event list panel: device events and hookline's own (hook-sent/,
// hook-error/, alert/...), filtered by a name prefix (case-sensitive "starts
// with", as Particle's streams filter). History from /api/hookline/events; in
// live mode the Particle event stream adds events as they are published.

import { openEventStream, type EventStream } from '../../api/event-stream.ts';
import { recentEvents } from '../../api/particle.ts';
import type { Panel } from '../../lib/dashboard-model.ts';
import { h } from '../../ui/dom.ts';
import { createEventList } from '../devices/event-list.ts';

export interface EventsPanel {
  el: HTMLElement;
  load(signal: AbortSignal): Promise<void>;
  live(on: boolean): void;
  destroy(): void;
}

export function createEventsPanel(panel: () => Panel, onError: (message: string | undefined) => void): EventsPanel {
  const list = createEventList((id) => id);
  const el = h('div', { class: 'panel-events' }, list.el);
  let stream: EventStream | undefined;
  const prefix = () => panel().options?.prefix ?? '';
  const device = () => panel().options?.device;

  return {
    el,
    async load() {
      list.setPrefix(prefix());
      const events = await recentEvents(device(), 50);
      // History arrives newest first; the list shows newest on top.
      for (const e of [...events].reverse()) if (e.name.startsWith(prefix())) list.add({ ...e });
    },
    live(on) {
      stream?.close();
      stream = undefined;
      if (!on) return;
      const p = prefix() ? `/${encodeURIComponent(prefix())}` : '';
      const d = device();
      stream = openEventStream(d ? `/v1/devices/${encodeURIComponent(d)}/events${p}` : `/v1/events${p}`, (e) => list.add(e), (s) => onError(s.state === 'failed' ? `Event stream unavailable: ${s.reason}` : undefined));
    },
    destroy() {
      stream?.close();
    },
  };
}
