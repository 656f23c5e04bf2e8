// SHOW statements over a database's buckets: databases, retention policies,
// measurements, tag keys and values, field keys, series. Shapes, orders and
// WHERE semantics follow InfluxDB 1.6: coordinator/statement_executor.go,
// influxql/rewrite.go (SHOW SERIES/FIELD KEYS become selects over system
// sources), tsdb/store.go (TagKeys, TagValues, MeasurementNames) and the
// inmem index. The cardinalities are in show-cardinality.ts.

import type { Expr, MeasurementSource, Statement } from '../ast.ts';
import { QueryError, splitCondition, MIN_TIME, MAX_TIME } from '../condition.ts';
import { sameMeasurement, type StoredMeasurement } from '../../store-view.ts';
import { FieldType } from '../../../core/field-type.ts';
import { formatGoDuration } from '../../../core/go-duration.ts';
import type { Bucket } from '../../../tenancy/model.ts';
import { allMeasurements, fieldTest, loadSeries, sourceMeasurements, tagValuesOf, type MeasurementSeries, type ShowContext, type ShowRow } from './series-set.ts';
import {
  andExpr,
  checkTagOperators,
  hasTimeExpr,
  measurementPart,
  seriesMatches,
  seriesPart,
  sourcesCondition,
  tagKeyCondition,
  withoutTime,
} from './tag-expr.ts';
import { measurementNamesByExpr, tagKeysByExpr, type MeasurementTags } from './tag-eval.ts';
import { runShowCardinality } from './show-cardinality.ts';

const TYPE_NAMES: Record<number, string> = {
  [FieldType.Float]: 'float',
  [FieldType.Integer]: 'integer',
  [FieldType.Unsigned]: 'unsigned',
  [FieldType.String]: 'string',
  [FieldType.Boolean]: 'boolean',
};

export function page<T>(list: T[], limit: number, offset: number): T[] {
  return list.slice(offset, limit > 0 ? offset + limit : undefined);
}

export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireDb(stmt: { database: string }, db: string): string {
  const name = stmt.database || db;
  if (!name) throw new QueryError('database name required');
  return name;
}

function measurementTags(all: MeasurementSeries[]): MeasurementTags[] {
  return all.map((m) => ({ name: m.name, values: tagValuesOf(m.series) }));
}

/** Whether an expression compares anything but `_name` (then the names need the series' tags). */
function needsTags(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === 'paren') return needsTags(e.expr);
  if (e.kind !== 'binary') return true;
  if (e.op === 'AND' || e.op === 'OR') return needsTags(e.lhs) || needsTags(e.rhs);
  return !(e.lhs.kind === 'varref' && e.lhs.name === '_name');
}

/** The measurements a measurement-name condition keeps, with their series loaded. */
async function seriesByNames(ctx: ShowContext, buckets: Bucket[], mExpr: Expr | undefined): Promise<MeasurementSeries[]> {
  const ms = allMeasurements(ctx, buckets);
  if (needsTags(mExpr)) {
    const all = await loadSeries(ctx, ms, buckets);
    const keep = new Set(measurementNamesByExpr(mExpr, measurementTags(all)));
    return all.filter((m) => keep.has(m.name));
  }
  const names = new Set(measurementNamesByExpr(mExpr, [...new Set(ms.map((m) => m.name))].map((name) => ({ name, values: new Map() }))));
  return loadSeries(
    ctx,
    ms.filter((m) => names.has(m.name)),
    buckets,
  );
}

async function showMeasurements(stmt: Extract<Statement, { kind: 'show-measurements' }>, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  const dbName = requireDb(stmt, db);
  // rewriteShowMeasurementsStatement.
  if (hasTimeExpr(stmt.condition)) throw new QueryError("SHOW MEASUREMENTS doesn't support time in WHERE clause");
  // tsdb.Store.MeasurementNames over no shards: an unknown database lists nothing.
  let buckets = ctx.maybeBuckets(dbName);
  if (buckets.length === 0) return [];
  if (stmt.retentionPolicy && stmt.retentionPolicy !== '*') buckets = [ctx.policy(dbName, stmt.retentionPolicy)];
  const cond = sourcesCondition(stmt.source ? [stmt.source] : undefined, stmt.condition);
  let names: string[];
  if (!cond) names = [...new Set(allMeasurements(ctx, buckets).map((m) => m.name))].sort(byString);
  else names = (await seriesByNames(ctx, buckets, cond)).filter((m) => m.series.length > 0).map((m) => m.name);
  names = page(names, stmt.limit, stmt.offset);
  if (names.length === 0) return [];
  return [{ name: 'measurements', columns: ['name'], values: names.map((n) => [n]) }];
}

async function showTagKeys(stmt: Extract<Statement, { kind: 'show-tag-keys' }>, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  const buckets = ctx.buckets(requireDb(stmt, db));
  // tsdb.Store.TagKeys: FROM is a `_name` condition over the whole database
  // (every retention policy); time is ignored in 1.6, and so is SLIMIT.
  const cond = withoutTime(sourcesCondition(stmt.sources, stmt.condition));
  const filter = seriesPart(cond);
  const out: ShowRow[] = [];
  for (const m of await seriesByNames(ctx, buckets, measurementPart(cond))) {
    const isField = fieldTest(m.parts);
    const keys = new Set<string>();
    for (const s of m.series) if (seriesMatches(filter, s, isField, 'index')) for (const [k] of s.sorted) keys.add(k);
    const list = page([...keys].sort(byString), stmt.limit, stmt.offset);
    if (list.length > 0) out.push({ name: m.name, columns: ['tagKey'], values: list.map((k) => [k]) });
  }
  return out;
}

async function showTagValues(stmt: Extract<Statement, { kind: 'show-tag-values' }>, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  const buckets = ctx.buckets(requireDb(stmt, db));
  // rewriteShowTagValuesStatement + tsdb.Store.TagValues.
  const cond = withoutTime(sourcesCondition(stmt.sources, andExpr(stmt.condition, tagKeyCondition(stmt.op, stmt.tagKeyExpr))));
  const filter = seriesPart(cond);
  const out: ShowRow[] = [];
  for (const m of await seriesByNames(ctx, buckets, measurementPart(cond))) {
    const present = tagValuesOf(m.series);
    const keys = tagKeysByExpr(cond, [...present.keys()]);
    if (!keys || keys.size === 0) continue;
    const isField = fieldTest(m.parts);
    const pairs = new Map<string, [string, string]>();
    for (const s of m.series) {
      if (!seriesMatches(filter, s, isField, 'index')) continue;
      for (const [k, v] of s.sorted) if (keys.has(k)) pairs.set(`${k}\u0000${v}`, [k, v]);
    }
    const list = page(
      [...pairs.values()].sort((a, b) => byString(a[0], b[0]) || byString(a[1], b[1])),
      stmt.limit,
      stmt.offset,
    );
    if (list.length > 0) out.push({ name: m.name, columns: ['key', 'value'], values: list });
  }
  return out;
}

function showFieldKeys(stmt: Extract<Statement, { kind: 'show-field-keys' }>, ctx: ShowContext, db: string): ShowRow[] {
  const dbName = requireDb(stmt, db);
  // rewriteShowFieldKeysStatement: `_fieldKeys` of the source's retention
  // policy (the default one when not named), where fields live per shard.
  const ms: StoredMeasurement[] = [];
  const sources = (stmt.sources ?? [undefined]) as Array<MeasurementSource | undefined>;
  for (const s of sources) {
    if (s && s.kind !== 'measurement') throw new QueryError('subqueries are not supported in SHOW statements');
    const bucket = ctx.policy(s?.database || dbName, s?.retentionPolicy ?? '');
    for (const m of sourceMeasurements(ctx, bucket, s)) if (!ms.some((x) => sameMeasurement(x, m))) ms.push(m);
  }
  const byName = new Map<string, Map<string, string>>();
  for (const m of ms) {
    const fields = byName.get(m.name) ?? new Map<string, string>();
    for (const f of m.fields) if (!fields.has(f.name)) fields.set(f.name, TYPE_NAMES[f.type]);
    byName.set(m.name, fields);
  }
  const out: ShowRow[] = [];
  for (const name of [...byName.keys()].sort(byString)) {
    const list = page([...byName.get(name)!.entries()].sort((a, b) => byString(a[0], b[0])), stmt.limit, stmt.offset);
    if (list.length > 0) out.push({ name, columns: ['fieldKey', 'fieldType'], values: list });
  }
  return out;
}

async function showSeries(stmt: Extract<Statement, { kind: 'show-series' }>, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  const dbName = requireDb(stmt, db);
  const keys = new Set<string>();
  if (!hasTimeExpr(stmt.condition)) {
    // SELECT key FROM _series: the shards of the sources' retention policies
    // (the default one), whose (inmem, database-wide) index lists the series
    // of every retention policy; no shards there, no series.
    const buckets = ctx.buckets(dbName);
    const sources = (stmt.sources ?? [undefined]) as Array<MeasurementSource | undefined>;
    const used = sources.map((src) => ctx.policy(src?.database || dbName, src?.kind === 'measurement' ? src.retentionPolicy : ''));
    if (used.every((b) => ctx.store.measurements(b.id).length === 0)) return [];
    const cond = sourcesCondition(stmt.sources, stmt.condition);
    checkTagOperators(cond);
    for (const m of await loadSeries(ctx, allMeasurements(ctx, buckets), buckets)) {
      const isField = fieldTest(m.parts);
      for (const s of m.series) if (seriesMatches(cond, s, isField, 'index')) keys.add(s.key);
    }
  } else {
    // SELECT _seriesKey FROM <sources>: the series of the shards the time range touches.
    const { range, filter } = splitCondition(stmt.condition, ctx.now);
    const min = range.min ?? MIN_TIME;
    const max = range.max ?? MAX_TIME;
    const sources = (stmt.sources ?? [undefined]) as Array<MeasurementSource | undefined>;
    for (const src of sources) {
      if (src && src.kind !== 'measurement') throw new QueryError('subqueries are not supported in SHOW statements');
      const bucket = ctx.policy(src?.database || dbName, src?.retentionPolicy ?? '');
      const d = BigInt(bucket.shardGroupSeconds) * 1_000_000_000n;
      for (const m of await loadSeries(ctx, sourceMeasurements(ctx, bucket, src), [bucket], { shards: true })) {
        const isField = fieldTest(m.parts);
        for (const s of m.series) {
          const starts = [...(s.shards.get(bucket.id) ?? [])];
          // meta.ShardGroupInfo.Overlaps: start <= max && end > min.
          if (!starts.some((st) => st <= max && st + d > min)) continue;
          if (seriesMatches(filter, s, isField, 'select')) keys.add(s.key);
        }
      }
    }
  }
  const list = page([...keys].sort(byString), stmt.limit, stmt.offset);
  if (list.length === 0) return [];
  return [{ columns: ['key'], values: list.map((k) => [k]) }];
}

export async function runShow(stmt: Statement, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  switch (stmt.kind) {
    case 'show-databases':
      return [{ name: 'databases', columns: ['name'], values: ctx.databases().map((d) => [d]) }];
    case 'show-retention-policies': {
      const name = requireDb(stmt, db);
      const def = ctx.defaultRp(name);
      return [
        {
          // InfluxDB 1.6's columns (checked against influxd 1.6.7); 1.11 added futureWriteLimit/pastWriteLimit.
          // The replication factor is not stored: always 1 (docs/influxql.md).
          columns: ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'],
          values: ctx.buckets(name).map((b) => {
            const rp = b.name === name ? 'autogen' : b.name.slice(name.length + 1);
            return [rp, formatGoDuration(BigInt(b.retentionSeconds) * 1_000_000_000n), formatGoDuration(BigInt(b.shardGroupSeconds) * 1_000_000_000n), 1n, rp === def];
          }),
        },
      ];
    }
    case 'show-measurements':
      return showMeasurements(stmt, ctx, db);
    case 'show-tag-keys':
      return showTagKeys(stmt, ctx, db);
    case 'show-tag-values':
      return showTagValues(stmt, ctx, db);
    case 'show-field-keys':
      return showFieldKeys(stmt, ctx, db);
    case 'show-series':
      return showSeries(stmt, ctx, db);
    case 'show-cardinality':
      return runShowCardinality(stmt, ctx, requireDb(stmt, db));
    default:
      throw new QueryError(`unsupported statement: ${stmt.kind}`);
  }
}
