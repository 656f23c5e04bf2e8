// The data explorer: builder on the side, time controls, the chart or table,
// and the query itself. State is kept in the address bar (explore-url.ts).

import { listChecks } from '../../api/checks.ts';
import { listBuckets } from '../../api/influx.ts';
import { hasInfluxQl, runQuery, type QueryAnswer } from '../../api/query.ts';
import { measurementSchema, measurements, tagValues } from '../../api/schema.ts';
import { buildInfluxQl } from '../../lib/build-influxql.ts';
import { buildSql } from '../../lib/build-sql.ts';
import { checkThresholds } from '../../lib/check-thresholds.ts';
import { csvFileName, toCsv } from '../../lib/csv.ts';
import { isRunnable, type ExploreSpec, type QueryLanguage } from '../../lib/explore-spec.ts';
import { stateFromQuery, stateToQuery } from '../../lib/explore-url.ts';
import { autoInterval, formatDuration } from '../../lib/interval.ts';
import { describeRange, resolveRange } from '../../lib/time-range.ts';
import type { Page, RouteContext } from '../../router.ts';
import { button, h } from '../../ui/dom.ts';
import { createTabs } from '../../ui/tabs.ts';
import { createBuilder, type BuilderData } from './builder.ts';
import { createChartView } from './chart-view.ts';
import { createQueryEditor } from './query-editor.ts';
import { createTableView } from './table-view.ts';
import { createTimeControls } from './time-controls.ts';
import { createDashboard } from '../../api/dashboards.ts';
import { dashboardFromQuery } from '../../lib/dashboard-from-query.ts';

export async function explorePage(ctx: RouteContext): Promise<Page> {
  const state = stateFromQuery(location.search);
  const influxQl = await hasInfluxQl();
  if (!state.language || (state.language === 'influxql' && !influxQl)) state.language = influxQl ? 'influxql' : 'sql';
  // The org's alert checks, once: the chart draws the levels of those watching the query. None without read on checks.
  const [buckets, checks] = await Promise.all([listBuckets(), listChecks().catch(() => [])]);
  const data: BuilderData = { buckets };
  if (!buckets.some((b) => b.name === state.spec.bucket)) state.spec.bucket = buckets[0]?.name ?? '';

  let destroyed = false;
  let inFlight: AbortController | undefined;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let runTimer: ReturnType<typeof setTimeout> | undefined;
  let lastAnswer: QueryAnswer | undefined;

  const status = h('p', { class: 'status-line', role: 'status', 'data-testid': 'status' });
  const warnings = h('div');
  const chart = createChartView((fromMs, toMs) => {
    state.spec = { ...state.spec, range: { kind: 'absolute', fromMs, toMs } };
    time.set(state.spec.range, state.refreshMs);
    changed(true);
  });
  const table = createTableView();
  const download = button('Download CSV', () => {
    if (!lastAnswer) return;
    const blob = new Blob([toCsv(lastAnswer.table, { epochTime: lastAnswer.epochTime })], { type: 'text/csv;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: csvFileName(state.spec.measurement, Date.now()) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }, { class: 'secondary', disabled: true, 'data-testid': 'download-csv' });
  // The query as it runs now, made the first panel of a new dashboard (its time range and window become $timeFilter / $__interval).
  const toDashboard = button('Create a dashboard from this query', async () => {
    const query = state.customQuery?.trim() || generated(state.spec);
    if (!query) return;
    try {
      const d = await createDashboard(
        dashboardFromQuery({ name: state.spec.measurement || 'New dashboard', language: state.language!, bucket: state.spec.bucket, query, range: state.spec.range, autoWindow: state.spec.window === 'auto' }),
      );
      ctx.navigate(`/dashboards/${encodeURIComponent(d.id!)}`);
    } catch (e) {
      status.textContent = `Could not create the dashboard: ${(e as Error).message}`;
      status.classList.add('error');
    }
  }, { class: 'secondary', 'data-testid': 'to-dashboard' });
  const tabs = createTabs(
    'Result view',
    [
      { key: 'chart', label: 'Chart', panel: chart.el },
      { key: 'table', label: 'Table', panel: table.el },
    ],
    (key) => {
      state.view = key as 'chart' | 'table';
      syncUrl();
    },
  );

  const builder = createBuilder({
    onChange(spec, what) {
      // The builder owns what it shows, not the time range: its copy of the spec
      // can be older than a range picked since (a bucket change then brought the
      // old range back into the URL and the query, but not into the dropdown).
      state.spec = { ...spec, range: state.spec.range };
      if (what === 'bucket') void loadMeasurements().then(() => loadSchema());
      else if (what === 'measurement') void loadSchema();
      else changed(true);
      renderBuilder();
    },
    loadTagValues: (key) => tagValues(state.spec.bucket, state.spec.measurement, key),
  });

  const time = createTimeControls({
    onRange(r) {
      state.spec = { ...state.spec, range: r };
      changed(false);
    },
    onRefresh(ms) {
      state.refreshMs = ms;
      scheduleRefresh();
      syncUrl();
    },
    onRun: () => void run(),
  });

  const editor = createQueryEditor({
    influxQlAvailable: influxQl,
    onEdit(text) {
      state.customQuery = text;
      syncUrl();
      editor.set(text, state.language!, true);
    },
    onLanguage(l: QueryLanguage) {
      state.language = l;
      if (state.customQuery) state.customQuery = undefined;
      changed(false);
    },
    onRun: () => void run(),
    onReset() {
      state.customQuery = undefined;
      changed(false);
    },
  });

  function currentWindow() {
    const { fromMs, toMs } = resolveRange(state.spec.range, Date.now());
    const width = chart.el.clientWidth || 1000;
    const auto = autoInterval({ fromMs, toMs, maxDataPoints: width });
    return { fromMs, toMs, intervalMs: state.spec.window === 'auto' ? auto : state.spec.window, autoMs: auto };
  }

  function generated(spec: ExploreSpec): string {
    if (!isRunnable(spec)) return '';
    const w = currentWindow();
    return state.language === 'influxql' ? buildInfluxQl(spec, w) : buildSql(spec, w);
  }

  function syncUrl(): void {
    const q = stateToQuery(state);
    if (location.pathname === '/explore' && location.search !== `?${q}`) history.replaceState(null, '', `/explore?${q}`);
  }

  function renderBuilder(): void {
    data.autoWindowMs = currentWindow().autoMs;
    builder.render(state.spec, data);
  }

  /** Something changed: show the new query, then run it shortly (typing several changes runs once). */
  function changed(rerenderBuilder: boolean): void {
    syncUrl();
    // The range dropdown, the URL and the query are written from one state, together.
    time.set(state.spec.range, state.refreshMs);
    if (rerenderBuilder) renderBuilder();
    else data.autoWindowMs = currentWindow().autoMs;
    editor.set(state.customQuery ?? generated(state.spec), state.language!, Boolean(state.customQuery));
    if (runTimer) clearTimeout(runTimer);
    runTimer = setTimeout(() => void run(), 150);
  }

  async function loadMeasurements(): Promise<void> {
    data.measurements = undefined;
    data.schema = undefined;
    try {
      data.measurements = await measurements(state.spec.bucket);
    } catch {
      data.measurements = undefined;
    }
    if (!state.spec.measurement && data.measurements?.length) state.spec = { ...state.spec, measurement: data.measurements[0] };
  }

  async function loadSchema(): Promise<void> {
    data.schema = undefined;
    data.schemaError = undefined;
    renderBuilder();
    if (!state.spec.measurement) return changed(true);
    const m = state.spec.measurement;
    try {
      const schema = await measurementSchema(state.spec.bucket, m);
      if (destroyed || m !== state.spec.measurement) return;
      data.schema = schema;
      // A fresh measurement starts with its first field, one series per tag set
      // (what InfluxDB's Data Explorer shows before any choice).
      if (state.spec.fields.length === 0 && schema.fields.length > 0) {
        const numeric = schema.fields.find((f) => f.type !== 'string') ?? schema.fields[0];
        state.spec = { ...state.spec, fields: [numeric.name], groupBy: state.spec.groupBy.length ? state.spec.groupBy : schema.tagKeys.slice(0, 3) };
      }
    } catch (e) {
      data.schemaError = `Could not read the measurement: ${(e as Error).message}`;
    }
    changed(true);
  }

  async function run(): Promise<void> {
    if (destroyed) return;
    if (runTimer) clearTimeout(runTimer);
    const custom = state.customQuery?.trim();
    if (!custom && !isRunnable(state.spec)) {
      status.textContent = state.spec.measurement ? 'Choose at least one field.' : 'Choose a measurement.';
      chart.update([], currentWindow());
      return;
    }
    inFlight?.abort();
    const abort = new AbortController();
    inFlight = abort;
    const w = currentWindow();
    const q = custom || generated(state.spec);
    editor.set(q, state.language!, Boolean(custom));
    status.textContent = 'Running…';
    status.classList.remove('error');
    try {
      const answer = await runQuery(state.language!, state.spec.bucket, q, state.spec.measurement, abort.signal);
      if (abort.signal.aborted || destroyed) return;
      lastAnswer = answer;
      // The axis spans the range the query asked for, not the points it found.
      const fields = state.spec.fields.join(', ');
      const yLabel = custom ? undefined : state.spec.aggregate === 'none' ? fields : `${state.spec.aggregate} of ${fields} per ${formatDuration(w.intervalMs)}`;
      const checkLines = checkThresholds(checks, { bucket: state.spec.bucket, language: state.language!, query: q });
      chart.update(answer.series, { ...w, yLabel, checkLines });
      chart.el.dataset.language = answer.language;
      table.update(answer.table, answer.epochTime);
      download.disabled = answer.table.rows.length === 0;
      const win = custom || state.spec.aggregate === 'none' ? '' : ` · window ${formatDuration(w.intervalMs)}`;
      status.textContent = `${answer.series.length} series · ${answer.points.toLocaleString()} rows · ${Math.round(answer.elapsedMs)} ms${win} · ${describeRange(state.spec.range)}`;
      warnings.replaceChildren(...answer.warnings.map((t) => h('p', { class: 'msg msg-info' }, t)));
    } catch (e) {
      if (abort.signal.aborted || destroyed) return;
      status.textContent = `Query failed: ${(e as Error).message}`;
      status.classList.add('error');
    } finally {
      if (inFlight === abort) inFlight = undefined;
    }
  }

  function scheduleRefresh(): void {
    if (refreshTimer) clearInterval(refreshTimer);
    refreshTimer = undefined;
    if (state.refreshMs > 0) {
      refreshTimer = setInterval(() => {
        // A hidden tab does not query; a slow query is not stacked on.
        if (!document.hidden && !inFlight) void run();
      }, state.refreshMs);
    }
  }

  // On a phone the builder would push the chart a screen down: there it starts folded.
  const builderBox = h('details', { class: 'builder-box', open: !matchMedia('(max-width: 900px)').matches }, h('summary', null, 'Query builder'), builder.el);
  const el = h(
    'section',
    { class: 'page explore' },
    h('div', { class: 'page-head' }, h('h1', null, 'Explore'), h('span', { class: 'muted' }, influxQl ? 'InfluxQL and SQL' : 'SQL (InfluxQL not available on this server)')),
    h(
      'div',
      { class: 'explore-grid' },
      builderBox,
      h(
        'div',
        { class: 'results' },
        time.el,
        h('div', { class: 'result-bar' }, tabs.el, h('div', { class: 'spacer' }), toDashboard, download),
        status,
        warnings,
        chart.el,
        table.el,
        editor.el,
      ),
    ),
  );

  time.set(state.spec.range, state.refreshMs);
  tabs.select(state.view);
  if (buckets.length === 0) status.textContent = 'No bucket is readable with this token.';
  renderBuilder();
  void (async () => {
    await loadMeasurements();
    await loadSchema();
    scheduleRefresh();
  })();

  return {
    el,
    title: 'Explore',
    destroy() {
      destroyed = true;
      inFlight?.abort();
      if (refreshTimer) clearInterval(refreshTimer);
      if (runTimer) clearTimeout(runTimer);
      chart.destroy();
    },
  };
}
