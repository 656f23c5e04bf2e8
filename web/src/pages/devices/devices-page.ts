// Devices: the registry (last heard, create with a token shown once, delete),
// the live event stream for all devices or one, and a form to publish a test
// event. /devices/:id narrows the stream to that device.

import { openEventStream, type EventStream, type StreamStatus } from '../../api/event-stream.ts';
import { createDevice, deleteDevice, listDevices, publishEvent, recentEvents, type Device } from '../../api/particle.ts';
import { relativeTime } from '../../lib/relative-time.ts';
import type { Page, RouteContext } from '../../router.ts';
import { confirmDialog, showOnce } from '../../ui/dialog.ts';
import { button, field, h } from '../../ui/dom.ts';
import { dataTable, loadInto } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';
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

export function devicesPage(ctx: RouteContext): Page {
  const selected = ctx.params.id;
  let devices: Device[] = [];
  const names = new Map<string, string>();
  const lastHeard = new Map<string, number>();
  const list = h('div');
  let stream: EventStream | undefined;
  const timers: Array<ReturnType<typeof setInterval>> = [];

  const heardCell = (d: Device) => {
    const t = lastHeard.get(d.id);
    return h('span', { class: 'last-heard', 'data-device': d.id, title: t ? new Date(t).toLocaleString() : '' }, t ? relativeTime(t, Date.now()) : 'never');
  };

  const refresh = () =>
    loadInto(list, async () => {
      devices = await listDevices();
      const mine = selected ? devices.find((d) => d.id === selected || d.name === selected) : undefined;
      if (mine) heading.textContent = `Device ${mine.name || mine.id}`;
      for (const d of devices) {
        names.set(d.id, d.name || d.id);
        const t = d.last_heard ? Date.parse(d.last_heard) : NaN;
        if (Number.isFinite(t) && t > (lastHeard.get(d.id) ?? 0)) lastHeard.set(d.id, t);
      }
      return dataTable(
        'Devices',
        ['Name', 'ID', 'Last heard', ''],
        devices.map((d) => [
          h('a', { href: `/devices/${encodeURIComponent(d.id)}`, 'data-link': true, 'aria-current': d.id === selected ? 'page' : null }, d.name || '(unnamed)'),
          h('code', null, d.id),
          heardCell(d),
          button(
            'Delete',
            async () => {
              if (!(await confirmDialog(`Delete device ${d.name || d.id}?`, 'Its token stops working at once. Its stored data stays.', 'Delete device'))) return;
              try {
                await deleteDevice(d.id);
                notify('Device deleted');
                if (d.id === selected) ctx.navigate('/devices');
                else void refresh();
              } catch (e) {
                notify((e as Error).message, 'error');
              }
            },
            { class: 'danger small', 'aria-label': `Delete device ${d.name || d.id}` },
          ),
        ]),
        'No devices yet. Create one to get its token.',
        'devices',
      );
    });

  // Relative times age: refresh the cells without reloading the list.
  const updateHeard = () => {
    for (const span of list.querySelectorAll<HTMLElement>('.last-heard')) {
      const t = lastHeard.get(span.dataset.device!);
      if (t) {
        span.textContent = relativeTime(t, Date.now());
        span.title = new Date(t).toLocaleString();
      }
    }
  };
  timers.push(setInterval(updateHeard, 5000));

  // ---- create
  const newName = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. greenhouse-photon' });
  const newId = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', pattern: '[0-9a-fA-F]{24}', class: 'mono', placeholder: 'generated when empty' });
  const createErr = h('div');
  const createForm = h(
    'form',
    { class: 'card', 'aria-label': 'Create a device' },
    h('h2', null, 'Create a device'),
    field('Name', newName),
    field('Device ID (optional)', newId, '24 hexadecimal characters, as Particle device IDs.'),
    createErr,
    h('button', { type: 'submit', class: 'primary' }, 'Create device'),
  );
  createForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    createErr.replaceChildren();
    try {
      const body: { name?: string; id?: string } = {};
      if (newName.value.trim()) body.name = newName.value.trim();
      if (newId.value.trim()) body.id = newId.value.trim().toLowerCase();
      const d = await createDevice(body);
      newName.value = '';
      newId.value = '';
      void refresh();
      showOnce(
        `Device ${d.name || d.id} created`,
        'Device token',
        d.token,
        `The device publishes with this token (Authorization: Bearer …). Copy it now: it is not shown again. Device ID: ${d.id}`,
      );
    } catch (ex) {
      createErr.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });

  // ---- live stream
  const statusEl = h('span', { class: 'stream-status', 'data-testid': 'stream-status', 'aria-live': 'polite' });
  const events = createEventList((id) => names.get(id) ?? id);
  const prefix = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'all events', 'aria-describedby': 'prefix-hint' });
  let destroyed = false;
  const connect = () => {
    if (destroyed) return;
    stream?.close();
    const p = prefix.value.trim();
    const base = selected ? `/v1/devices/${encodeURIComponent(selected)}/events` : '/v1/devices/events';
    stream = openEventStream(
      p ? `${base}/${encodeURIComponent(p)}` : base,
      (ev) => {
        events.add(ev);
        const t = Date.parse(ev.published_at);
        if (Number.isFinite(t) && t > (lastHeard.get(ev.coreid) ?? 0)) lastHeard.set(ev.coreid, t);
        if (!names.has(ev.coreid) && /^[0-9a-f]{24}$/.test(ev.coreid)) void refresh();
        else updateHeard();
      },
      (s) => {
        statusEl.textContent = streamStatusText(s);
        statusEl.dataset.state = s.state;
      },
    );
  };
  prefix.addEventListener('change', connect);

  // ---- publish
  const evName = h('input', { type: 'text', value: 'data', required: true, autocomplete: 'off', spellcheck: 'false', name: 'event-name' });
  const evData = h('textarea', { rows: 3, class: 'mono', spellcheck: 'false', name: 'event-data' });
  // The seed's payload; after each publish it moves on (count + 1, time now),
  // so repeated tests write new points instead of overwriting one, unless edited.
  let sample = 42;
  const sampleText = () => JSON.stringify({ count: sample, time: Math.floor(Date.now() / 1000) });
  evData.value = sampleText();
  let lastSample = evData.value;
  const pubErr = h('div');
  const pubForm = h(
    'form',
    { class: 'card', 'aria-label': 'Publish a test event' },
    h('h2', null, 'Publish a test event'),
    h('p', { class: 'hint' }, 'Published with your token, so its device ID is “api”, as with Particle’s API. Matching integrations run.'),
    field('Event name', evName),
    field('Data', evData, 'Text up to 16 KiB; JSON keys become template variables ({{{count}}}).'),
    pubErr,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'publish' }, 'Publish'),
  );
  pubForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    pubErr.replaceChildren();
    try {
      await publishEvent({ name: evName.value.trim(), data: evData.value });
      notify(`Published ${evName.value.trim()}`);
      if (evData.value === lastSample) {
        sample++;
        evData.value = lastSample = sampleText();
      }
    } catch (ex) {
      pubErr.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });

  const title = selected ? 'Device' : 'Devices';
  const heading = h('h1', null, selected ? `Device ${selected}` : 'Devices');
  const el = h(
    'section',
    { class: 'page devices' },
    h('div', { class: 'page-head' }, heading, selected ? h('a', { href: '/devices', 'data-link': true }, 'All devices') : null),
    h(
      'div',
      { class: 'two-col' },
      h('div', { class: 'col' }, h('section', { class: 'card', 'aria-labelledby': 'devices-title' }, h('h2', { id: 'devices-title' }, 'Registered devices'), list), createForm),
      h(
        'div',
        { class: 'col' },
        h(
          'section',
          { class: 'card stream', 'aria-labelledby': 'stream-title' },
          h('div', { class: 'row end' }, h('h2', { id: 'stream-title' }, selected ? 'Live events from this device' : 'Live events from all devices'), h('div', { class: 'spacer' }), statusEl),
          field('Event name prefix', prefix, undefined),
          h('p', { class: 'hint', id: 'prefix-hint' }, 'Only events whose name starts with this (case-sensitive), as Particle streams filter.'),
          events.el,
        ),
        pubForm,
      ),
    ),
  );

  void refresh();
  // Recent history first (oldest first, so the newest ends on top), then live.
  void recentEvents(selected)
    .then((past) => {
      for (const e of past.slice().reverse()) events.add({ ...e, name: e.name });
    })
    .catch(() => undefined)
    .finally(connect);
  timers.push(setInterval(() => void refresh(), 30_000));
  return {
    el,
    title,
    destroy() {
      destroyed = true;
      stream?.close();
      for (const t of timers) clearInterval(t);
    },
  };
}
