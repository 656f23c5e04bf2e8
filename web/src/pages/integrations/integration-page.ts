// One integration: its definition (template or form), enable/disable, delete,
// test, its state in one line with "Retry now", dead letters, counters and
// delivery log. /integrations/new creates one.

import { createIntegration, deleteIntegration, getIntegration, updateIntegration, type Integration } from '../../api/particle.ts';
import type { Page, RouteContext } from '../../router.ts';
import { confirmDialog } from '../../ui/dialog.ts';
import { button, h } from '../../ui/dom.ts';
import { messageBox, notify } from '../../ui/status.ts';
import '../../styles/integration-status.css';
import { createDeadLetters } from './dead-letters.ts';
import { createDeliveryLog } from './delivery-log.ts';
import { createStatusPanel } from './integration-status.ts';
import { createTestPanel } from './integration-test.ts';
import { withoutServerFields } from './integrations-page.ts';
import { createTemplateEditor } from './template-editor.ts';

export async function integrationPage(ctx: RouteContext): Promise<Page> {
  const id = ctx.params.id;
  let integration: Integration | undefined = id ? await getIntegration(id) : undefined;
  const editor = createTemplateEditor(integration ? withoutServerFields(integration) : undefined);
  const saveErr = h('div', { 'aria-live': 'polite' });
  const title = h('h1', null, integration ? integration.name || integration.event : 'New integration');
  const badge = h('span', { class: 'badge' });
  const setBadge = () => {
    badge.className = `badge ${integration?.disabled ? 'off' : 'ok'}`;
    badge.textContent = integration ? (integration.disabled ? 'disabled' : 'enabled') : '';
    // A new, unsaved integration has no state yet: no badge at all (an empty pill looked like a bug).
    badge.hidden = !integration;
  };
  setBadge();

  const save = button(integration ? 'Save changes' : 'Create integration', async () => {
    saveErr.replaceChildren();
    const v = editor.value();
    if (v.error || !v.template) {
      saveErr.replaceChildren(messageBox(v.error ?? 'Nothing to save.', 'error'));
      return;
    }
    try {
      if (integration) {
        integration = await updateIntegration(integration.id, v.template);
        notify('Saved');
        editor.set(withoutServerFields(integration));
        title.textContent = integration.name || integration.event;
        setBadge();
      } else {
        const created = await createIntegration(v.template);
        notify('Integration created');
        ctx.navigate(`/integrations/${encodeURIComponent(created.id)}`, { replace: true });
      }
    } catch (e) {
      saveErr.replaceChildren(messageBox((e as Error).message, 'error'));
    }
  }, { class: 'primary', 'data-testid': 'save-integration' });

  const toggle = button(integration?.disabled ? 'Enable' : 'Disable', async () => {
    if (!integration) return;
    try {
      integration = await updateIntegration(integration.id, { ...withoutServerFields(integration), disabled: !integration.disabled });
      toggle.textContent = integration.disabled ? 'Enable' : 'Disable';
      editor.set(withoutServerFields(integration));
      setBadge();
      notify(integration.disabled ? 'Disabled' : 'Enabled');
    } catch (e) {
      notify((e as Error).message, 'error');
    }
  }, { class: 'secondary', hidden: !integration });

  const del = button('Delete', async () => {
    if (!integration) return;
    if (!(await confirmDialog('Delete this integration?', 'Events stop triggering it. Its delivery log is deleted too.', 'Delete integration'))) return;
    try {
      await deleteIntegration(integration.id);
      notify('Integration deleted');
      ctx.navigate('/integrations');
    } catch (e) {
      notify((e as Error).message, 'error');
    }
  }, { class: 'danger', hidden: !integration });

  const log = integration ? createDeliveryLog(integration.id) : undefined;
  const refreshAll = () => Promise.all([log?.refresh(), status?.refresh(), dead?.refresh()]);
  // After a retry or a replay the deliveries take a moment: look again shortly.
  const soon = () => setTimeout(() => void refreshAll(), 1500);
  const status = integration ? createStatusPanel(integration.id, soon) : undefined;
  const dead = integration ? createDeadLetters(integration.id, () => (void status?.refresh(), soon())) : undefined;
  const timer = log ? setInterval(() => void refreshAll(), 10_000) : undefined;
  void refreshAll();

  const el = h(
    'section',
    { class: 'page integration' },
    h('div', { class: 'page-head' }, title, badge, h('div', { class: 'spacer' }), h('a', { href: '/integrations', 'data-link': true }, 'All integrations')),
    integration ? h('p', { class: 'muted' }, 'Calls ', h('code', { class: 'target-url' }, integration.url), ' · id ', h('code', { 'data-testid': 'integration-id' }, integration.id)) : null,
    status?.el ?? null,
    h(
      'div',
      { class: 'two-col' },
      h(
        'div',
        { class: 'col' },
        h('section', { class: 'card', 'aria-label': 'Definition' }, h('h2', null, 'Definition'), editor.el, saveErr, h('div', { class: 'actions' }, save, toggle, del)),
      ),
      h(
        'div',
        { class: 'col' },
        createTestPanel(() => {
          if (integration) return { id: integration.id };
          const v = editor.value();
          return v.template && !v.error ? { definition: v.template } : { error: v.error ?? 'Write the definition first.' };
        }),
        dead?.el ?? null,
        log?.el ?? null,
      ),
    ),
  );
  return { el, title: integration ? `Integration ${integration.name || integration.event}` : 'New integration', destroy: () => timer && clearInterval(timer) };
}
