// Devices: the registry (last heard, create with a token shown once, delete),
// the live event stream of all devices, and a form to publish a test event.
// One device's own page is device-page.ts.

import { createDevice, deleteDevice, listDevices, type Device } from '../../api/particle.ts';
import { relativeTime } from '../../lib/relative-time.ts';
import type { Page, RouteContext } from '../../router.ts';
import { confirmDialog, showOnce } from '../../ui/dialog.ts';
import { button, field, h } from '../../ui/dom.ts';
import { dataTable, loadInto } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';
import { createLiveEvents } from './live-events.ts';
import { createPublishForm } from './publish-form.ts';

export function devicesPage(_ctx: RouteContext): Page {
  let devices: Device[] = [];
  const names = new Map<string, string>();
  const lastHeard = new Map<string, number>();
  const list = h('div');
  const timers: Array<ReturnType<typeof setInterval>> = [];

  const heardCell = (d: Device) => {
    const t = lastHeard.get(d.id);
    return h('span', { class: 'last-heard', 'data-device': d.id, title: t ? new Date(t).toLocaleString() : '' }, t ? relativeTime(t, Date.now()) : 'never');
  };

  const refresh = () =>
    loadInto(list, async () => {
      devices = await listDevices();
      for (const d of devices) {
        names.set(d.id, d.name || d.id);
        const t = d.last_heard ? Date.parse(d.last_heard) : NaN;
        if (Number.isFinite(t) && t > (lastHeard.get(d.id) ?? 0)) lastHeard.set(d.id, t);
      }
      return dataTable(
        'Devices',
        ['Name', 'ID', 'Last heard', ''],
        devices.map((d) => [
          h('a', { href: `/devices/${encodeURIComponent(d.id)}`, 'data-link': true }, d.name || '(unnamed)'),
          h('code', null, d.id),
          heardCell(d),
          button(
            'Delete',
            async () => {
              if (!(await confirmDialog(`Delete device ${d.name || d.id}?`, 'Its token stops working at once. Its stored data stays.', 'Delete device'))) return;
              try {
                await deleteDevice(d.id);
                notify('Device deleted');
                void refresh();
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

  const firstLoad = refresh();
  const live = createLiveEvents({
    title: 'Live events from all devices',
    ready: firstLoad,
    deviceName: (id) => names.get(id) ?? id,
    onEvent(ev) {
      const t = Date.parse(ev.published_at);
      if (Number.isFinite(t) && t > (lastHeard.get(ev.coreid) ?? 0)) lastHeard.set(ev.coreid, t);
      if (!names.has(ev.coreid) && /^[0-9a-f]{24}$/.test(ev.coreid)) void refresh();
      else updateHeard();
    },
  });

  const el = h(
    'section',
    { class: 'page devices' },
    h('div', { class: 'page-head' }, h('h1', null, 'Devices')),
    h(
      'div',
      { class: 'two-col' },
      h('div', { class: 'col' }, h('section', { class: 'card', 'aria-labelledby': 'devices-title' }, h('h2', { id: 'devices-title' }, 'Registered devices'), list), createForm),
      h('div', { class: 'col' }, live.el, createPublishForm()),
    ),
  );

  timers.push(setInterval(() => void refresh(), 30_000));
  return {
    el,
    title: 'Devices',
    destroy() {
      live.destroy();
      for (const t of timers) clearInterval(t);
    },
  };
}
