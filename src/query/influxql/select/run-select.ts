// Runs a SELECT: resolves FROM (measurements, regexes, subqueries), compiles
// the fields, runs one SQL statement per relation on a DuckDB connection
// inside a SqlSource snapshot (so files stay put and memtables are visible), and merges
// the series in InfluxDB's order (measurement, then tag set).

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Expr, MeasurementSource, SelectStatement } from '../ast.ts';
import { intersect, QueryError, referencedKeys, splitCondition, type TimeRange } from '../condition.ts';
import type { SqlSnapshot } from '../../../core/ports/sql-source.ts';
import { refOf, sameMeasurement, type StoredMeasurement, type StoreView } from '../../store-view.ts';
import { storedRel, type SnapshotHolder } from './stored-relation.ts';
import { toCell, type Cell } from '../../sql/result-values.ts';
import { cleanDuckError } from '../../sql/run-sql.ts';
import { compileSelect, parseDimensions, type Compiled } from './analyze.ts';
import type { Schema } from './types.ts';
import { validateCondition, validateSelect } from './validate.ts';
import { assemble, type OutSeries } from './assemble.ts';
import { buildSql, planLeaves } from './build-sql.ts';
import { rollupRows } from './rollup-select.ts';
import { relationsFromRows, unionRels, type Rel } from './relation.ts';
import { windowsFor, type Windows } from './zone.ts';
import type { SelectBudget } from './budget.ts';
import { FieldType } from '../../../core/field-type.ts';

export interface SelectContext {
  store: StoreView;
  now: bigint;
  /** Measurements a FROM source names (throws QueryError for an unknown database or policy). */
  resolve(src: MeasurementSource): StoredMeasurement[];
  /** The statement's limits and running totals (max-select-*), shared with its subqueries. */
  budget: SelectBudget;
  timeoutMs: number;
}

/** What a subquery inherits from its parent (query/compile.go subquery(), query/subquery.go). */
export interface ParentScope {
  range: TimeRange;
  interval?: { every: bigint; offset: bigint };
  /** The parent's GROUP BY tags: the subquery keeps them on its rows. */
  tags: string[];
  /** Names the parent's WHERE compares: kept as tags too, unless the subquery has them as fields. */
  condKeys: string[];
  all: boolean;
  regexes: string[];
}

export interface SelectResult {
  columns: string[];
  series: OutSeries[];
  tz?: string;
}

async function runSql(conn: DuckDBConnection, sql: string, timeoutMs: number, budget?: SelectBudget): Promise<Cell[][]> {
  const timer = setTimeout(() => conn.interrupt(), timeoutMs);
  let result;
  try {
    // Materialized in DuckDB; converted to JS below one chunk (2048 rows) at a time.
    result = await conn.run(sql);
  } catch (e) {
    const msg = (e as Error).message;
    if (/interrupt/i.test(msg)) throw new QueryError(`query exceeded ${timeoutMs} ms`);
    throw new QueryError(cleanDuckError(msg));
  } finally {
    clearTimeout(timer);
  }
  // DuckDB's values to cells, in slices (time-slice.ts): 100 000 rows take
  // longer than a slice may hold the event loop.
  const out: Cell[][] = [];
  const sl = budget?.slicer;
  for (let c = 0; c < result.chunkCount; c++) {
    for (const r of result.getChunk(c).getRows()) {
      if (sl?.due()) await sl.next();
      out.push(r.map(toCell));
    }
  }
  return out;
}

function extraIntervals(exprs: Expr[]): number {
  let n = 0;
  const walk = (e: Expr) => {
    if (e.kind === 'call') {
      if (['derivative', 'non_negative_derivative', 'difference', 'non_negative_difference', 'elapsed'].includes(e.name)) n = Math.max(n, 1);
      if (e.name === 'moving_average' && e.args[1]?.kind === 'integer') n = Math.max(n, Number(e.args[1].val) - 1);
      e.args.forEach(walk);
    } else if (e.kind === 'binary') {
      walk(e.lhs);
      walk(e.rhs);
    } else if (e.kind === 'paren') walk(e.expr);
  };
  exprs.forEach(walk);
  return n;
}


export async function runSelect(stmt: SelectStatement, ctx: SelectContext, parent?: ParentScope): Promise<SelectResult> {
  // compile.go preprocess: the condition first (time range out), then the dimensions, then the fields.
  let { range, filter } = splitCondition(stmt.condition, ctx.now);
  validateCondition(filter);
  const own = parseDimensions(stmt, ctx.now);
  validateSelect(stmt, own.interval !== undefined || parent?.interval !== undefined, !own.interval && parent?.interval !== undefined);
  // A subquery reads only the intersection of its time range and its parent's.
  if (parent) range = intersect(range, parent.range);
  if (own.interval && range.max === undefined) range.max = ctx.now;
  // Stored measurements and subqueries become relations.
  const measurements: StoredMeasurement[] = [];
  const subRels: Rel[] = [];
  const scope: ParentScope = {
    range: { ...range },
    interval: own.interval ?? parent?.interval,
    tags: own.tags,
    condKeys: [...referencedKeys(filter)].filter((k) => !own.tags.includes(k)),
    all: own.all,
    regexes: own.regexes,
  };
  for (const src of stmt.sources) {
    if (src.kind === 'subquery') {
      const inner = await runSelect(src.statement, ctx, scope);
      subRels.push(...relationsFromRows(inner.series.map((s) => ({ name: s.name, tags: s.tags ?? {}, columns: inner.columns, rows: s.rows }))));
    } else {
      for (const m of ctx.resolve(src)) if (!measurements.some((x) => sameMeasurement(x, m))) measurements.push(m);
    }
  }
  const byName = new Map<string, Rel[]>();
  const holder: SnapshotHolder = {};
  for (const r of [...measurements.map((m) => storedRel(m, holder)), ...subRels]) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const rels = [...byName.values()].map(unionRels).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const schema: Schema = { fields: new Map(), tags: new Set() };
  for (const r of rels) {
    for (const f of r.fields) if (!schema.fields.has(f.name)) schema.fields.set(f.name, f.type as FieldType);
    for (const t of r.tagKeys) schema.tags.add(t);
  }
  const c = compileSelect(stmt, schema, ctx.now, parent?.interval);
  if (parent) mergeParentDims(c, parent, schema);
  const tz = stmt.location;
  if (c.dims.interval && range.max === undefined) range.max = ctx.now;
  if (c.empty || rels.length === 0 || (range.min !== undefined && range.max !== undefined && range.min > range.max)) return { columns: c.columns, series: [] };
  const plan = planLeaves(c);
  // Transformations over windows see one (moving_average: N-1) window before the range (1.x compile.go).
  let outputMin: bigint | undefined;
  if (c.dims.interval && c.hasTransform && range.min !== undefined) {
    const extra = extraIntervals(c.fields.map((f) => f.expr));
    if (extra > 0) {
      const every = c.dims.interval.every;
      outputMin = range.min;
      range.min = range.min - BigInt(extra) * every;
    }
  }
  const iv = c.dims.interval;
  const hi = range.max ?? ctx.now;
  const windows = iv ? windowsFor(iv.every, iv.offset, tz, range.min ?? hi - 100n * 365n * 86_400_000_000_000n, hi) : undefined;
  // max-select-buckets at compile time, before any SQL runs or anything is
  // allocated (1.x query/compile.go): the windows of one series. Without a
  // lower time bound the first window is the data's, known after the SQL.
  if (iv && windows && range.min !== undefined) ctx.budget.checkWindows(windowCount(windows, iv.every, range.min, hi));
  const pushLimit = !c.aggregate && !c.hasTransform;
  // The SQL returns at most what is left of the budget (+1 to tell "over"),
  // so a query over millions of rows never materialises them in JS.
  const kind = !c.aggregate ? 'points' : iv ? 'windows' : 'series';
  const series: OutSeries[] = [];
  const assembleOptions = () => ({
    range,
    ascending: stmt.sortAscending,
    // A subquery's null fill is none: its empty windows are no rows (compile.go subquery()).
    fill: parent && c.dims.interval && stmt.fill === 'null' ? ('none' as const) : stmt.fill,
    fillValue: stmt.fillValue,
    limit: pushLimit ? 0 : stmt.limit,
    offset: pushLimit ? 0 : stmt.offset,
    budget: ctx.budget,
    windows,
    outputMin: outputMin !== undefined && windows ? windows.start(outputMin) : undefined,
  });
  const run = async (snap: SqlSnapshot) => {
    // Decomposable aggregates over whole minutes come from the rollups when
    // the engine has them (rollup-select.ts), outside any connection: a
    // rollup built on first use takes one of the pool's.
    const scanned: Rel[] = [];
    for (const rel of rels) {
      const fromRollups = await rollupRows(c, plan, rel, { range, filter, tz, orderedSums: orderedSums(rel, range) !== undefined });
      if (!fromRollups) {
        scanned.push(rel);
        continue;
      }
      const cap = ctx.budget.rowCap(kind);
      if (cap !== undefined && fromRollups.rows.length >= cap) throw ctx.budget.overCap(kind, fromRollups.rows.length);
      ctx.budget.checkDeadline();
      series.push(...(await assemble(c, plan, fromRollups.built, rel.name, fromRollups.rows, assembleOptions())));
    }
    if (scanned.length === 0) return;
    await snap.connection(async (conn) => {
      for (const rel of scanned) {
        const built = buildSql(c, plan, rel, {
          range,
          filter,
          windows,
          ascending: stmt.sortAscending,
          limit: pushLimit ? stmt.limit : undefined,
          offset: pushLimit ? stmt.offset : undefined,
          // Rows of a subquery are rows even where the selected values are null (subquery.go).
          keepNullRows: rel.fromSubquery === true,
          seriesOrder: orderedSums(rel, range),
        });
        if (!built.sql) continue;
        // Point lists (percentile, mode, top...) reach JS whole: count their
        // points first when the files say there may be more than the budget.
        const maxPoints = ctx.budget.limits.maxPoints;
        if (built.listPointsSql && maxPoints > 0 && (!rel.rowEstimate || rel.rowEstimate(range.min, range.max) > maxPoints - ctx.budget.points)) {
          const [[n]] = await runSql(conn, built.listPointsSql, ctx.timeoutMs);
          ctx.budget.addPoints(Number(n));
        }
        const cap = ctx.budget.rowCap(kind);
        const rows = await runSql(conn, cap === undefined ? built.sql : `${built.sql} LIMIT ${cap}`, ctx.timeoutMs, ctx.budget);
        if (cap !== undefined && rows.length >= cap) {
          // Over the budget: count them (in DuckDB) for 1.x's "(N/M)" message.
          const [[n]] = await runSql(conn, `SELECT count(*) FROM (${built.sql})`, ctx.timeoutMs);
          throw ctx.budget.overCap(kind, Number(n));
        }
        if (kind === 'points') ctx.budget.addPoints(rows.length);
        ctx.budget.checkDeadline();
        series.push(...(await assemble(c, plan, built, rel.name, rows, assembleOptions())));
      }
    });
  };
  // One snapshot for every stored relation (none for subqueries alone: their rows are VALUES).
  await ctx.store.withSnapshot(measurements.map(refOf), (snap) => {
    holder.snap = snap;
    return run(snap);
  });
  // Series in InfluxDB's order: by measurement, then tag set (both reversed
  // for ORDER BY time DESC, as 1.x's iterators compare keys in the query's
  // direction); then SOFFSET/SLIMIT.
  const dir = stmt.sortAscending ? 1 : -1;
  series.sort((a, b) => dir * (a.name < b.name ? -1 : a.name > b.name ? 1 : a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  let out = series;
  // 1.6's limitTagSets (tsdb/engine/tsm1/engine.go) slices [soffset:soffset+slimit]:
  // SOFFSET without SLIMIT keeps no series at all.
  if (stmt.soffset > 0 || stmt.slimit > 0) out = series.slice(stmt.soffset, stmt.soffset + stmt.slimit);
  return { columns: c.columns, series: out, tz };
}

/** GROUP BY time() windows from the one holding `min` to the one holding `max` (what assemble.ts fills). */
export function windowCount(w: Windows, every: bigint, min: bigint, max: bigint): bigint {
  const a = w.start(min);
  const b = w.start(max);
  return b >= a ? (b - a) / every + 1n : 0n;
}

/** Beyond these, float sums are left to DuckDB (its order, last-bit differences). */
const ORDERED_MAX_ROWS = 200_000;
const ORDERED_MAX_SERIES = 20_000;

/** The series order for 1.x's float summation order, when the relation is small enough to afford it. */
function orderedSums(rel: Rel, range: TimeRange): Array<Array<string | null>> | undefined {
  if (!rel.seriesOrder || !rel.rowEstimate) return undefined;
  if (rel.rowEstimate(range.min, range.max) > ORDERED_MAX_ROWS) return undefined;
  const order = rel.seriesOrder();
  return order.length <= ORDERED_MAX_SERIES ? order : undefined;
}

/** The subquery groups by its parent's dimensions too (subquery.go: subOpt.GroupBy), so its rows keep those tags. */
function mergeParentDims(c: Compiled, parent: ParentScope, schema: Schema): void {
  for (const t of parent.tags) if (!c.dims.tags.includes(t)) c.dims.tags.push(t);
  // A name the subquery selects as a field stays its field (`value` in WHERE value > 0).
  for (const t of parent.condKeys) if (!c.dims.tags.includes(t) && !schema.fields.has(t) && !c.columns.includes(t)) c.dims.tags.push(t);
  if (parent.all) c.dims.all = true;
  for (const r of parent.regexes) if (!c.dims.regexes.includes(r)) c.dims.regexes.push(r);
}
