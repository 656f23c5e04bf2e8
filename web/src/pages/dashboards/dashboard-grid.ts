// The panel grid: Grafana's 24 columns, 30 px rows and 8 px gaps; in edit
// mode a panel moves by its title bar and resizes by its corner (pointer
// events with pointer capture, so mouse, pen and touch all work). On a narrow
// screen the panels stack in reading order (CSS; see dashboards.css).

import type { GridPos } from '../../lib/dashboard-model.ts';
import { COLUMNS, MARGIN, place, ROW_HEIGHT } from '../../lib/grid-layout.ts';
import { h } from '../../ui/dom.ts';

export interface GridItem {
  el: HTMLElement;
  handle: HTMLElement;
  corner: HTMLElement;
  resize(): void;
}

export interface DashboardGrid {
  el: HTMLElement;
  /** Items in document order with their positions; the grid keeps no other state. */
  render(items: GridItem[], layout: GridPos[]): void;
  setEditing(on: boolean): void;
}

export function createGrid(onLayout: (layout: GridPos[]) => void): DashboardGrid {
  const el = h('div', { class: 'dash-grid', 'data-testid': 'dash-grid' });
  const ghost = h('div', { class: 'dash-ghost', hidden: true });
  let items: GridItem[] = [];
  let layout: GridPos[] = [];
  let editing = false;

  const colWidth = () => (el.clientWidth - MARGIN * (COLUMNS - 1)) / COLUMNS;
  const px = (p: GridPos) => ({
    left: p.x * (colWidth() + MARGIN),
    top: p.y * (ROW_HEIGHT + MARGIN),
    width: p.w * colWidth() + (p.w - 1) * MARGIN,
    height: p.h * ROW_HEIGHT + (p.h - 1) * MARGIN,
  });

  function position(target: HTMLElement, p: GridPos): void {
    const r = px(p);
    target.style.left = `${r.left}px`;
    target.style.top = `${r.top}px`;
    target.style.width = `${r.width}px`;
    target.style.height = `${r.height}px`;
  }

  function apply(): void {
    const bottom = layout.reduce((m, p) => Math.max(m, p.y + p.h), 0);
    el.style.setProperty('--grid-height', `${bottom * (ROW_HEIGHT + MARGIN)}px`);
    items.forEach((it, i) => {
      position(it.el, layout[i]);
      // Reading order on a phone follows the layout (top to bottom, left to right).
      it.el.style.order = String(layout[i].y * COLUMNS + layout[i].x);
      it.el.dataset.grid = `${layout[i].x},${layout[i].y},${layout[i].w},${layout[i].h}`;
    });
    requestAnimationFrame(() => items.forEach((it) => it.resize()));
  }

  function drag(i: number, mode: 'move' | 'resize', e: PointerEvent): void {
    if (!editing || e.button !== 0 || (e.target as Element).closest('button')) return;
    e.preventDefault();
    const src = e.currentTarget as HTMLElement;
    src.setPointerCapture(e.pointerId);
    const start = { x: e.clientX, y: e.clientY };
    const orig = { ...layout[i] };
    const cw = colWidth() + MARGIN;
    const rh = ROW_HEIGHT + MARGIN;
    let target = orig;
    ghost.hidden = false;
    position(ghost, orig);
    items[i].el.classList.add('dragging');
    const move = (ev: PointerEvent) => {
      const dx = Math.round((ev.clientX - start.x) / cw);
      const dy = Math.round((ev.clientY - start.y) / rh);
      target = mode === 'move' ? { ...orig, x: orig.x + dx, y: orig.y + dy } : { ...orig, w: orig.w + dx, h: orig.h + dy };
      const next = place(layout, i, target);
      target = next[i];
      position(ghost, target);
      // The dragged panel follows the pointer; the others show where they will go.
      const r = px(orig);
      const p = items[i].el;
      if (mode === 'move') {
        p.style.left = `${r.left + ev.clientX - start.x}px`;
        p.style.top = `${r.top + ev.clientY - start.y}px`;
      } else {
        p.style.width = `${Math.max(60, r.width + ev.clientX - start.x)}px`;
        p.style.height = `${Math.max(40, r.height + ev.clientY - start.y)}px`;
      }
      items.forEach((it, j) => j !== i && position(it.el, next[j]));
    };
    const up = () => {
      src.removeEventListener('pointermove', move);
      src.removeEventListener('pointerup', up);
      src.removeEventListener('pointercancel', up);
      ghost.hidden = true;
      items[i].el.classList.remove('dragging');
      layout = place(layout, i, target);
      apply();
      onLayout(layout);
    };
    src.addEventListener('pointermove', move);
    src.addEventListener('pointerup', up);
    src.addEventListener('pointercancel', up);
  }

  const observer = new ResizeObserver(() => apply());
  observer.observe(el);

  return {
    el,
    render(next, pos) {
      items = next;
      layout = pos.map((p) => ({ ...p }));
      el.replaceChildren(ghost, ...items.map((it) => it.el));
      items.forEach((it, i) => {
        it.handle.onpointerdown = (e) => drag(i, 'move', e);
        it.corner.onpointerdown = (e) => drag(i, 'resize', e);
      });
      apply();
    },
    setEditing(on) {
      editing = on;
      el.classList.toggle('editing', on);
    },
  };
}
