// Panel layout on Grafana's 24-column grid (gridPos {x, y, w, h}; a row unit
// is 30 px high, GRID_CELL_HEIGHT in Grafana's public/app/core/constants.ts).
// Like Grafana's react-grid-layout, panels fall upward into free space
// (vertical compaction) and a moved panel pushes the ones it lands on down.

import type { GridPos } from './dashboard-model.ts';

export const COLUMNS = 24;
export const ROW_HEIGHT = 30;
export const MARGIN = 8;

export function collides(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function clampPos(p: GridPos): GridPos {
  const w = Math.min(COLUMNS, Math.max(1, Math.round(p.w)));
  const h = Math.max(1, Math.round(p.h));
  const x = Math.min(COLUMNS - w, Math.max(0, Math.round(p.x)));
  const y = Math.max(0, Math.round(p.y));
  return { x, y, w, h };
}

/** Every panel moved up as far as it goes, top to bottom (stable for equal rows). */
export function compact(layout: GridPos[], pinned = -1): GridPos[] {
  const out = layout.map((p) => ({ ...p }));
  const order = out.map((_, i) => i).sort((a, b) => (a === pinned ? -1 : b === pinned ? 1 : out[a].y - out[b].y || out[a].x - out[b].x));
  const placed: number[] = [];
  for (const i of order) {
    const p = out[i];
    if (i !== pinned) {
      while (p.y > 0 && !placed.some((j) => collides({ ...p, y: p.y - 1 }, out[j]))) p.y--;
    }
    while (placed.some((j) => collides(p, out[j]))) p.y++;
    placed.push(i);
  }
  return out;
}

/** The layout with panel `index` at `pos`: it keeps its place, the others make room and compact. */
export function place(layout: GridPos[], index: number, pos: GridPos): GridPos[] {
  const next = layout.map((p, i) => (i === index ? clampPos(pos) : { ...p }));
  return compact(next, index);
}

/** Where a new panel of w x h goes: the first free row at the bottom. */
export function nextFree(layout: GridPos[], w = 12, h = 8): GridPos {
  const bottom = layout.reduce((m, p) => Math.max(m, p.y + p.h), 0);
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + w <= COLUMNS; x++) {
      const c = { x, y, w, h };
      if (!layout.some((p) => collides(c, p))) return c;
    }
  }
  return { x: 0, y: bottom, w, h };
}
