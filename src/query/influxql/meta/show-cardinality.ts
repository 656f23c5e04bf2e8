// SHOW ... CARDINALITY as InfluxDB 1.6 answers it. Without any clause, SHOW
// SERIES/MEASUREMENT CARDINALITY is the database-wide estimate (one
// "cardinality estimation" row). Everything else is rewritten into a select
// (influxql/rewrite.go): count(_seriesKey), count(distinct(_name|_tagKey|
// _fieldKey|_tagValue)) over the sources (default: every measurement of the
// default retention policy), one row per measurement (measurements: one row),
// nothing when nothing matches. The select path filters series by tags (a
// field comparison never holds: those points carry no field values), counts
// a series once per shard it has points in, and matchTagValues evaluates
// the whole condition per tag with influxql.Eval (a missing tag or `time`
// is nil, so it compares false).

import type { MeasurementSource, Statement } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { allMeasurements, fieldTest, loadSeries, sourceMeasurements, type MeasurementSeries, type ShowContext, type ShowRow } from './series-set.ts';
import { andExpr, hasTimeExpr, seriesMatches, tagKeyCondition } from './tag-expr.ts';
import { evalBool } from './tag-eval.ts';

type CardinalityStatement = Extract<Statement, { kind: 'show-cardinality' }>;

const TIME_ERRORS: Record<string, string> = {
  series: 'SHOW SERIES EXACT CARDINALITY',
  measurement: 'SHOW MEASUREMENT EXACT CARDINALITY',
  'tag-key': 'SHOW TAG KEY EXACT CARDINALITY',
  'field-key': 'SHOW FIELD KEY CARDINALITY',
};

/** The measurements (with series and shards) of the statement's sources, per retention policy. */
async function sourceSeries(stmt: CardinalityStatement, ctx: ShowContext, db: string): Promise<MeasurementSeries[]> {
  const out: MeasurementSeries[] = [];
  const sources = (stmt.sources ?? [undefined]) as Array<MeasurementSource | undefined>;
  for (const src of sources) {
    if (src && src.kind !== 'measurement') throw new QueryError('subqueries are not supported in SHOW statements');
    const bucket = ctx.policy(src?.database || db, src?.retentionPolicy ?? '');
    for (const m of await loadSeries(ctx, sourceMeasurements(ctx, bucket, src), [bucket], { shards: stmt.what === 'series' })) {
      const same = out.find((x) => x.name === m.name);
      if (same) same.series.push(...m.series.filter((s) => !same.series.some((x) => x.key === s.key)));
      else out.push(m);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function runShowCardinality(stmt: CardinalityStatement, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  const plain = !stmt.exact && !stmt.sources && !stmt.condition && stmt.dimensions.length === 0 && stmt.limit === 0 && stmt.offset === 0;
  if (plain && (stmt.what === 'series' || stmt.what === 'measurement')) {
    // The estimate over every shard of the database (0 for an unknown one).
    const buckets = ctx.maybeBuckets(db);
    let n = 0;
    if (stmt.what === 'measurement') n = new Set(allMeasurements(ctx, buckets).map((m) => m.name)).size;
    else for (const m of await loadSeries(ctx, allMeasurements(ctx, buckets), buckets)) n += m.series.length;
    return [{ columns: ['cardinality estimation'], values: [[BigInt(n)]] }];
  }
  const what = TIME_ERRORS[stmt.what];
  if (what && hasTimeExpr(stmt.condition)) throw new QueryError(`${what} doesn't support time in WHERE clause`);
  const cond = stmt.condition;
  const ms = await sourceSeries(stmt, ctx, db);
  const out: ShowRow[] = [];
  let names = 0;
  for (const m of ms) {
    const isField = fieldTest(m.parts);
    const matching = stmt.what === 'tag-values' ? m.series : m.series.filter((s) => seriesMatches(cond, s, isField, 'select'));
    let n = 0;
    switch (stmt.what) {
      case 'series':
        for (const s of matching) for (const set of s.shards.values()) n += set.size;
        break;
      case 'measurement':
        if (matching.length > 0) names++;
        continue;
      case 'tag-key':
        n = new Set(matching.flatMap((s) => s.sorted.map(([k]) => k))).size;
        break;
      case 'field-key':
        if (matching.length > 0) n = new Set(m.parts.flatMap((p) => p.fields.map((f) => f.name))).size;
        break;
      case 'tag-values': {
        const full = andExpr(cond, tagKeyCondition(stmt.op ?? '=~', stmt.tagKeyExpr ?? { kind: 'regex', source: '.*' }));
        const values = new Set<string>();
        for (const s of matching) {
          for (const [k, v] of s.sorted) {
            const data = new Map(s.tags);
            data.set('_tagKey', k);
            if (evalBool(full, data)) values.add(v);
          }
        }
        n = values.size;
        break;
      }
    }
    if (n > 0) out.push({ name: m.name, columns: ['count'], values: [[BigInt(n)]] });
  }
  if (stmt.what === 'measurement') return names > 0 ? [{ columns: ['count'], values: [[BigInt(names)]] }] : [];
  return out;
}
