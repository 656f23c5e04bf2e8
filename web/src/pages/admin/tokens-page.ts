// API tokens: list with their scopes, create (all access, or chosen buckets
// and resources; the token is shown once), deactivate/activate, delete.

import {
  createAuthorization,
  deleteAuthorization,
  listAuthorizations,
  listBuckets,
  listOrgs,
  setAuthorizationStatus,
  type Authorization,
  type Bucket,
} from '../../api/influx.ts';
import type { Page } from '../../router.ts';
import { confirmDialog, showOnce } from '../../ui/dialog.ts';
import { button, field, h, uid } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';
import { allAccessPermissions, describePermissions, permissionsOf, RESOURCES, type ScopeChoice } from '../../lib/token-scopes.ts';

function check(label: string, attrs: Record<string, string> = {}): { wrap: HTMLElement; box: HTMLInputElement } {
  const id = uid('chk');
  const box = h('input', { type: 'checkbox', id, ...attrs });
  return { wrap: h('span', { class: 'check' }, box, h('label', { for: id }, label)), box };
}

export function tokensPage(): Page {
  const list = h('div');
  let buckets: Bucket[] = [];

  const refresh = () =>
    loadInto(list, async () => {
      const [auths, bs] = await Promise.all([listAuthorizations(), listBuckets()]);
      buckets = bs;
      renderScopes();
      return dataTable(
        'Tokens',
        ['Description', 'Scope', 'Status', 'Created', ''],
        auths.map((a) => [
          a.description || h('span', { class: 'muted' }, '(no description)'),
          describePermissions(a.permissions, buckets),
          h('span', { class: `badge ${a.status === 'active' ? 'ok' : 'off'}` }, a.status),
          new Date(a.createdAt).toLocaleString(),
          actions(a),
        ]),
        'No tokens.',
        'tokens',
      );
    });

  function actions(a: Authorization): HTMLElement {
    const name = a.description || a.id;
    const toggle = button(
      a.status === 'active' ? 'Deactivate' : 'Activate',
      async () => {
        try {
          await setAuthorizationStatus(a.id, a.status === 'active' ? 'inactive' : 'active');
          void refresh();
        } catch (e) {
          notify((e as Error).message, 'error');
        }
      },
      { class: 'secondary small', 'aria-label': `${a.status === 'active' ? 'Deactivate' : 'Activate'} token ${name}` },
    );
    const del = button(
      'Delete',
      async () => {
        if (!(await confirmDialog('Delete this token?', `Clients using “${name}” stop working at once.`, 'Delete token'))) return;
        try {
          await deleteAuthorization(a.id);
          notify('Token deleted');
          void refresh();
        } catch (e) {
          notify((e as Error).message, 'error');
        }
      },
      { class: 'danger small', 'aria-label': `Delete token ${name}` },
    );
    return h('div', { class: 'row-actions' }, toggle, del);
  }

  // ---- create form
  const description = h('input', { type: 'text', autocomplete: 'off', placeholder: 'e.g. greenhouse Telegraf' });
  const allAccessId = uid('scope');
  const customId = uid('scope');
  const allAccess = h('input', { type: 'radio', name: 'scope', id: allAccessId, value: 'all', checked: true });
  const custom = h('input', { type: 'radio', name: 'scope', id: customId, value: 'custom' });
  const scopesBox = h('div', { class: 'scopes', hidden: true });
  let scopeInputs: { buckets: Array<{ id: string; r: HTMLInputElement; w: HTMLInputElement }>; resources: Array<{ type: string; r: HTMLInputElement; w: HTMLInputElement }> } = { buckets: [], resources: [] };

  function renderScopes(): void {
    const rows: HTMLElement[] = [];
    scopeInputs = { buckets: [], resources: [] };
    const row = (label: string, kind: 'buckets' | 'resources', key: string) => {
      const r = check('read', { 'aria-label': `read ${label}` });
      const w = check('write', { 'aria-label': `write ${label}` });
      if (kind === 'buckets') scopeInputs.buckets.push({ id: key, r: r.box, w: w.box });
      else scopeInputs.resources.push({ type: key, r: r.box, w: w.box });
      rows.push(h('tr', null, h('th', { scope: 'row' }, label), h('td', null, r.wrap), h('td', null, w.wrap)));
    };
    row('All buckets', 'buckets', '*');
    for (const b of buckets) row(`Bucket ${b.name}`, 'buckets', b.id);
    for (const r of RESOURCES) row(r.label, 'resources', r.type);
    scopesBox.replaceChildren(h('table', { class: 'data compact' }, h('caption', { class: 'sr-only' }, 'Token permissions'), h('tbody', null, ...rows)));
  }

  const toggleScopes = () => (scopesBox.hidden = !custom.checked);
  allAccess.addEventListener('change', toggleScopes);
  custom.addEventListener('change', toggleScopes);

  const err = h('div');
  const form = h(
    'form',
    { class: 'card inline-form', 'aria-label': 'Create a token' },
    h('h2', null, 'Create a token'),
    field('Description', description),
    h(
      'fieldset',
      { class: 'radios' },
      h('legend', null, 'Scope'),
      h('span', { class: 'check' }, allAccess, h('label', { for: allAccessId }, 'All access in this organization')),
      h('span', { class: 'check' }, custom, h('label', { for: customId }, 'Chosen buckets and resources')),
    ),
    scopesBox,
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Create token'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.replaceChildren();
    try {
      const orgs = await listOrgs();
      const orgID = orgs[0]?.id;
      if (!orgID) throw new Error('no organization is readable with this token');
      let permissions;
      if (allAccess.checked) {
        permissions = allAccessPermissions(orgID);
      } else {
        const choice: ScopeChoice = {
          buckets: scopeInputs.buckets.map((b) => ({ id: b.id, read: b.r.checked, write: b.w.checked })),
          resources: scopeInputs.resources.map((r) => ({ type: r.type, read: r.r.checked, write: r.w.checked })),
        };
        permissions = permissionsOf(orgID, choice);
        if (permissions.length === 0) throw new Error('Choose at least one permission.');
      }
      const created = await createAuthorization({ orgID, description: description.value.trim(), permissions });
      description.value = '';
      void refresh();
      showOnce('Your new token', 'New token', created.token ?? '', 'Copy it now: hookline keeps only a digest and cannot show it again.');
    } catch (ex) {
      err.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });

  void refresh();
  return {
    title: 'Tokens',
    el: pageFrame('Tokens', 'API tokens for InfluxDB clients, Grafana, scripts and webhooks. A token can be limited to some buckets, read or write.', h('section', { class: 'card', 'aria-label': 'All tokens' }, h('h2', null, 'All tokens'), list), form),
  };
}
