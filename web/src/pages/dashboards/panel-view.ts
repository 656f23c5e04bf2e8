// One panel: its frame (title, state, the edit buttons), and the body its
// type draws. A failed query shows in its own panel only; the others go on.

import { checkThresholds, type CheckLike } from '../../lib/check-thresholds.ts';
import type { Panel } from '../../lib/dashboard-model.ts';
import { interpolate, type VarContext } from '../../lib/dashboard-vars.ts';
import { button, h } from '../../ui/dom.ts';
import { createTableView } from '../explore/table-view.ts';
import { runPanel } from './panel-data.ts';
import { createEventsPanel, type EventsPanel } from './panel-events.ts';
import { renderBarchart, renderGauge, renderStat } from './panel-stat.ts';
import { createTimeseries, type PanelCheckLine, type TimeseriesView } from './panel-timeseries.ts';

export interface PanelActions {
  onZoom(fromMs: number, toMs: number): void;
  onEdit(): void;
  onDuplicate(): void;
  onRemove(): void;
}

export interface PanelView {
  el: HTMLElement;
  /** The drag handle (the title bar) and the resize corner, for the grid. */
  handle: HTMLElement;
  corner: HTMLElement;
  refresh(vars: Omit<VarContext, 'language'>, defaultBucket: string, signal: AbortSignal): Promise<void>;
  setLive(on: boolean): void;
  resize(): void;
  destroy(): void;
}

/** The levels of the alert checks watching any of the panel's queries, once each, on that query's axis. */
function panelCheckLines(p: Panel, checks: readonly CheckLike[], defaultBucket: string): PanelCheckLine[] {
  const out: PanelCheckLine[] = [];
  const seen = new Set<string>();
  for (const q of p.queries ?? []) {
    for (const l of checkThresholds(checks, { bucket: q.bucket || defaultBucket, language: q.language, query: q.query })) {
      const k = JSON.stringify([l.check, l.level, l.text]);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...l, scale: q.axis === 'right' ? 'y2' : 'y' });
    }
  }
  return out;
}

export function createPanelView(panel: () => Panel, actions: PanelActions, checks: readonly CheckLike[] = []): PanelView {
  const title = h('h2', { class: 'panel-title' });
  const state = h('span', { class: 'panel-state', 'aria-live': 'polite' });
  const tools = h(
    'span',
    { class: 'panel-tools' },
    button('Edit', () => actions.onEdit(), { class: 'small secondary', 'data-testid': 'panel-edit' }),
    button('Duplicate', () => actions.onDuplicate(), { class: 'small secondary', 'data-testid': 'panel-duplicate' }),
    button('Remove', () => actions.onRemove(), { class: 'small secondary', 'data-testid': 'panel-remove' }),
  );
  const handle = h('header', { class: 'panel-head' }, title, state, tools);
  const body = h('div', { class: 'panel-body' });
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true, 'data-testid': 'panel-error' });
  const corner = h('span', { class: 'panel-resize', title: 'Drag to resize', 'aria-hidden': 'true' });
  const el = h('article', { class: 'panel', 'data-testid': 'panel' }, handle, error, body, corner);
  let ts: TimeseriesView | undefined;
  let events: EventsPanel | undefined;
  let table: ReturnType<typeof createTableView> | undefined;
  let kind = '';
  let live = false;

  function setKind(): void {
    const p = panel();
    title.textContent = p.title || 'Untitled';
    el.dataset.type = p.type;
    if (kind === p.type) return;
    ts?.destroy();
    events?.destroy();
    ts = undefined;
    events = undefined;
    table = undefined;
    kind = p.type;
    body.replaceChildren();
    if (p.type === 'timeseries') {
      ts = createTimeseries(panel, actions.onZoom);
      body.append(ts.el);
    } else if (p.type === 'events') {
      events = createEventsPanel(panel, (m) => showError(m));
      body.append(events.el);
      events.live(live);
    } else if (p.type === 'table') {
      table = createTableView();
      body.append(table.el);
    }
  }

  function showError(message: string | undefined): void {
    error.hidden = !message;
    error.textContent = message ?? '';
    el.classList.toggle('failed', Boolean(message));
  }

  return {
    el,
    handle,
    corner,
    async refresh(vars, defaultBucket, signal) {
      setKind();
      const p = panel();
      // Titles take variables too ("count of $device"), as Grafana's do.
      title.textContent = p.title ? interpolate(p.title, { ...vars, language: 'opentsdb' }) : 'Untitled';
      el.setAttribute('aria-busy', 'true');
      state.textContent = '';
      try {
        if (p.type === 'events') {
          await events!.load(signal);
        } else if (!p.queries?.length) {
          body.replaceChildren(h('p', { class: 'panel-empty' }, 'No query yet: edit the panel to add one.'));
          kind = '';
        } else {
          const r = await runPanel(p.queries, vars, defaultBucket, signal);
          if (signal.aborted) return;
          if (p.type === 'timeseries') ts!.update(r, vars.fromMs, vars.toMs, panelCheckLines(p, checks, defaultBucket));
          else if (p.type === 'table') table!.update(r.table, r.epochTime);
          else if (p.type === 'stat') body.replaceChildren(renderStat(p, r));
          else if (p.type === 'gauge') body.replaceChildren(renderGauge(p, r));
          else if (p.type === 'barchart') body.replaceChildren(renderBarchart(p, r));
          else body.replaceChildren(h('p', { class: 'panel-empty' }, `Panel type "${p.type}" is kept as imported but not drawn by hookline.`));
          state.textContent = r.warnings.length ? '⚠' : '';
          state.title = r.warnings.join('\n');
          if (p.type === 'timeseries' && r.series.length === 0) state.textContent = 'No data';
        }
        showError(undefined);
        el.dataset.state = 'ok';
      } catch (e) {
        if (signal.aborted) return;
        showError((e as Error).message);
        el.dataset.state = 'error';
      } finally {
        if (!signal.aborted) el.removeAttribute('aria-busy');
      }
    },
    setLive(on) {
      live = on;
      events?.live(on);
    },
    resize() {
      ts?.resize();
    },
    destroy() {
      ts?.destroy();
      events?.destroy();
    },
  };
}
