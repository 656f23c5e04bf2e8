// The dashboard document (docs/dashboards.md), in Grafana's words where
// Grafana has one: `panels[].type` (timeseries, stat, gauge, table,
// barchart), `gridPos` on a 24-column grid, `fieldConfig.defaults` for unit,
// decimals, min/max and thresholds, `time` {from, to}, `refresh`
// (grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/).
// Queries are shaped like the checks API's: {language, bucket, query}.

import type { PanelLanguage } from './dashboard-vars.ts';

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PanelQuery {
  language: PanelLanguage;
  bucket?: string;
  query: string;
  /** Timeseries: draw this query's series against the right-hand axis. */
  axis?: 'left' | 'right';
  [k: string]: unknown;
}

export interface ThresholdStep {
  color: string;
  /** null: the base step (Grafana's "Base"). */
  value: number | null;
}

export interface FieldDefaults {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: { mode?: 'absolute'; steps: ThresholdStep[] };
  custom?: { drawStyle?: 'line' | 'points' | 'bars'; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Panel {
  id?: number;
  title?: string;
  type: string;
  gridPos?: GridPos;
  queries?: PanelQuery[];
  fieldConfig?: { defaults?: FieldDefaults; [k: string]: unknown };
  /** Event panels: `prefix` of event names ("hook-", "alert/"), `device`; panels of other kinds keep Grafana's options. */
  options?: { prefix?: string; device?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Variable {
  name: string;
  type?: 'query' | 'custom' | 'textbox';
  label?: string;
  language?: PanelLanguage;
  bucket?: string;
  query?: string;
  current?: string;
  [k: string]: unknown;
}

export interface Dashboard {
  id?: string;
  createdAt?: string;
  updatedAt?: string;
  name: string;
  time?: { from: string; to: string };
  refresh?: string;
  variables?: Variable[];
  panels?: Panel[];
  [k: string]: unknown;
}

export const PANEL_KINDS: ReadonlyArray<{ type: string; label: string }> = [
  { type: 'timeseries', label: 'Time series' },
  { type: 'stat', label: 'Stat' },
  { type: 'gauge', label: 'Gauge' },
  { type: 'table', label: 'Table' },
  { type: 'barchart', label: 'Bar chart (by tag)' },
  { type: 'events', label: 'Event list' },
];

/** Grafana's named colours, as its default theme draws them. */
const NAMED: Record<string, string> = {
  green: '#73bf69',
  'dark-green': '#37872d',
  red: '#f2495c',
  'dark-red': '#c4162a',
  orange: '#ff9830',
  yellow: '#fade2a',
  blue: '#5794f2',
  purple: '#b877d9',
  text: 'currentColor',
};

export function colorOf(name: string): string {
  return NAMED[name] ?? name;
}

/** The colour of the highest threshold step at or below `v` (Grafana's absolute thresholds). */
export function thresholdColor(steps: ThresholdStep[] | undefined, v: number | null | undefined): string | undefined {
  if (!steps?.length || v === null || v === undefined) return undefined;
  let color: string | undefined;
  for (const s of steps) if (s.value === null || v >= s.value) color = s.color;
  return color ? colorOf(color) : undefined;
}

/** "80:orange, 90:red" (base green) <-> threshold steps, for the panel editor. */
export function parseThresholds(text: string): ThresholdStep[] | undefined {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  const steps: ThresholdStep[] = [{ color: 'green', value: null }];
  for (const p of parts) {
    const m = /^(-?\d+(?:\.\d+)?)\s*:\s*([#\w-]+)$/.exec(p);
    if (!m) continue;
    steps.push({ value: Number(m[1]), color: m[2] });
  }
  return steps.length > 1 ? steps : undefined;
}

export function formatThresholds(steps: ThresholdStep[] | undefined): string {
  return (steps ?? []).filter((s) => s.value !== null).map((s) => `${s.value}:${s.color}`).join(', ');
}
