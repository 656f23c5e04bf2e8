// DROP MEASUREMENT, DROP SERIES and DELETE over every retention policy
// (bucket) of the database, as 1.x's coordinator/statement_executor.go does
// across all shards of the database.

import type { Bucket } from '../../../tenancy/model.ts';
import type { Statement } from '../ast.ts';
import { mentionsField, mentionsTime, QueryError, splitCondition } from '../condition.ts';
import { compileRegex } from '../regex.ts';
import { databaseBuckets } from '../databases.ts';
import { storedMeasurement, storedMeasurements, type StoreView } from '../../store-view.ts';
import { tagPredicateOf } from './tag-predicate.ts';
import type { Tenancy } from '../../../tenancy/tenancy.ts';

/** What DDL and deletion statements run against (ddl.ts and this file); here so that this file does not import ddl.ts back. */
export interface DdlContext {
  store: StoreView;
  tenancy: Tenancy;
  orgID: string;
  now: bigint;
  /** DROP MEASUREMENT / DROP SERIES / DELETE touch only the database's buckets this is true for (the token's write rights). */
  writable?: (b: Bucket) => boolean;
}

type DeleteStatement = Extract<Statement, { kind: 'drop-measurement' | 'drop-series' | 'delete' }>;

export async function runDelete(stmt: DeleteStatement, ctx: DdlContext, db: string): Promise<void> {
  const { tenancy, orgID, store } = ctx;
  // MetaClient.Database(database) == nil → ErrDatabaseNotFound, also for "".
  const all = databaseBuckets(tenancy, orgID, db);
  if (!db || all.length === 0) throw new QueryError(`database not found: ${db}`);
  // A token with write on one retention policy's bucket deletes there, not in the database's other buckets.
  const buckets = ctx.writable ? all.filter(ctx.writable) : all;
  if (stmt.kind === 'drop-measurement') {
    for (const b of buckets) if (storedMeasurement(store, b.id, stmt.name)) await store.dropMeasurement(b.id, stmt.name);
    return;
  }
  if (stmt.kind === 'drop-series' && stmt.condition && mentionsTime(stmt.condition)) throw new QueryError("DROP SERIES doesn't support time in WHERE clause");
  const { range, filter } = splitCondition(stmt.condition, ctx.now);
  for (const b of buckets) {
    for (const m of storedMeasurements(store, b.id)) {
      if (stmt.sources) {
        const hit = stmt.sources.some((s) => s.kind === 'measurement' && (s.regex !== undefined ? compileRegex(s.regex).test(m.name) : s.name === m.name));
        if (!hit) continue;
      }
      // tsdb/shard.go wraps the index error with the shard id; a fresh 1.x
      // server's first shard is 1 (the id itself depends on shard layout).
      if (filter && mentionsField(filter, m)) throw new QueryError('shard 1: fields not supported in WHERE clause during deletion');
      if (range.min === undefined && range.max === undefined && !filter) await store.dropMeasurement(b.id, m.name);
      else await store.deletePoints(b.id, { measurement: m.name, tags: filter && tagPredicateOf(filter), minNs: range.min, maxNs: range.max });
    }
  }
}
