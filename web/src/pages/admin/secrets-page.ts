// Secrets (Particle's Cloud Secrets, /v1/secrets): names and where they are
// used (each integration by name, id and target URL, so look-alikes can be
// told apart); a value can be set or replaced but never read back.

import { deleteSecret, listIntegrations, listSecrets, putSecret, type Integration, type Secret } from '../../api/particle.ts';
import { formatTime } from '../../lib/format-time.ts';
import '../../styles/integration-status.css';
import type { Page } from '../../router.ts';
import { confirmDialog, openDialog } from '../../ui/dialog.ts';
import { button, field, h } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';

// Particle's rule (docs: Cloud secrets): upper-case letters, digits, underscore; not starting with a digit.
const NAME = /^[A-Z_][A-Z0-9_]*$/;

function usedBy(s: Secret): string[] {
  return (s.integrations ?? []).map((i) => i.name || i.id || 'integration');
}

/** Each integration using the secret: a link by name, with its id and target URL. */
function usedByList(s: Secret, byId: Map<string, Integration>): HTMLElement {
  return h(
    'ul',
    { class: 'used-by' },
    ...(s.integrations ?? []).map((i) => {
      const full = i.id ? byId.get(i.id) : undefined;
      const label = i.name || full?.event || i.id || 'integration';
      return h(
        'li',
        null,
        i.id ? h('a', { href: `/integrations/${encodeURIComponent(i.id)}`, 'data-link': true }, label) : label,
        i.id ? h('code', { class: 'integration-id' }, i.id) : null,
        full ? h('code', { class: 'target-url integration-id' }, full.url) : null,
      );
    }),
  );
}

export function secretsPage(): Page {
  const list = h('div');
  const refresh = () =>
    loadInto(list, async () => {
      const [secrets, integrations] = await Promise.all([listSecrets(), listIntegrations().catch(() => [] as Integration[])]);
      const byId = new Map(integrations.map((i) => [i.id, i]));
      return dataTable(
        'Secrets',
        ['Name', 'Used by', 'Updated', ''],
        secrets.map((s) => [
          h('code', null, s.name),
          usedBy(s).length ? usedByList(s, byId) : h('span', { class: 'muted' }, 'unused'),
          s.updated_at ? h('time', { datetime: s.updated_at, title: s.updated_at }, formatTime(s.updated_at)) : '',
          actions(s),
        ]),
        'No secrets yet.',
        'secrets',
      );
    });

  function actions(s: Secret): HTMLElement {
    const inUse = usedBy(s).length > 0;
    return h(
      'div',
      { class: 'row-actions' },
      button('Replace value…', () => replace(s.name), { class: 'secondary small', 'aria-label': `Replace the value of ${s.name}` }),
      button(
        'Delete',
        async () => {
          if (!(await confirmDialog(`Delete secret ${s.name}?`, 'Integrations can no longer use it.', 'Delete secret'))) return;
          try {
            await deleteSecret(s.name);
            notify(`Deleted ${s.name}`);
            void refresh();
          } catch (e) {
            notify((e as Error).message, 'error');
          }
        },
        { class: 'danger small', disabled: inUse, title: inUse ? 'Used by an integration: remove it there first' : null, 'aria-label': `Delete secret ${s.name}` },
      ),
    );
  }

  function replace(name: string): void {
    const value = h('input', { type: 'password', autocomplete: 'new-password', spellcheck: 'false' });
    const err = h('div');
    const save = button(
      'Save',
      async () => {
        try {
          await putSecret(name, value.value);
          notify(`Saved ${name}`);
          d.close();
          void refresh();
        } catch (e) {
          err.replaceChildren(messageBox((e as Error).message, 'error'));
        }
      },
      { class: 'primary' },
    );
    const d = openDialog(`New value for ${name}`, h('div', null, field('Value', value, 'Write-only: it cannot be shown again.'), err), [save]);
    value.focus();
  }

  const name = h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', pattern: NAME.source, class: 'mono', placeholder: 'INFLUX_API_KEY' });
  const value = h('input', { type: 'password', required: true, autocomplete: 'new-password', spellcheck: 'false' });
  const err = h('div');
  const form = h(
    'form',
    { class: 'card inline-form', 'aria-label': 'Create a secret' },
    h('h2', null, 'Create or replace a secret'),
    h('div', { class: 'row' }, field('Name', name, 'Upper-case letters, digits and _, e.g. INFLUX_API_KEY.'), field('Value', value, 'Write-only: never shown again.')),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Save secret'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.replaceChildren();
    const n = name.value.trim();
    if (!NAME.test(n)) {
      err.replaceChildren(messageBox('Names use upper-case letters, digits and underscores, and do not start with a digit.', 'error'));
      name.focus();
      return;
    }
    try {
      await putSecret(n, value.value);
      notify(`Saved ${n}`);
      name.value = '';
      value.value = '';
      void refresh();
    } catch (ex) {
      err.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });

  void refresh();
  return {
    title: 'Secrets',
    el: pageFrame('Secrets', 'Values integrations use as {{{NAME}}} (API keys, passwords). Shown as [[SENSITIVE]] in logs and tests; never readable once saved.', h('section', { class: 'card', 'aria-label': 'All secrets' }, h('h2', null, 'All secrets'), list), form),
  };
}
