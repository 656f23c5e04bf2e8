// Integrations: Particle Custom Webhooks, listed with their state and today's
// counts; each opens its own page (definition, test, delivery log). The full
// target URL (scheme included) and the id tell apart integrations that look
// alike.

import { listIntegrations, updateIntegration, type Integration } from '../../api/particle.ts';
import type { Page } from '../../router.ts';
import { button, h } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import { notify } from '../../ui/status.ts';
import '../../styles/integration-status.css';

export function integrationsPage(): Page {
  const list = h('div');
  const refresh = () =>
    loadInto(list, async () => {
      const items = await listIntegrations();
      return dataTable(
        'Integrations',
        ['Name', 'Event', 'Target', 'Today', 'State', ''],
        items.map((i) => {
          const c = i.counters as { success?: number; error?: number; skipped?: number } | undefined;
          const today = h('span', { class: 'muted counts' }, c ? `${c.success ?? 0} ok · ${c.error ?? 0} errors · ${c.skipped ?? 0} skipped` : '');
          return [
            h('div', null, h('a', { href: `/integrations/${encodeURIComponent(i.id)}`, 'data-link': true }, i.name || i.event), h('code', { class: 'integration-id', title: 'Integration id' }, i.id)),
            h('code', null, i.event),
            h('code', { class: 'target-url' }, `${i.requestType ?? 'POST'} ${i.url}`),
            today,
            h('span', { class: `badge ${i.disabled ? 'off' : 'ok'}` }, i.disabled ? 'disabled' : 'enabled'),
            toggle(i),
          ];
        }),
        'No integrations yet. Create one by pasting a Particle Custom Template, or with the form.',
        'integrations',
      );
    });

  function toggle(i: Integration): HTMLElement {
    const label = i.disabled ? 'Enable' : 'Disable';
    return button(
      label,
      async () => {
        try {
          await updateIntegration(i.id, { ...withoutServerFields(i), disabled: !i.disabled });
          notify(`${i.name || i.event} ${i.disabled ? 'enabled' : 'disabled'}`);
          void refresh();
        } catch (e) {
          notify((e as Error).message, 'error');
        }
      },
      { class: 'secondary small', 'aria-label': `${label} ${i.name || i.event}` },
    );
  }

  void refresh();
  return {
    title: 'Integrations',
    el: pageFrame(
      'Integrations',
      'Webhooks defined exactly like Particle’s Custom Webhooks: an event name prefix triggers a templated HTTP request.',
      h('p', null, h('a', { href: '/integrations/new', 'data-link': true, class: 'button primary' }, 'New integration')),
      list,
    ),
  };
}

/** The definition as the API takes it back: without the fields the server sets. */
export function withoutServerFields(i: Integration): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, integration_type: _t, hookUrl: _h, counters: _k, logs: _l, history: _hi, ...rest } = i as Record<string, unknown>;
  return rest;
}
