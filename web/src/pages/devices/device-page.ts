// One device (/devices/:id): what it is, whether it is online and when it was
// last heard, its last values (the newest point of each measurement tagged
// with it), its token, and its own live event stream.

import { lastPoints, type LastPoint } from '../../api/device-data.ts';
import { createDevice, deleteDevice, getDevice, ONLINE_MS, renameDevice, type Device } from '../../api/particle.ts';
import { formatExact, formatTime } from '../../lib/chart-format.ts';
import { relativeTime } from '../../lib/relative-time.ts';
import type { Page, RouteContext } from '../../router.ts';
import { confirmDialog, showOnce } from '../../ui/dialog.ts';
import { button, field, h } from '../../ui/dom.ts';
import { dataTable, loadInto } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';
import { createLiveEvents } from './live-events.ts';

function explorerLink(device: Device, p: LastPoint): string {
  const q = new URLSearchParams({ bucket: p.bucket, m: p.measurement, agg: 'none', range: '1h' });
  for (const [f, v] of p.values) if (typeof v === 'number') q.append('f', f);
  q.append('where', `device=${device.id}`);
  return `/explore?${q}`;
}

function lastValuesTable(device: Device, points: LastPoint[] | undefined): HTMLElement {
  if (!points) return messageBox('This server has no InfluxQL, so the device’s data cannot be looked up here.', 'info');
  const rows = points.flatMap((p) =>
    p.values.map(([f, v], i) => [
      i === 0 ? h('a', { href: explorerLink(device, p), 'data-link': true }, p.measurement) : '',
      f,
      h('span', { class: 'num' }, typeof v === 'number' ? formatExact(v) : String(v)),
      h('time', { datetime: new Date(p.timeMs).toISOString() }, formatTime(p.timeMs)),
      p.bucket,
    ]),
  );
  return dataTable('Last values', ['Measurement', 'Field', 'Value', 'Time', 'Bucket'], rows, `No points tagged device=${device.id}${device.name ? ` or ${device.name}` : ''} in the last 30 days.`, 'last-values');
}

export async function devicePage(ctx: RouteContext): Promise<Page> {
  let device: Device;
  try {
    device = await getDevice(ctx.params.id);
  } catch (e) {
    const el = h('section', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', null, 'Device not found'), h('a', { href: '/devices', 'data-link': true }, 'All devices')), messageBox((e as Error).message, 'error'));
    return { el, title: 'Device not found' };
  }
  let lastHeard = device.last_heard ? Date.parse(device.last_heard) : NaN;
  const timers: Array<ReturnType<typeof setInterval>> = [];

  const heading = h('h1', null, `Device ${device.name || device.id}`);
  const online = h('span', { class: 'badge', 'data-testid': 'device-online' });
  const heard = h('span', { 'data-testid': 'device-last-heard' });
  const nameDd = h('dd', null, device.name ?? '');
  const showState = () => {
    const known = Number.isFinite(lastHeard);
    const isOnline = known && Date.now() - lastHeard < ONLINE_MS;
    online.className = `badge ${isOnline ? 'ok' : 'off'}`;
    online.textContent = isOnline ? 'online' : 'offline';
    online.title = `Online: heard within the last ${ONLINE_MS / 60_000} minutes`;
    heard.textContent = known ? `${relativeTime(lastHeard, Date.now())} (${formatTime(lastHeard)})` : 'never';
  };
  showState();
  timers.push(setInterval(showState, 5000));

  const summary = h(
    'section',
    { class: 'card', 'aria-labelledby': 'device-summary-title', 'data-testid': 'device-summary' },
    h('div', { class: 'row end' }, h('h2', { id: 'device-summary-title' }, 'Status'), h('div', { class: 'spacer' }), online),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Name'),
      nameDd,
      h('dt', null, 'Device ID'),
      h('dd', null, h('code', { 'data-testid': 'device-id' }, device.id)),
      h('dt', null, 'Last heard'),
      h('dd', null, heard),
      h('dt', null, 'Last IP address'),
      h('dd', null, String(device.last_ip_address ?? '—')),
      h('dt', null, 'Created'),
      h('dd', null, typeof device.created_at === 'string' ? formatTime(Date.parse(device.created_at)) : '—'),
    ),
  );

  const values = h('div');
  const loadValues = () => loadInto(values, async () => lastValuesTable(device, await lastPoints(device)));
  const valuesCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'last-values-title' },
    h('div', { class: 'row end' }, h('h2', { id: 'last-values-title' }, 'Last values'), h('div', { class: 'spacer' }), button('Refresh', () => void loadValues(), { class: 'secondary small' })),
    h('p', { class: 'hint' }, 'The newest point of each measurement tagged device = this device’s ID or name, in the buckets you can read.'),
    values,
  );

  // ---- token management: what the devices API offers (rename, delete; a new
  // token means re-creating the device with the same ID, as Particle's claim does).
  const newName = h('input', { type: 'text', value: device.name ?? '', autocomplete: 'off', spellcheck: 'false' });
  const rename = h('form', { class: 'row end', 'aria-label': 'Rename' }, field('Name', newName), h('button', { type: 'submit', class: 'secondary' }, 'Rename'));
  rename.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await renameDevice(device.id, newName.value.trim());
      device = { ...device, name: r.name };
      nameDd.textContent = r.name;
      heading.textContent = `Device ${r.name || device.id}`;
      notify('Device renamed');
    } catch (ex) {
      notify((ex as Error).message, 'error');
    }
  });
  const replace = button('Replace token', async () => {
    const ok = await confirmDialog(
      'Replace the device token?',
      'The device is deleted and created again with the same ID and name: the old token stops working at once, and the device’s recent event history on this hub is cleared. Stored data stays.',
      'Replace token',
    );
    if (!ok) return;
    try {
      await deleteDevice(device.id);
      const d = await createDevice({ id: device.id, ...(device.name ? { name: device.name } : {}) });
      showOnce(`New token for ${d.name || d.id}`, 'Device token', d.token, 'Put it in the device’s firmware (Authorization: Bearer …). Copy it now: it is not shown again.');
    } catch (ex) {
      notify((ex as Error).message, 'error');
    }
  }, { class: 'secondary', 'data-testid': 'replace-token' });
  const remove = button('Delete device', async () => {
    if (!(await confirmDialog(`Delete device ${device.name || device.id}?`, 'Its token stops working at once. Its stored data stays.', 'Delete device'))) return;
    try {
      await deleteDevice(device.id);
      notify('Device deleted');
      ctx.navigate('/devices');
    } catch (ex) {
      notify((ex as Error).message, 'error');
    }
  }, { class: 'danger' });
  const tokenCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'device-token-title', 'data-testid': 'device-token' },
    h('h2', { id: 'device-token-title' }, 'Token'),
    h('p', { class: 'hint' }, 'The device publishes with its own token, shown once when the device was created; this hub keeps only its digest, so it cannot be shown again. Replace it if it was lost or leaked.'),
    rename,
    h('div', { class: 'actions' }, replace, remove),
  );

  const live = createLiveEvents({
    deviceId: device.id,
    title: 'Recent and live events',
    deviceName: (id) => (id === device.id ? device.name || id : id),
    onEvent(ev) {
      const t = Date.parse(ev.published_at);
      if (Number.isFinite(t) && !(t <= lastHeard)) {
        lastHeard = t;
        showState();
      }
    },
  });

  const el = h(
    'section',
    { class: 'page device' },
    h('div', { class: 'page-head' }, heading, h('a', { href: '/devices', 'data-link': true }, 'All devices')),
    h('div', { class: 'two-col' }, h('div', { class: 'col' }, summary, valuesCard, tokenCard), h('div', { class: 'col' }, live.el)),
  );
  void loadValues();
  return {
    el,
    title: `Device ${device.name || device.id}`,
    destroy() {
      live.destroy();
      for (const t of timers) clearInterval(t);
    },
  };
}
