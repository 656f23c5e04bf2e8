// CREATE/DROP DATABASE, CREATE/ALTER/DROP RETENTION POLICY, DROP MEASUREMENT,
// DROP SERIES and DELETE, mapped onto buckets (database `db` + policy `rp` =
// bucket `db/rp`, autogen = `db`) and the store's deletes.

import type { Statement } from '../ast.ts';
import { filterSql, mentionsField, mentionsTime, QueryError, splitCondition } from '../condition.ts';
import { toJsRegExp } from '../regex.ts';
import { bucketNameFor, databaseBuckets, shardGroupSecondsFor } from '../databases.ts';
import type { Store } from '../../../storage/store.ts';
import type { Tenancy } from '../../../tenancy/tenancy.ts';
import { formatGoDuration } from '../../../core/go-duration.ts';

export interface DdlContext {
  store: Store;
  tenancy: Tenancy;
  orgID: string;
  now: bigint;
}

const NS = 1_000_000_000n;
const HOUR = 3600n * NS;

function seconds(ns: bigint): number {
  return Number(ns / NS);
}

function checkDuration(d: bigint | undefined): void {
  if (d !== undefined && d !== 0n && d < HOUR) throw new QueryError(`retention policy duration must be at least ${formatGoDuration(HOUR)}`);
}

function checkShard(d: bigint | undefined, duration: bigint | undefined): void {
  if (d === undefined || d === 0n) return;
  if (d < HOUR) throw new QueryError('shard group duration must be at least 1h0m0s');
  if (duration !== undefined && duration !== 0n && d > duration) throw new QueryError('retention policy duration must be greater than the shard duration');
}

export async function runDdl(stmt: Statement, ctx: DdlContext, db: string): Promise<void> {
  const { tenancy, orgID, store } = ctx;
  switch (stmt.kind) {
    case 'create-database': {
      checkDuration(stmt.rpDuration);
      checkShard(stmt.rpShardGroupDuration, stmt.rpDuration);
      const rp = stmt.rpName || 'autogen';
      const existing = databaseBuckets(tenancy, orgID, stmt.name);
      const retention = stmt.rpDuration !== undefined ? seconds(stmt.rpDuration) : 0;
      const shard = stmt.rpShardGroupDuration ? seconds(stmt.rpShardGroupDuration) : shardGroupSecondsFor(retention);
      if (existing.length > 0) {
        if (!stmt.rpCreate) return;
        const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.name, rp));
        if (!b || b.retentionSeconds !== retention || (stmt.rpShardGroupDuration && b.shardGroupSeconds !== shard)) {
          throw new QueryError('retention policy conflicts with an existing policy');
        }
        return;
      }
      await tenancy.createBucket({ orgID, name: bucketNameFor(stmt.name, rp), retentionSeconds: retention, shardGroupSeconds: shard });
      if (rp !== 'autogen') await tenancy.setDefaultRp(orgID, stmt.name, rp);
      return;
    }
    case 'drop-database': {
      for (const b of databaseBuckets(tenancy, orgID, stmt.name)) await tenancy.deleteBucket(b.id);
      if (tenancy.defaultRp(orgID, stmt.name) !== 'autogen') await tenancy.setDefaultRp(orgID, stmt.name, 'autogen');
      return;
    }
    case 'create-retention-policy': {
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) throw new QueryError(`database not found: ${stmt.database}`);
      checkDuration(stmt.duration);
      checkShard(stmt.shardGroupDuration, stmt.duration);
      const retention = seconds(stmt.duration);
      const shard = stmt.shardGroupDuration ? seconds(stmt.shardGroupDuration) : shardGroupSecondsFor(retention);
      const name = bucketNameFor(stmt.database, stmt.name);
      const b = tenancy.bucketByName(orgID, name);
      if (b) {
        if (b.retentionSeconds !== retention || b.shardGroupSeconds !== shard) throw new QueryError('retention policy already exists');
      } else await tenancy.createBucket({ orgID, name, retentionSeconds: retention, shardGroupSeconds: shard });
      if (stmt.isDefault) await tenancy.setDefaultRp(orgID, stmt.database, stmt.name);
      return;
    }
    case 'alter-retention-policy': {
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) throw new QueryError(`database not found: ${stmt.database}`);
      const rp = stmt.name === 'default' ? tenancy.defaultRp(orgID, stmt.database) : stmt.name;
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.database, rp));
      if (!b) throw new QueryError(`retention policy not found: ${stmt.name}`);
      checkDuration(stmt.duration);
      checkShard(stmt.shardGroupDuration, stmt.duration ?? (b.retentionSeconds > 0 ? BigInt(b.retentionSeconds) * 1_000_000_000n : undefined));
      const patch: { retentionSeconds?: number; shardGroupSeconds?: number } = {};
      if (stmt.duration !== undefined) patch.retentionSeconds = seconds(stmt.duration);
      if (stmt.shardGroupDuration !== undefined && stmt.shardGroupDuration > 0n) patch.shardGroupSeconds = seconds(stmt.shardGroupDuration);
      if (patch.retentionSeconds !== undefined || patch.shardGroupSeconds !== undefined) await tenancy.updateBucket(b.id, patch);
      if (stmt.isDefault) await tenancy.setDefaultRp(orgID, stmt.database, rp);
      return;
    }
    case 'drop-retention-policy': {
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) throw new QueryError(`database not found: ${stmt.database}`);
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.database, stmt.name));
      if (b) await tenancy.deleteBucket(b.id);
      return;
    }
    case 'drop-measurement': {
      if (!db) throw new QueryError('database name required');
      const buckets = databaseBuckets(tenancy, orgID, db);
      if (buckets.length === 0) throw new QueryError(`database not found: ${db}`);
      for (const b of buckets) if (store.measurementOf(b.id, stmt.name)) await store.dropMeasurement(b.id, stmt.name);
      return;
    }
    case 'drop-series':
    case 'delete': {
      if (!db) throw new QueryError('database name required');
      const buckets = databaseBuckets(tenancy, orgID, db);
      if (buckets.length === 0) throw new QueryError(`database not found: ${db}`);
      if (stmt.kind === 'drop-series' && stmt.condition && mentionsTime(stmt.condition)) throw new QueryError("DROP SERIES doesn't support time in WHERE clause");
      const { range, filter } = splitCondition(stmt.condition, ctx.now);
      for (const b of buckets) {
        for (const m of store.measurementsOf(b.id)) {
          if (stmt.sources) {
            const hit = stmt.sources.some((s) => s.kind === 'measurement' && (s.regex !== undefined ? toJsRegExp(s.regex).test(m.name) : s.name === m.name));
            if (!hit) continue;
          }
          if (filter && mentionsField(filter, m)) throw new QueryError(`fields not supported in WHERE clause during deletion`);
          const parts: string[] = [];
          if (range.min !== undefined) parts.push(`time >= make_timestamp_ns(${range.min})`);
          if (range.max !== undefined) parts.push(`time <= make_timestamp_ns(${range.max})`);
          if (filter) parts.push(filterSql(filter, m, true));
          if (parts.length === 0) await store.dropMeasurement(b.id, m.name);
          else await store.deletePoints(b.id, m.name, parts.join(' AND '));
        }
      }
      return;
    }
    default:
      throw new QueryError(`unsupported statement: ${stmt.kind}`);
  }
}
