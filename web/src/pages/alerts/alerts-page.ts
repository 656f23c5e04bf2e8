// Alerts (issue 13): every check with its state per series (coloured by
// level) and its timeline of status changes, a form to create one with a
// preview, and the device overview (online, last seen, last values) with a
// one-click "tell me when any device is silent".

import { checkStatuses, createCheck, deleteCheck, deviceStates, listChecks, type Check } from '../../api/checks.ts';
import type { Page } from '../../router.ts';
import { button, h } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import { notify } from '../../ui/status.ts';
import { checkForm } from './check-form.ts';
import { levelBadge, tagText } from './level-badge.ts';
import '../../styles/alerts.css';

function ago(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : s < 86400 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86400)}d ago`;
}

export function alertsPage(): Page {
  const checks = h('div', { 'data-testid': 'checks' });
  const devices = h('div', { 'data-testid': 'device-overview' });

  const checkCard = (c: Check) => {
    const timeline = h('div');
    const what = c.type === 'threshold' ? h('code', null, c.query ?? '') : h('span', null, `silent for ${c.staleAfter} → ${c.level}; ${c.measurement ?? 'any measurement'} by ${(c.groupBy ?? []).join(', ') || 'nothing'}`);
    return h(
      'article',
      { class: `check-card level-${c.state.level}`, 'data-testid': `check-${c.name}` },
      h('header', null, h('h3', null, c.name, ' ', levelBadge(c.state.level)), h('span', { class: 'muted' }, `${c.type} · ${c.bucket} · every ${c.every} · last run ${ago(c.state.lastRun)}`)),
      what,
      c.levels ? h('p', { class: 'muted' }, Object.entries(c.levels).map(([k, v]) => `${k} ${v}`).join(' · ')) : null,
      c.state.error ? h('p', { class: 'msg msg-error' }, c.state.error) : null,
      dataTable(`${c.name} series`, ['Series', 'Level', 'Value', 'Since'], c.state.series.map((s) => [tagText(s.tags), levelBadge(s.level), s.value === null ? '' : String(s.value), ago(s.since) + (s.pending ? ` (→ ${s.pending.level} pending)` : '')]), 'No series yet.'),
      h(
        'p',
        null,
        button('Timeline', () =>
          void loadInto(timeline, async () => {
            const st = await checkStatuses(c.id);
            return dataTable('Status changes', ['Time', 'Level', 'Previous', 'Value', 'Message'], st.map((x) => [String(x.time), levelBadge(String(x.level)), String(x.previous ?? ''), x.value === null || x.value === undefined ? '' : String(x.value), String(x.message ?? '')]), 'No status changes yet.');
          }), { class: 'secondary small' }),
        ' ',
        button('Delete', async () => {
          if (!confirm(`Delete check ${c.name}?`)) return;
          await deleteCheck(c.id).catch((e) => notify((e as Error).message, 'error'));
          void refresh();
        }, { class: 'secondary small' }),
      ),
      timeline,
    );
  };

  const refresh = async () => {
    await loadInto(checks, async () => {
      const all = await listChecks();
      if (all.length === 0) return h('p', { class: 'muted empty-state' }, 'No checks yet.');
      return h('div', { class: 'check-list' }, ...all.map(checkCard));
    });
  };
  const refreshDevices = () =>
    loadInto(devices, async () => {
      const all = await deviceStates();
      const silent = button('Tell me when any device is silent for 10 minutes', async () => {
        try {
          await createCheck({ name: 'any-device-silent', type: 'deadman', bucket: (document.querySelector('[data-testid=check-bucket]') as HTMLInputElement | null)?.value || 'hookline', groupBy: ['device'], staleAfter: '10m', every: '1m', level: 'crit' });
          notify('Deadman check any-device-silent created');
          void refresh();
        } catch (e) {
          notify((e as Error).message, 'error');
        }
      }, { class: 'secondary', 'data-testid': 'deadman-one-click' });
      const values = (d: (typeof all)[number]) => {
        const parts: string[] = [];
        for (const ms of Object.values(d.values)) for (const [m, fs] of Object.entries(ms)) for (const [f, v] of Object.entries(fs)) parts.push(`${m}.${f}=${String(v.value)}`);
        return h('span', { class: 'mono' }, parts.slice(0, 8).join('  '));
      };
      return h('div', null, h('p', null, silent), dataTable('Devices', ['Device', 'State', 'Last seen', 'Last values'], all.map((d) => [d.device, h('span', { class: `badge ${d.online ? 'ok' : 'off'}` }, d.online ? 'online' : 'offline'), ago(d.lastSeen), values(d)]), 'No device has written a point or published an event yet.', 'devices-table'));
    });

  void refresh();
  void refreshDevices();
  const timer = setInterval(() => {
    if (!document.body.contains(checks)) return clearInterval(timer);
    void refresh();
  }, 10_000);
  return {
    title: 'Alerts',
    el: pageFrame(
      'Alerts',
      'Checks watch your data: a threshold check judges each series of a query, a deadman check notices a series that went silent. Each change of level is an event alert/<check> that integrations deliver.',
      checkForm(() => void refresh()),
      h('h2', null, 'Checks'),
      checks,
      h('h2', null, 'Devices'),
      devices,
    ),
  };
}
