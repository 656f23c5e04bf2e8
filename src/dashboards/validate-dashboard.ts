// The checks a dashboard document passes before it is stored. Only what
// hookline itself reads is checked (name, time, refresh, variables, panels'
// type, gridPos and queries); every other field, and every field of a panel
// pasted from Grafana, is kept as sent: import/export is the document itself.
//
// Shapes follow Grafana's dashboard JSON model
// (grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/):
// `gridPos` {x, y, w, h} on a 24-column grid, `time` {from, to} with relative
// ("now-6h") or absolute times, `refresh` a duration such as "10s". A query
// is shaped like the checks API's: {language, bucket, query}.

import { hooklineError, type HooklineError } from '../core/errors.ts';

/** Grafana's grid has 24 columns (gridPos.w 1-24, x 0-23). */
export const GRID_COLUMNS = 24;
export const QUERY_LANGUAGES = ['influxql', 'sql', 'opentsdb'] as const;
/** Panel kinds the explorer draws; other Grafana types are kept and shown as "not supported". */
export const PANEL_TYPES = ['timeseries', 'stat', 'gauge', 'table', 'barchart', 'events'] as const;
/** A variable's name as used in `$name` / `${name}` (Grafana allows letters, digits and _). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type DashboardDoc = Record<string, unknown> & { name: string };

function invalid(field: string, message: string): HooklineError {
  return hooklineError('DASHBOARD_INVALID', `${field}: ${message}`, { data: { field } });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function optionalString(o: Record<string, unknown>, key: string, path: string, max = 10_000): void {
  const v = o[key];
  if (v !== undefined && (typeof v !== 'string' || v.length > max)) throw invalid(`${path}${key}`, `must be a string of at most ${max} characters`);
}

function checkQuery(q: unknown, path: string): void {
  if (!isObject(q)) throw invalid(path, 'must be an object {"language","bucket","query"}');
  if (!QUERY_LANGUAGES.includes(q.language as (typeof QUERY_LANGUAGES)[number])) throw invalid(`${path}.language`, `must be one of ${QUERY_LANGUAGES.join(', ')}`);
  if (typeof q.query !== 'string') throw invalid(`${path}.query`, 'must be a string');
  optionalString(q, 'bucket', `${path}.`, 1000);
}

function checkGridPos(g: unknown, path: string): void {
  if (!isObject(g)) throw invalid(path, 'must be an object {"x","y","w","h"}');
  for (const k of ['x', 'y', 'w', 'h'] as const) {
    if (!Number.isInteger(g[k]) || (g[k] as number) < 0) throw invalid(`${path}.${k}`, 'must be a whole number, 0 or more');
  }
  const { x, w, h } = g as { x: number; w: number; h: number };
  if (w < 1 || w > GRID_COLUMNS) throw invalid(`${path}.w`, `must be 1 to ${GRID_COLUMNS} (the grid has ${GRID_COLUMNS} columns)`);
  if (x + w > GRID_COLUMNS) throw invalid(`${path}.x`, `x + w must be at most ${GRID_COLUMNS}`);
  if (h < 1 || h > 1000) throw invalid(`${path}.h`, 'must be 1 to 1000');
}

/** Throws HL_DASHBOARD_INVALID naming the field at fault; returns the document unchanged. */
export function validateDashboard(doc: unknown): DashboardDoc {
  if (!isObject(doc)) throw invalid('(body)', 'a dashboard is a JSON object');
  if (typeof doc.name !== 'string' || doc.name.trim() === '' || doc.name.length > 200) throw invalid('name', 'must be a non-empty string of at most 200 characters');
  if (doc.time !== undefined) {
    if (!isObject(doc.time) || typeof doc.time.from !== 'string' || typeof doc.time.to !== 'string') throw invalid('time', 'must be {"from","to"} with times such as "now-1h" or RFC 3339');
  }
  if (doc.refresh !== undefined && doc.refresh !== '' && doc.refresh !== false && (typeof doc.refresh !== 'string' || !/^\d+(ms|s|m|h|d)$/.test(doc.refresh))) {
    throw invalid('refresh', 'must be a duration such as "10s", "1m", or "" for none');
  }
  if (doc.variables !== undefined) {
    if (!Array.isArray(doc.variables)) throw invalid('variables', 'must be an array');
    const names = new Set<string>();
    doc.variables.forEach((v, i) => {
      const p = `variables[${i}]`;
      if (!isObject(v)) throw invalid(p, 'must be an object');
      if (typeof v.name !== 'string' || !VARIABLE_NAME.test(v.name)) throw invalid(`${p}.name`, 'must be letters, digits and _ (used as $name in queries)');
      if (names.has(v.name)) throw invalid(`${p}.name`, `"${v.name}" is already a variable of this dashboard`);
      names.add(v.name);
      if (v.type === 'query' || v.query !== undefined) checkQuery({ language: v.language ?? 'influxql', ...v }, p);
    });
  }
  if (doc.panels !== undefined) {
    if (!Array.isArray(doc.panels)) throw invalid('panels', 'must be an array');
    doc.panels.forEach((panel, i) => {
      const p = `panels[${i}]`;
      if (!isObject(panel)) throw invalid(p, 'must be an object');
      if (typeof panel.type !== 'string' || panel.type === '') throw invalid(`${p}.type`, `must be a panel type: ${PANEL_TYPES.join(', ')}`);
      optionalString(panel, 'title', `${p}.`, 500);
      if (panel.gridPos !== undefined) checkGridPos(panel.gridPos, `${p}.gridPos`);
      if (panel.queries !== undefined) {
        if (!Array.isArray(panel.queries)) throw invalid(`${p}.queries`, 'must be an array');
        panel.queries.forEach((q, j) => checkQuery(q, `${p}.queries[${j}]`));
      }
    });
  }
  return doc as DashboardDoc;
}
