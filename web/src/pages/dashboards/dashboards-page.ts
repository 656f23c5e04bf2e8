// /dashboards: the org's dashboards, a new one, and import (a dashboard's
// exported JSON document, from this hookline or another).

import { createDashboard, deleteDashboard, listDashboards } from '../../api/dashboards.ts';
import type { Dashboard } from '../../lib/dashboard-model.ts';
import type { Page, RouteContext } from '../../router.ts';
import { confirmDialog, openDialog } from '../../ui/dialog.ts';
import { button, field, h } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import '../../styles/dashboards.css';

/** A new dashboard: the last hour, no refresh, no panels yet. */
export function blankDashboard(name: string): Dashboard {
  return { name, time: { from: 'now-1h', to: 'now' }, refresh: '', variables: [], panels: [] };
}

export async function dashboardsPage(ctx: RouteContext): Promise<Page> {
  const box = h('div');
  const message = h('p', { class: 'status-line', role: 'status', 'data-testid': 'dashboards-status' });

  const reload = () =>
    loadInto(box, async () => {
      const list = await listDashboards();
      return dataTable(
        'Dashboards',
        ['Name', 'Panels', 'Updated', ''],
        list.map((d) => [
          h('a', { href: `/dashboards/${encodeURIComponent(d.id!)}`, 'data-link': true }, d.name),
          String(d.panels?.length ?? 0),
          d.updatedAt ? new Date(d.updatedAt).toLocaleString() : '',
          button('Delete', async () => {
            if (!(await confirmDialog('Delete dashboard', `Delete "${d.name}"? Its panels and layout are gone for good (export it first to keep a copy).`, 'Delete'))) return;
            try {
              await deleteDashboard(d.id!);
              await reload();
            } catch (e) {
              message.textContent = `Not deleted: ${(e as Error).message}`;
            }
          }, { class: 'small secondary' }),
        ]),
        'No dashboards yet. Create one, import one, or use "Create a dashboard from this query" in the explorer.',
        'dashboards-table',
      );
    });

  const create = button('New dashboard', () => {
    const name = h('input', { type: 'text', value: 'New dashboard', 'data-testid': 'new-dashboard-name' });
    const ok = button('Create', async () => {
      try {
        const d = await createDashboard(blankDashboard(name.value.trim() || 'New dashboard'));
        dlg.close();
        ctx.navigate(`/dashboards/${encodeURIComponent(d.id!)}?edit=1`);
      } catch (e) {
        name.setCustomValidity((e as Error).message);
        name.reportValidity();
      }
    }, { class: 'primary', 'data-testid': 'new-dashboard-create' });
    const dlg = openDialog('New dashboard', h('div', null, field('Name', name)), [ok]);
    name.select();
  }, { class: 'primary', 'data-testid': 'new-dashboard' });

  const importBtn = button('Import', () => {
    const text = h('textarea', { rows: 14, class: 'mono', spellcheck: 'false', 'data-testid': 'import-json', 'aria-label': 'Dashboard JSON' });
    const error = h('p', { class: 'msg msg-error', role: 'alert', hidden: true });
    const ok = button('Import', async () => {
      error.hidden = true;
      try {
        const d = await createDashboard(JSON.parse(text.value));
        dlg.close();
        ctx.navigate(`/dashboards/${encodeURIComponent(d.id!)}`);
      } catch (e) {
        error.hidden = false;
        error.textContent = `Not imported: ${(e as Error).message}`;
      }
    }, { class: 'primary', 'data-testid': 'import-submit' });
    const dlg = openDialog('Import dashboard', h('div', null, h('p', null, 'Paste a dashboard exported from hookline (Export on a dashboard).'), text, error), [ok]);
    text.focus();
  }, { class: 'secondary', 'data-testid': 'import-dashboard' });

  const el = pageFrame('Dashboards', 'Named grids of panels with a shared time range, variables and live updates; read tokens can open them.', h('div', { class: 'toolbar' }, create, importBtn), message, box);
  await reload();
  return { el, title: 'Dashboards' };
}
