// A dashboard at /dashboards/<id>: the time picker, the variables, the panel
// grid and, in edit mode, panel editing and layout. The page keeps the
// document as loaded and changes only what the user changes, so saving sends
// back every field it did not touch. ?var-device=d2, ?from=now-6h&to=now and
// ?edit=1 in the address work as in Grafana's links.
// Every refresh starts a new generation: the previous one's queries are
// cancelled (AbortController) and all panels' queries run at once.

import { ApiError } from '../../api/client.ts';
import { listChecks } from '../../api/checks.ts';
import { exportable, getDashboard, saveDashboard } from '../../api/dashboards.ts';
import { listBuckets } from '../../api/influx.ts';
import type { Dashboard, GridPos, Panel } from '../../lib/dashboard-model.ts';
import { parseTimeString, varsFromQuery } from '../../lib/dashboard-vars.ts';
import { nextFree } from '../../lib/grid-layout.ts';
import { autoInterval, parseDuration } from '../../lib/interval.ts';
import type { Page, RouteContext } from '../../router.ts';
import { openDialog } from '../../ui/dialog.ts';
import { button, h } from '../../ui/dom.ts';
import { createGrid } from './dashboard-grid.ts';
import { editPanel } from './panel-editor.ts';
import { createPanelView, type PanelView } from './panel-view.ts';
import { createTimePicker } from './time-picker.ts';
import { createVariablesBar } from './variables-bar.ts';
import { editVariables } from './variables-editor.ts';
import '../../styles/dashboards.css';

/** Live mode asks again this often (a write shows within about this long). */
const LIVE_MS = 1000;
const DEFAULT_TIME = { from: 'now-1h', to: 'now' };

export async function dashboardPage(ctx: RouteContext): Promise<Page> {
  const id = ctx.params.id;
  // The org's alert checks, once per load: timeseries panels draw the levels of
  // those watching their series. A token that cannot read checks just gets none.
  const [loaded, buckets, checks] = await Promise.all([getDashboard(id), listBuckets().catch(() => []), listChecks().catch(() => [])]);
  const doc: Dashboard = structuredClone(loaded);
  let saved = JSON.stringify(exportable(loaded));
  const defaultBucket = (doc.variables?.find((v) => v.bucket)?.bucket as string | undefined) ?? buckets[0]?.name ?? '';
  const values: Record<string, string> = {};
  for (const v of doc.variables ?? []) if (v.current !== undefined) values[v.name] = String(v.current);
  Object.assign(values, varsFromQuery(ctx.query));
  for (const v of doc.variables ?? []) if (values[v.name] !== undefined && v.current !== values[v.name]) v.current = values[v.name];
  let time = { ...(doc.time ?? DEFAULT_TIME) };
  if (ctx.query.get('from')) time = { from: ctx.query.get('from')!, to: ctx.query.get('to') ?? 'now' };
  let live = ctx.query.get('live') === '1';
  // ?theme=light|dark, as Grafana's links: set for this page only.
  const theme = ctx.query.get('theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  let editing = ctx.query.get('edit') === '1' || !(doc.panels?.length);
  let views: PanelView[] = [];
  let generation: AbortController | undefined;
  let inFlight = 0;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let destroyed = false;

  const status = h('p', { class: 'status-line', role: 'status', 'data-testid': 'dash-status' });
  const title = h('h1', { 'data-testid': 'dash-name' }, doc.name);
  const nameInput = h('input', { type: 'text', value: doc.name, 'aria-label': 'Dashboard name', 'data-testid': 'dash-name-input', hidden: true });
  nameInput.addEventListener('input', () => {
    doc.name = nameInput.value;
    title.textContent = doc.name;
    dirty();
  });
  const saveBtn = button('Save', () => void save(), { class: 'primary', 'data-testid': 'dash-save' });
  const editBtn = button('Edit', () => setEditing(!editing), { class: 'secondary', 'data-testid': 'dash-edit', 'aria-pressed': 'false' });
  const addBtn = button('Add panel', () => addPanel(), { class: 'secondary', 'data-testid': 'dash-add-panel' });
  const varsBtn = button('Variables', () =>
    editVariables(doc.variables ?? [], defaultBucket, (next) => {
      doc.variables = next;
      for (const k of Object.keys(values)) if (!next.some((v) => v.name === k)) delete values[k];
      for (const v of next) if (v.current !== undefined && values[v.name] === undefined) values[v.name] = String(v.current);
      dirty();
      syncUrl();
      varsReady = vars.load(doc.variables, values, defaultBucket, range());
      void refreshAll();
    }), { class: 'secondary', 'data-testid': 'dash-variables' });
  const exportBtn = button('Export', () => showExport(), { class: 'secondary', 'data-testid': 'dash-export' });

  const picker = createTimePicker({
    onTime(t) {
      time = t;
      doc.time = { ...t };
      dirty();
      syncUrl();
      void refreshAll();
    },
    onRefresh(r) {
      doc.refresh = r;
      dirty();
      schedule();
    },
    onLive(on) {
      live = on;
      if (on && !/^now-/.test(time.from)) time = { ...DEFAULT_TIME };
      picker.set(time, doc.refresh ?? '', live);
      for (const v of views) v.setLive(on);
      syncUrl();
      schedule();
      void refreshAll();
    },
    onRun: () => void refreshAll(),
  });
  const vars = createVariablesBar((name, value) => {
    values[name] = value;
    const v = doc.variables?.find((x) => x.name === name);
    if (v) v.current = value;
    dirty();
    syncUrl();
    // Other variables' queries may use this one ($device in a $sensor query).
    varsReady = vars.load(doc.variables ?? [], values, defaultBucket, range());
    void refreshAll();
  });
  let varsReady: Promise<void> = Promise.resolve();
  const grid = createGrid((layout) => {
    layout.forEach((p, i) => (doc.panels![i].gridPos = p));
    dirty();
  });

  function range(): { fromMs: number; toMs: number } {
    const now = Date.now();
    const fromMs = parseTimeString(time.from, now) ?? now - 3_600_000;
    const toMs = parseTimeString(time.to, now) ?? now;
    return { fromMs, toMs: Math.max(toMs, fromMs + 1) };
  }

  function dirty(): void {
    const changed = JSON.stringify(exportable(doc)) !== saved;
    saveBtn.dataset.dirty = String(changed);
    saveBtn.textContent = changed ? 'Save*' : 'Save';
  }

  function syncUrl(): void {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) q.set(`var-${k}`, v);
    if (time.from !== (doc.time ?? DEFAULT_TIME).from || time.to !== (doc.time ?? DEFAULT_TIME).to) {
      q.set('from', time.from);
      q.set('to', time.to);
    }
    if (live) q.set('live', '1');
    if (theme === 'light' || theme === 'dark') q.set('theme', theme);
    const url = `/dashboards/${encodeURIComponent(id)}${q.size ? `?${q}` : ''}`;
    if (location.pathname + location.search !== url) history.replaceState(null, '', url);
  }

  function setEditing(on: boolean): void {
    editing = on;
    el.classList.toggle('editing', on);
    grid.setEditing(on);
    editBtn.textContent = on ? 'Done' : 'Edit';
    editBtn.setAttribute('aria-pressed', String(on));
    addBtn.hidden = !on;
    varsBtn.hidden = !on;
    nameInput.hidden = !on;
    title.hidden = on;
  }

  function layouts(): GridPos[] {
    return (doc.panels ?? []).map((p) => p.gridPos ?? { x: 0, y: 0, w: 12, h: 8 });
  }

  function nextId(): number {
    return (doc.panels ?? []).reduce((m, p) => Math.max(m, typeof p.id === 'number' ? p.id : 0), 0) + 1;
  }

  function build(): void {
    for (const v of views) v.destroy();
    const panels = doc.panels ?? [];
    views = panels.map((_, i) =>
      createPanelView(() => doc.panels![i], {
        onZoom(fromMs, toMs) {
          live = false;
          time = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
          doc.time = { ...time };
          picker.set(time, doc.refresh ?? '', live);
          for (const v of views) v.setLive(false);
          dirty();
          syncUrl();
          schedule();
          void refreshAll();
        },
        onEdit: () =>
          editPanel(doc.panels![i], buckets.map((b) => b.name), (p) => {
            doc.panels![i] = p;
            changed();
          }),
        onDuplicate() {
          const copy: Panel = structuredClone(doc.panels![i]);
          const g = copy.gridPos ?? { x: 0, y: 0, w: 12, h: 8 };
          copy.gridPos = nextFree(layouts(), g.w, g.h);
          copy.id = nextId();
          doc.panels!.splice(i + 1, 0, copy);
          changed();
        },
        onRemove() {
          doc.panels!.splice(i, 1);
          changed();
        },
      }, checks),
    );
    for (const v of views) v.setLive(live);
    grid.render(
      views.map((v) => ({ el: v.el, handle: v.handle, corner: v.corner, resize: v.resize })),
      layouts(),
    );
    empty.hidden = panels.length > 0;
  }

  function changed(): void {
    doc.panels ??= [];
    build();
    dirty();
    void refreshAll();
  }

  function addPanel(): void {
    const panel: Panel = { id: nextId(), title: '', type: 'timeseries', gridPos: nextFree(layouts(), 12, 8) };
    editPanel(panel, buckets.map((b) => b.name), (p) => {
      (doc.panels ??= []).push(p);
      changed();
    });
  }

  async function refreshAll(): Promise<void> {
    if (destroyed) return;
    generation?.abort();
    const gen = new AbortController();
    generation = gen;
    const r = range();
    inFlight++;
    const started = performance.now();
    try {
      // A variable without a value waits for its choices (the first is taken);
      // with every value known (saved, or ?var-), panels start at once, beside the pickers' queries.
      if ((doc.variables ?? []).some((v) => values[v.name] === undefined)) await varsReady;
      if (gen.signal.aborted) return;
      await Promise.all(
        views.map((v) => {
          // Grafana's $__interval: about one point per pixel of this panel's width.
          const intervalMs = autoInterval({ ...r, maxDataPoints: Math.max(50, v.el.clientWidth || 600) });
          return v.refresh({ values: { ...values }, ...r, intervalMs }, defaultBucket, gen.signal);
        }),
      );
      if (!gen.signal.aborted) {
        el.dataset.loadedAt = String(Date.now());
        el.dataset.refreshMs = String(Math.round(performance.now() - started));
      }
    } finally {
      inFlight--;
    }
  }

  function schedule(): void {
    if (refreshTimer) clearInterval(refreshTimer);
    refreshTimer = undefined;
    const every = live ? LIVE_MS : parseDuration(doc.refresh ?? '') ?? 0;
    if (every > 0) {
      refreshTimer = setInterval(() => {
        // A hidden tab does not query; a slow refresh is not stacked on.
        if (!document.hidden && inFlight === 0) void refreshAll();
      }, every);
    }
  }

  async function save(): Promise<void> {
    status.classList.remove('error');
    status.textContent = 'Saving…';
    try {
      const answer = await saveDashboard(id, exportable(doc));
      saved = JSON.stringify(exportable(answer));
      doc.updatedAt = answer.updatedAt;
      dirty();
      status.textContent = `Saved at ${new Date().toLocaleTimeString()}.`;
    } catch (e) {
      status.classList.add('error');
      const forbidden = e instanceof ApiError && e.status === 403;
      status.textContent = forbidden ? `Not saved: this token may view this dashboard but not change it (${(e as Error).message}).` : `Not saved: ${(e as Error).message}`;
    }
  }

  function showExport(): void {
    const text = JSON.stringify(exportable(doc), null, 2);
    const area = h('textarea', { class: 'mono export-json', rows: 18, readonly: true, 'data-testid': 'export-json', 'aria-label': 'Dashboard JSON' }, text);
    const blob = new Blob([text], { type: 'application/json' });
    const link = h('a', { href: URL.createObjectURL(blob), download: `${doc.name.replace(/[^\w.-]+/g, '-') || 'dashboard'}.json`, class: 'button secondary' }, 'Download JSON');
    openDialog('Export dashboard', h('div', null, h('p', null, 'The whole dashboard as one JSON document. Import it on the Dashboards page, here or on another hookline.'), area), [link]);
    area.focus();
    area.select();
  }

  const empty = h('div', { class: 'card empty-dash', hidden: true }, h('p', null, 'This dashboard has no panels yet.'), button('Add a panel', () => addPanel(), { class: 'primary' }));
  const el = h(
    'section',
    { class: 'page dashboard', 'data-testid': 'dashboard' },
    h('div', { class: 'page-head dash-head' }, h('a', { href: '/dashboards', 'data-link': true, class: 'muted' }, 'Dashboards'), h('span', { class: 'muted' }, '/'), title, nameInput, h('div', { class: 'spacer' }), varsBtn, addBtn, editBtn, exportBtn, saveBtn),
    h('div', { class: 'dash-bar' }, vars.el, picker.el),
    status,
    empty,
    grid.el,
  );

  picker.set(time, doc.refresh ?? '', live);
  setEditing(editing);
  build();
  dirty();
  schedule();
  // With every variable's value known, the pickers' choices are asked for after
  // the panels' first answers: the panels come first on a busy server.
  const loadPickers = () => (varsReady = vars.load(doc.variables ?? [], values, defaultBucket, range()));
  if ((doc.variables ?? []).some((v) => values[v.name] === undefined)) {
    loadPickers();
    void refreshAll();
  } else {
    vars.placeholders(doc.variables ?? [], values);
    void refreshAll().then(loadPickers);
  }

  return {
    el,
    title: doc.name,
    destroy() {
      destroyed = true;
      delete document.documentElement.dataset.theme;
      generation?.abort();
      if (refreshTimer) clearInterval(refreshTimer);
      for (const v of views) v.destroy();
    },
  };
}
