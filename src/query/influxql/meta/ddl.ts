// CREATE/DROP DATABASE and CREATE/ALTER/DROP RETENTION POLICY over buckets
// (database `db` + policy `rp` = bucket `db/rp`, autogen = `db`). The checks
// and their order follow 1.x's coordinator/statement_executor.go,
// services/meta/client.go and services/meta/data.go. A 1.x database can
// exist without any retention policy; here a database is its buckets, so
// dropping the last policy drops the database (docs/influxql.md).

import type { Statement } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { bucketNameFor, databaseBuckets } from '../databases.ts';
import type { Bucket } from '../../../tenancy/model.ts';
import { formatGoDuration } from '../../../core/go-duration.ts';
import { runDelete, type DdlContext } from './delete.ts';

const NS = 1_000_000_000n;
const HOUR = 3600n * NS;
const DAY = 24n * HOUR;

/** meta.ErrInvalidName's test (services/meta/data.go validName). */
function validName(name: string): boolean {
  // unicode.IsPrint: no control characters.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return false;
  return name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name);
}

/** meta.shardGroupDuration. */
function shardGroupDuration(d: bigint): bigint {
  if (d >= 180n * DAY || d === 0n) return 7n * DAY;
  if (d >= 2n * DAY) return DAY;
  return HOUR;
}

/** meta.normalisedShardDuration: 0 = derived from the retention, below 1h = 1h. */
function normalisedShardDuration(sgd: bigint, d: bigint): bigint {
  if (sgd === 0n) return shardGroupDuration(d);
  if (sgd < HOUR) return shardGroupDuration(sgd);
  return sgd;
}

const ns = (seconds: number): bigint => BigInt(seconds) * NS;
const seconds = (d: bigint): number => Number(d / NS);

function checkDurationTooLow(d: bigint | undefined): void {
  if (d !== undefined && d < HOUR && d !== 0n) throw new QueryError(`retention policy duration must be at least ${formatGoDuration(HOUR)}`);
}

const INCOMPATIBLE = 'retention policy duration must be greater than the shard duration';
const CONFLICT = 'retention policy conflicts with an existing policy';

async function createPolicy(ctx: DdlContext, db: string, rp: string, duration: bigint, shard: bigint, makeDefault: boolean): Promise<Bucket> {
  const { tenancy, orgID } = ctx;
  const b = await tenancy.createBucket({ orgID, name: bucketNameFor(db, rp), retentionSeconds: seconds(duration), shardGroupSeconds: seconds(shard) });
  if (makeDefault) await tenancy.setDefaultRp(orgID, db, rp);
  return b;
}

export async function runDdl(stmt: Statement, ctx: DdlContext, db: string): Promise<void> {
  const { tenancy, orgID } = ctx;
  switch (stmt.kind) {
    case 'create-database': {
      // executeCreateDatabaseStatement + Client.CreateDatabase(WithRetentionPolicy).
      if (!validName(stmt.name)) throw new QueryError('invalid name');
      const existing = databaseBuckets(tenancy, orgID, stmt.name);
      if (!stmt.rpCreate) {
        if (existing.length > 0) return;
        // A default left over from a database dropped bucket by bucket.
        if (tenancy.defaultRp(orgID, stmt.name) !== 'autogen') await tenancy.setDefaultRp(orgID, stmt.name, 'autogen');
        await createPolicy(ctx, stmt.name, 'autogen', 0n, shardGroupDuration(0n), false);
        return;
      }
      if (stmt.rpName && !validName(stmt.rpName)) throw new QueryError('invalid name');
      checkDurationTooLow(stmt.rpDuration);
      const rp = stmt.rpName || 'autogen';
      const duration = stmt.rpDuration ?? 0n;
      if (existing.length === 0) {
        const shard = normalisedShardDuration(stmt.rpShardGroupDuration ?? 0n, duration);
        if (duration > 0n && duration < shard) throw new QueryError(INCOMPATIBLE);
        await tenancy.setDefaultRp(orgID, stmt.name, 'autogen');
        await createPolicy(ctx, stmt.name, rp, duration, shard, rp !== 'autogen');
        return;
      }
      // RetentionPolicySpec.Matches, then "must be the default policy".
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.name, rp));
      if (!b) throw new QueryError(CONFLICT);
      if (stmt.rpDuration !== undefined && ns(b.retentionSeconds) !== stmt.rpDuration) throw new QueryError(CONFLICT);
      if (normalisedShardDuration(stmt.rpShardGroupDuration ?? 0n, ns(b.retentionSeconds)) !== ns(b.shardGroupSeconds)) throw new QueryError(CONFLICT);
      if (tenancy.defaultRp(orgID, stmt.name) !== rp) throw new QueryError(CONFLICT);
      return;
    }
    case 'drop-database': {
      for (const b of databaseBuckets(tenancy, orgID, stmt.name)) await tenancy.deleteBucket(b.id);
      if (tenancy.defaultRp(orgID, stmt.name) !== 'autogen') await tenancy.setDefaultRp(orgID, stmt.name, 'autogen');
      return;
    }
    case 'create-retention-policy': {
      // executeCreateRetentionPolicyStatement → Client/Data.CreateRetentionPolicy.
      if (!validName(stmt.name)) throw new QueryError('invalid name');
      checkDurationTooLow(stmt.duration);
      const shard = normalisedShardDuration(stmt.shardGroupDuration, stmt.duration);
      if (stmt.duration > 0n && stmt.duration < shard) throw new QueryError(INCOMPATIBLE);
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) throw new QueryError(`database not found: ${stmt.database}`);
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.database, stmt.name));
      if (b) {
        // The replication factor is not stored (always 1 here), so it is not compared.
        if (ns(b.retentionSeconds) !== stmt.duration || ns(b.shardGroupSeconds) !== shard) throw new QueryError('retention policy already exists');
        if (stmt.isDefault && tenancy.defaultRp(orgID, stmt.database) !== stmt.name) throw new QueryError(CONFLICT);
        return;
      }
      await createPolicy(ctx, stmt.database, stmt.name, stmt.duration, shard, stmt.isDefault);
      return;
    }
    case 'alter-retention-policy': {
      // Data.UpdateRetentionPolicy; the shard duration checks compare the
      // given (not yet normalised) value.
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) throw new QueryError(`database not found: ${stmt.database}`);
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.database, stmt.name));
      if (!b) throw new QueryError(`retention policy not found: ${stmt.name}`);
      checkDurationTooLow(stmt.duration);
      const d = stmt.duration;
      const sgd = stmt.shardGroupDuration;
      const cur = ns(b.retentionSeconds);
      if ((d !== undefined && d > 0n && ((sgd !== undefined && d < sgd) || (sgd === undefined && d < ns(b.shardGroupSeconds)))) || (d === undefined && cur > 0n && sgd !== undefined && cur < sgd)) {
        throw new QueryError(INCOMPATIBLE);
      }
      const patch: { retentionSeconds?: number; shardGroupSeconds?: number } = {};
      if (d !== undefined) patch.retentionSeconds = seconds(d);
      if (sgd !== undefined) patch.shardGroupSeconds = seconds(normalisedShardDuration(sgd, d ?? cur));
      if (patch.retentionSeconds !== undefined || patch.shardGroupSeconds !== undefined) await tenancy.updateBucket(b.id, patch);
      if (stmt.isDefault) await tenancy.setDefaultRp(orgID, stmt.database, stmt.name);
      return;
    }
    case 'drop-retention-policy': {
      // Missing database or policy: success (executeDropRetentionPolicyStatement).
      const b = tenancy.bucketByName(orgID, bucketNameFor(stmt.database, stmt.name));
      if (!b) return;
      await tenancy.deleteBucket(b.id);
      if (databaseBuckets(tenancy, orgID, stmt.database).length === 0) await tenancy.setDefaultRp(orgID, stmt.database, 'autogen');
      return;
    }
    case 'drop-measurement':
    case 'drop-series':
    case 'delete':
      return runDelete(stmt, ctx, db);
    default:
      throw new QueryError(`unsupported statement: ${stmt.kind}`);
  }
}
