// Runs a SELECT: resolves FROM (measurements, regexes, subqueries), compiles
// the fields, runs one SQL statement per relation on a DuckDB connection
// inside store.read (so files stay put and memtables are visible), and merges
// the series in InfluxDB's order (measurement, then tag set).

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Expr, MeasurementSource, SelectStatement } from '../ast.ts';
import { QueryError, splitCondition } from '../condition.ts';
import type { Measurement } from '../../../storage/measurement.ts';
import type { Store } from '../../../storage/store.ts';
import { toCell, type Cell } from '../../sql/result-values.ts';
import { cleanDuckError } from '../../sql/run-sql.ts';
import { compileSelect, type Schema } from './analyze.ts';
import { assemble, type OutSeries } from './assemble.ts';
import { buildSql, planLeaves } from './build-sql.ts';
import { relationsFromRows, type Rel } from './relation.ts';
import { zoneOffsetNs } from './zone.ts';
import { FieldType } from '../../../ingest/line-protocol/batch.ts';

export interface SelectContext {
  store: Store;
  now: bigint;
  /** Measurements a FROM source names (throws QueryError for an unknown database or policy). */
  resolve(src: MeasurementSource): Measurement[];
  maxBuckets: number;
  timeoutMs: number;
}

export interface SelectResult {
  columns: string[];
  series: OutSeries[];
  tz?: string;
}

function relOf(store: Store, m: Measurement): Rel {
  return { name: m.name, tagKeys: m.tagKeys, tagOrdinal: m.tagOrdinal, fields: m.fields, fieldByName: m.fieldByName, sql: () => store.physicalRelation(m) };
}

async function runSql(conn: DuckDBConnection, sql: string, timeoutMs: number): Promise<Cell[][]> {
  const timer = setTimeout(() => conn.interrupt(), timeoutMs);
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRows().map((r) => r.map(toCell));
  } catch (e) {
    const msg = (e as Error).message;
    if (/interrupt/i.test(msg)) throw new QueryError(`query exceeded ${timeoutMs} ms`);
    throw new QueryError(cleanDuckError(msg));
  } finally {
    clearTimeout(timer);
  }
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

function alignDown(t: bigint, every: bigint, shift: bigint): bigint {
  return t - ((((t - shift) % every) + every) % every);
}

export async function runSelect(stmt: SelectStatement, ctx: SelectContext): Promise<SelectResult> {
  if (stmt.target) throw new QueryError('SELECT INTO is not supported by hookline');
  // Stored measurements and subqueries become relations.
  const measurements: Measurement[] = [];
  const subRels: Rel[] = [];
  for (const src of stmt.sources) {
    if (src.kind === 'subquery') {
      const inner = await runSelect(src.statement, ctx);
      subRels.push(
        ...relationsFromRows(inner.series.map((s) => ({ name: s.name, tags: s.tags ?? {}, columns: inner.columns, rows: s.rows }))),
      );
    } else {
      for (const m of ctx.resolve(src)) if (!measurements.includes(m)) measurements.push(m);
    }
  }
  const rels: Rel[] = [...measurements.map((m) => relOf(ctx.store, m)), ...subRels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const schema: Schema = { fields: new Map(), tags: new Set() };
  for (const r of rels) {
    for (const f of r.fields) if (!schema.fields.has(f.name)) schema.fields.set(f.name, f.type as FieldType);
    for (const t of r.tagKeys) schema.tags.add(t);
  }
  const c = compileSelect(stmt, schema);
  const tz = stmt.location;
  const { range, filter } = splitCondition(stmt.condition, ctx.now);
  // GROUP BY time without an upper bound ends now (InfluxDB 1.x).
  if (c.dims.interval && range.max === undefined) range.max = ctx.now;
  if (rels.length === 0 || (range.min !== undefined && range.max !== undefined && range.min > range.max)) return { columns: c.columns, series: [] };
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
  const zoneNs = tz && c.dims.interval ? zoneOffsetNs(tz, range.min ?? range.max ?? ctx.now) : 0n;
  const pushLimit = !c.aggregate && !c.hasTransform;
  const series: OutSeries[] = [];
  const run = async () => {
    const conn = await ctx.store.duck.connect();
    try {
      for (const rel of rels) {
        const built = buildSql(c, plan, rel, {
          range,
          filter,
          zoneNs,
          ascending: stmt.sortAscending,
          limit: pushLimit ? stmt.limit : undefined,
          offset: pushLimit ? stmt.offset : undefined,
        });
        if (!built.sql) continue;
        const rows = await runSql(conn, built.sql, ctx.timeoutMs);
        series.push(
          ...assemble(c, plan, built, rel.name, rows, {
            range,
            ascending: stmt.sortAscending,
            fill: stmt.fill,
            fillValue: stmt.fillValue,
            limit: pushLimit ? 0 : stmt.limit,
            offset: pushLimit ? 0 : stmt.offset,
            maxBuckets: ctx.maxBuckets,
            outputMin: outputMin !== undefined ? alignDown(outputMin, c.dims.interval!.every, c.dims.interval!.offset - zoneNs) : undefined,
          }),
        );
      }
    } finally {
      conn.closeSync();
    }
  };
  if (measurements.length > 0) await ctx.store.read(measurements, run);
  else await run();
  // Series in InfluxDB's order: by measurement, then tag set; then SOFFSET/SLIMIT.
  series.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  let out = series;
  if (stmt.soffset > 0 || stmt.slimit > 0) out = series.slice(stmt.soffset, stmt.slimit > 0 ? stmt.soffset + stmt.slimit : undefined);
  return { columns: c.columns, series: out, tz };
}
