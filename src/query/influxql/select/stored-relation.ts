// A stored measurement as the SELECT planner's relation (relation.ts's Rel):
// the SqlSource snapshot's relation, under user column names, renamed to the
// planner's positional names (store-view.ts positionalSql: tagCol(i) for the
// i-th tag key, fieldCol(i) for the i-th field, the names subquery relations
// use too), so that build-sql.ts has one shape to compile against. Storage's
// physical layout stays inside storage.
//
// The Rel exists before the snapshot does (the statement is compiled against
// the schema first); its SQL, series order and row bound are asked for inside
// the snapshot, through `holder`.

import type { RelationOptions, SqlRelation, SqlSnapshot } from '../../../core/ports/sql-source.ts';
import { positionalSql, type StoredMeasurement } from '../../store-view.ts';
import type { Rel } from './relation.ts';

export interface SnapshotHolder {
  snap?: SqlSnapshot;
}

export function storedRel(m: StoredMeasurement, holder: SnapshotHolder): Rel {
  // One relation per option set for the statement's one snapshot: the planner asks several times.
  const asked = new Map<boolean, SqlRelation | undefined>();
  const relation = (opts?: RelationOptions): SqlRelation | undefined => {
    if (!holder.snap) throw new Error(`measurement ${m.name} read outside its snapshot`);
    const key = opts?.floatsAsStored === true;
    if (!asked.has(key)) asked.set(key, holder.snap.relation(m.bucketId, m.name, opts));
    return asked.get(key);
  };
  return {
    name: m.name,
    tagKeys: m.tagKeys,
    tagOrdinal: m.tagOrdinal,
    fields: m.fields,
    fieldByName: m.fieldByName,
    sql: (opts) => positionalSql(m, relation(opts)),
    seriesOrder: () =>
      (relation()?.seriesOrder() ?? []).map((tags) => {
        const byKey = new Map(tags);
        return m.tagKeys.map((k) => byKey.get(k) ?? null);
      }),
    rowEstimate: (min, max) => relation()?.rowEstimate(min, max) ?? 0,
    rollups: () => holder.snap?.rollups?.(m.bucketId, m.name),
  };
}
