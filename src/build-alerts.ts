// Builds the alerts module (checks, alert events, `_monitoring` statuses,
// device state; issue 13) from the parts server.ts made, handing it narrow
// functions only: a query runner that reads one bucket with a read grant on
// that bucket alone (so a check can never read more than its bucket, whatever
// its query names), the event pipeline's publish, the ingest call for status
// points and the collection factory of the event hub. Beside server.ts, in no
// layer, like concern-deps.ts.

import type { ConcernDeps } from './concern-deps.ts';
import type { SchemaReader } from './core/ports/schema-reader.ts';
import type { Collection } from './core/ports/collection.ts';
import type { Point } from './core/point.ts';
import { AlertsService } from './alerts/alerts-service.ts';
import type { CheckDoc } from './alerts/check-spec.ts';
import { DeviceStates, type DeviceSettingsDoc } from './alerts/device-state.ts';
import { LastValueCache } from './alerts/last-value-cache.ts';
import type { CheckStateDoc, QueryRunner, RawSeries } from './alerts/ports.ts';
import type { EventPipeline } from './events/publish-event.ts';
import { executeStatements, parseRequest, selectLimits } from './query/influxql/run-query.ts';
import { TimeCell } from './query/influxql/select/values.ts';
import type { Authorization } from './tenancy/model.ts';

export const MONITORING_BUCKET = '_monitoring';
/** InfluxDB 2's _monitoring bucket keeps 7 days (docs.influxdata.com/influxdb/v2/reference/internals/system-buckets/). */
const MONITORING_RETENTION_SECONDS = 7 * 86400;

export interface Alerts {
  service: AlertsService;
  devices: DeviceStates;
  lastValues: LastValueCache;
}

function cell(v: unknown): unknown {
  if (v instanceof TimeCell) return new Date(Number(v.ns / 1_000_000n)).toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** A read grant on one bucket only: what a check's query runs with. */
function bucketReader(orgId: string, bucketId: string): Authorization {
  return { id: `check-${bucketId}`, tokenHash: '', description: 'check', status: 'active', orgID: orgId, userID: '', permissions: [{ action: 'read', resource: { type: 'buckets', orgID: orgId, id: bucketId } }], createdAt: '', updatedAt: '' };
}

export async function buildAlerts(deps: ConcernDeps, hub: { pipeline: EventPipeline; collection<T>(name: string): Promise<Collection<T>> }, schema: SchemaReader): Promise<Alerts> {
  const { config, tenancy } = deps;
  const queries: QueryRunner = {
    async influxql(orgId, bucketId, q) {
      const bucket = tenancy.bucket(bucketId);
      if (!bucket || bucket.orgID !== orgId) throw new Error('the check\'s bucket no longer exists');
      const slash = bucket.name.indexOf('/');
      const db = slash < 0 ? bucket.name : bucket.name.slice(0, slash);
      const rp = slash < 0 ? 'autogen' : bucket.name.slice(slash + 1);
      const statements = parseRequest(q);
      const results = await deps.queries.run(() =>
        executeStatements({ store: deps.store, ingest: deps.ingest, tenancy, timeoutMs: config.queryTimeout, limits: selectLimits(config) }, bucketReader(orgId, bucketId), statements, { db, rp, readOnly: true }),
      );
      const out: RawSeries[] = [];
      for (const r of results) {
        if (r.error) throw new Error(r.error);
        for (const s of r.series ?? []) out.push({ name: s.name, tags: s.tags, columns: s.columns, values: s.values.map((row) => row.map(cell)) });
      }
      return out;
    },
    async sql(orgId, bucketId, q) {
      const bucket = tenancy.bucket(bucketId);
      if (!bucket || bucket.orgID !== orgId) throw new Error('the check\'s bucket no longer exists');
      const r = await deps.queries.run(() => deps.sql.query(bucketId, q));
      return { columns: r.columns, rows: r.rows.map((row) => row.map(cell)) };
    },
  };
  const monitoringBucket = (orgId: string) => tenancy.bucketByName(orgId, MONITORING_BUCKET)?.id;
  // Made once per org even when several checks report at the same moment (a second create would conflict).
  const making = new Map<string, Promise<string>>();
  const ensureMonitoring = (orgId: string): Promise<string> => {
    let p = making.get(orgId);
    if (!p) {
      p = tenancy
        .createBucket({ orgID: orgId, name: MONITORING_BUCKET, description: 'check statuses (hookline alerts)', retentionSeconds: MONITORING_RETENTION_SECONDS, system: true })
        .then((b) => b.id)
        .finally(() => making.delete(orgId));
      making.set(orgId, p);
    }
    return p;
  };
  const lastValues = new LastValueCache();
  // Fed on every stored write (the ingest pipeline's observer), `_monitoring` aside.
  deps.ingest.observe((w) => {
    if (tenancy.bucket(w.bucketId)?.name === MONITORING_BUCKET) return;
    lastValues.recordRows(w.bucketId, (fn) => w.forEachRow(fn), Date.now());
  });
  const prevDeleted = tenancy.onBucketDeleted;
  tenancy.onBucketDeleted = async (b) => {
    lastValues.dropBucket(b.id);
    await prevDeleted(b);
  };
  const service = new AlertsService({
    checks: await hub.collection<CheckDoc>('checks'),
    states: await hub.collection<CheckStateDoc>('check_states'),
    lastValues,
    queries,
    async publish(orgId, name, data) {
      await hub.pipeline.publish({ name, data, private: true }, { kind: 'api', orgId });
    },
    async writeStatuses(orgId: string, points: Point[]) {
      const id = monitoringBucket(orgId) ?? (await ensureMonitoring(orgId));
      await deps.ingest.ingest({ bucketId: id, data: { format: 'points', points }, onParseError: 'skip' });
    },
    monitoringBucket,
    measurements: (b) => schema.measurements(b),
    buckets: () => tenancy.listBuckets().filter((b) => b.name !== MONITORING_BUCKET).map((b) => ({ orgId: b.orgID, bucketId: b.id })),
    limits: { maxChecksPerOrg: config.maxChecks, maxSeriesPerCheck: config.checkMaxSeries, minEveryMs: config.checkMinEvery, maxMessageBytes: config.checkMaxMessageBytes, maxQueryBytes: config.maxQueryBodyBytes, concurrency: Math.max(1, config.maxConcurrentQueries - 1), run: config.runChecks, runsHere: deps.runsHere },
    lookbackMs: config.deviceStateLookback,
    log: deps.logger,
  });
  const devices = new DeviceStates({ lvc: lastValues, settings: await hub.collection<DeviceSettingsDoc>('device_settings'), defaultOnlineMs: config.deviceOnlineAfter });
  return { service, devices, lastValues };
}
