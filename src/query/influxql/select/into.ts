// SELECT ... INTO: the select's rows written back as points, as 1.x's
// coordinator/statement_executor.go writeInto + convertRowToPoints do. The
// answer is the number of rows emitted (rows whose values are all null are
// counted but not stored), at time 0. Continuous queries write the same way.

import type { SelectStatement } from '../ast.ts';
import type { Bucket } from '../../../tenancy/model.ts';
import type { FieldValue, Point } from '../../../core/point.ts';
import type { IngestPipeline } from '../../../ingest/pipeline.ts';
import { fromBigIntNs } from '../../../core/time.ts';
import type { SelectResult } from './run-select.ts';
import { TimeCell, type OutCell, type Value } from './values.ts';

/**
 * The statement the rows come from: without the target, and fill(null)
 * becomes fill(none) (query/iterator.go newIteratorOptionsStmt: null values
 * would not be written anyway).
 */
export function intoSource(stmt: SelectStatement): SelectStatement {
  return { ...stmt, target: undefined, fill: stmt.fill === 'null' && !stmt.isRawQuery ? 'none' : stmt.fill };
}

/** Columns that top()/bottom() tag arguments add: with INTO they are the points' tags (query/select.go). */
function topBottomTagColumns(stmt: SelectStatement): Set<string> {
  const out = new Set<string>();
  for (const f of stmt.fields) {
    const e = f.expr;
    if (e.kind !== 'call' || (e.name !== 'top' && e.name !== 'bottom')) continue;
    for (const a of e.args.slice(1, -1)) if (a.kind === 'varref') out.add(a.name);
  }
  return out;
}

function fieldValue(v: Value): FieldValue | undefined {
  if (typeof v === 'number') return { type: 'float', value: v };
  if (typeof v === 'bigint') return { type: 'integer', value: v };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  return undefined;
}

export async function writeInto(ingest: IngestPipeline, stmt: SelectStatement, bucket: Bucket, res: SelectResult): Promise<OutCell[][]> {
  const tagCols = topBottomTagColumns(stmt);
  const points: Point[] = [];
  let written = 0n;
  for (const s of res.series) {
    const measurement = stmt.target?.name || s.name;
    for (const [t, ...vals] of s.rows) {
      written++;
      const tags = new Map(Object.entries(s.tags ?? {}));
      const fields: Array<[string, FieldValue]> = [];
      vals.forEach((v, i) => {
        const col = res.columns[i + 1];
        if (tagCols.has(col)) {
          if (v !== null) tags.set(col, String(v));
          return;
        }
        const fv = fieldValue(v as Value);
        if (fv) fields.push([col, fv]);
      });
      // models.NewPoint refuses a point without fields: dropped.
      if (fields.length === 0) continue;
      const { sec, nsec } = fromBigIntNs(t as bigint);
      points.push({ measurement, tags: [...tags.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), fields, sec, nsec });
    }
  }
  if (points.length > 0) {
    // Through the one ingest call, as objects: the store encodes them (line
    // protocol at ns precision, what the WAL keeps) as it did here before.
    await ingest.ingest({ bucketId: bucket.id, data: { format: 'points', points }, onParseError: 'skip' });
  }
  return [[new TimeCell(0n), written]];
}
