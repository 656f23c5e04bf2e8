// The composition root: the only place that builds concrete parts and wires
// them together. Everything else receives what it needs.

import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { jsonLimits } from './core/parse-json-bounded.ts';
import { createApp } from './http/create-app.ts';
import { registerV1Query } from './http/routes/influx-v1-query.ts';
import { registerV3InfluxQl } from './http/routes/influx-v3-influxql.ts';
import { registerOpenTsdbMeta } from './http/routes/opentsdb-meta.ts';
import { registerOpenTsdbPut } from './http/routes/opentsdb-put.ts';
import { registerOpenTsdbQuery } from './http/routes/opentsdb-query.ts';
import { registerParticleRoutes } from './http/routes/particle-routes.ts';
import { registerBackup } from './http/routes/hookline-backup.ts';
import { registerV2Replications } from './http/routes/influx-v2-replications.ts';
import { registerDashboards } from './http/routes/hookline-dashboards.ts';
import { DashboardStore, type StoredDashboard } from './dashboards/dashboard-store.ts';
import type { ConcernDeps } from './concern-deps.ts';
import type { Module } from './core/ports/module.ts';
import type { PointStore } from './core/ports/point-store.ts';
import { inlineParser, ParsePool } from './ingest/line-protocol/parse-pool.ts';
import { IngestPipeline, isWriteUnavailable } from './ingest/pipeline.ts';
import { applyTo, ReplicatedPointStore } from './cluster/replicated-point-store.ts';
import { WriteLog } from './cluster/write-log.ts';
import { Lease } from './cluster/lease.ts';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ERRORS, HooklineError } from './core/errors.ts';
import type { WriteResult } from './core/ports/point-store.ts';
import { QueryLimiter } from './query/query-limiter.ts';
import { storeView } from './query/store-view.ts';
import { SqlService } from './query/sql/run-sql.ts';
import { createInfluxQl } from './query/influxql/index.ts';
import { createEventHub, type HubBackends } from './hub/create-hub.ts';
import { DuckCollection } from './events/collection.ts';
import { LocalEventBus } from './events/event-bus.ts';
import { connectNatsHub, type NatsHub } from './events/nats-hub.ts';
import { untilJetStream } from './events/jetstream-retry.ts';
import { NatsDeliveryQueue } from './integrations/nats-delivery-queue.ts';
import { WalDeliveryQueue } from './integrations/wal-delivery-queue.ts';
import { CollectionDeadLetters, type DeadLetterDoc } from './integrations/collection-dead-letters.ts';
import type { RemoteDoc, ReplicationDoc } from './replication/model.ts';
import { ReplicatingPointStore } from './replication/replicating-point-store.ts';
import { ReplicationService } from './replication/replication-service.ts';
import { addressPolicy } from './integrations/ssrf-guard.ts';
import { createOpenTsdb } from './opentsdb/index.ts';
import { createExplorer } from './explorer/index.ts';
import { BackupService } from './storage/backup/backup-service.ts';
import { Duck } from './storage/duck/duck.ts';
import { ParquetPointStore } from './storage/parquet-point-store.ts';
import { sqlSourceOf } from './storage/query/sql-source.ts';
import { Store, type StoreLogger } from './storage/store.ts';
import { ensureFirstRun, type FirstRunResult } from './tenancy/first-run.ts';
import { Tenancy } from './tenancy/tenancy.ts';
import { openTenancyCollections } from './tenancy/tenancy-collections.ts';
import { loadTls } from './tls/load-tls.ts';
import { buildAlerts } from './build-alerts.ts';
import type { AlertsService } from './alerts/alerts-service.ts';
import { registerChecks } from './http/routes/hookline-checks.ts';
import { registerDeviceState } from './http/routes/hookline-device-state.ts';

/** How long requests in flight may finish after a stop was asked for, at most (then HOOKLINE_SHUTDOWN_TIMEOUT / 3 if shorter). */
const CONNECTION_GRACE_MS = 5000;

export interface Server {
  app: FastifyInstance;
  store: Store;
  /** The store through its ports (PointStore, SchemaReader, SqlSource): what the query front ends are handed. */
  points: ParquetPointStore;
  /** The one ingest call (tools and benchmarks that run statements in-process write through it). */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  /** Base URL of the main HTTP listener. */
  url: string;
  firstRun?: FirstRunResult;
  /** The query gate (its stats for monitoring; tests hold a slot with it). */
  queries: QueryLimiter;
  /** Checks and their evaluation (issue 13); the bench reads its lag. */
  alerts: AlertsService;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { logger?: boolean | object } = {}): Promise<Server> {
  await mkdir(config.dataDir, { recursive: true });
  // The pure parsers (templates, JSON entry points) read the bound from here; one value per process.
  jsonLimits.maxDepth = config.maxJsonDepth;
  const duck = await Duck.open({
    path: join(config.dataDir, 'hookline.duckdb'),
    threads: config.duckdbThreads,
    memoryLimit: config.duckdbMemoryLimit || undefined,
    rewriteMemoryLimit: config.compactionMemoryLimit,
  });
  const log = storeLogger(opts.logger ?? { level: config.logLevel });
  // Several nodes (HOOKLINE_NATS_URL): one connection, opened first, because
  // tenancy already lives in JetStream key-value buckets shared by every node.
  let nats: NatsHub | undefined;
  let tenancy: Tenancy;
  try {
    nats = config.natsUrl ? await connectNatsHub(config.natsUrl, log, config.natsReplicas) : undefined;
    const kv = nats;
    tenancy = kv ? Tenancy.over(await openTenancyCollections((name) => kv.collection(name))) : await Tenancy.open(duck.meta);
  } catch (e) {
    await nats?.close();
    await duck.close();
    throw e;
  }
  tenancy.onError = (msg, e) => log.error(msg, { error: e instanceof Error ? e.message : String(e) });
  const firstRun = await ensureFirstRun(tenancy, {
    org: config.initOrg,
    bucket: config.initBucket,
    token: config.initToken,
    retentionSeconds: Math.round(config.initRetention / 1000),
  });
  const logger = opts.logger ?? { level: config.logLevel };
  // Measured on 2 cores: a parse worker competes with the event loop, the
  // client and DuckDB for the same cores and adds latency (docs/storage.md);
  // it pays off from 4 cores.
  const cores = availableParallelism();
  const workers = config.parseWorkers >= 0 ? config.parseWorkers : cores >= 4 ? Math.min(4, cores - 2) : 0;
  const parser = workers > 0 ? new ParsePool(workers) : inlineParser;
  const store = await Store.open({
    parser,
    dataDir: config.dataDir,
    duck,
    bucketInfo: (id) => {
      const b = tenancy.bucket(id);
      return b && { id: b.id, retentionSeconds: b.retentionSeconds, shardGroupSeconds: b.shardGroupSeconds };
    },
    flushRows: config.flushPoints,
    maxMemRows: config.maxBufferedPoints,
    maxSeriesPerBucket: config.maxSeriesPerBucket,
    flushIntervalMs: config.flushInterval,
    rollupCacheBytes: config.rollupCacheBytes,
    logger: log,
  });
  // InfluxDB 2's edge replication (/api/v2/remotes, /api/v2/replications): a
  // disk queue and a forwarder per replication; remote tokens encrypted with the secrets key.
  // Remotes and replications are shared by every node with NATS (key-value
  // buckets); each node queues and forwards the writes that come in through it.
  const replConfig = <T>(name: string) => (nats ? nats.collection<T>(name) : DuckCollection.open<T>(duck.meta, name));
  const replication = await ReplicationService.open(await replConfig<RemoteDoc>('remotes'), await replConfig<ReplicationDoc>('replications'), {
    dir: join(config.dataDir, 'replications'),
    keyFile: config.secretsKeyFile || join(config.dataDir, 'secrets.key'),
    maxQueueBytes: config.replicationMaxQueueBytes,
    maxRetryDelayMs: config.replicationMaxRetryDelay,
    policy: addressPolicy(config.replicationAllowPrivate),
    log,
  });
  tenancy.onBucketDeleted = async (b) => {
    await replication.bucketDeleted(b.id);
    await store.deleteBucket(b.id);
  };
  // Online backups (docs/backup.md): the store flushes and freezes its file set while the catalog is copied.
  const backup = await BackupService.open({ dataDir: config.dataDir, duck, withFlushedFiles: (fn) => store.withFlushedFiles(fn) });
  // The one ingest call every transport ends in (HTTP v1/v2/v3, OpenTSDB HTTP
  // and telnet, SELECT INTO, continuous queries), over the PointStore port.
  const points = new ParquetPointStore(store);
  // Several nodes: every change of the series goes through the cluster's
  // write log, and this node applies the log (its own entries included) to
  // its store (cluster/write-log.ts, docs/cluster.md).
  let writeLog: WriteLog | undefined;
  if (nats) {
    const hub = nats;
    writeLog = await untilJetStream('the write log', () => WriteLog.open(
      {
        js: hub.js,
        jsm: hub.jsm,
        ns: hub.ns,
        replicas: config.natsReplicas,
        maxAgeMs: config.natsWriteLogMaxAge,
        maxBytes: config.natsWriteLogMaxBytes,
        maxPayload: hub.maxPayload,
        positionFile: join(config.dataDir, 'cluster-position'),
        apply: async (e) => {
          const r = await applyTo(points)(e);
          // Observers (the last-value cache) hear of every node's writes, once, as they are applied here.
          if (e.kind === 'write' && (r as WriteResult).written > 0) ingest.written(e.batch.bucketId, e.batch.data, e.batch.now);
          return r;
        },
        log,
      },
      (e) => isWriteUnavailable(e) && !(e instanceof HooklineError && e.def === ERRORS.CLUSTER_UNAVAILABLE),
    ), log);
  }
  const writes: PointStore = writeLog ? new ReplicatedPointStore(points, writeLog) : points;
  // Writes to a replicated bucket are queued for its replications once durable
  // (outermost: the node a write comes in through queues it, once).
  const ingest = new IngestPipeline(new ReplicatingPointStore(writes, replication), undefined, writeLog === undefined);
  // Read the log only once the pipeline exists: applied entries are reported to its observers.
  if (writeLog) {
    const wl = writeLog;
    await untilJetStream('the write log', () => wl.start(), log);
  }
  // What the query front ends and http/ get of the store: this node's schema
  // and snapshots, and deletions (InfluxQL DELETE, DROP SERIES, DROP
  // MEASUREMENT) through the same path as writes, so a cluster replicates them
  // (InfluxDB's edge replication forwards writes only, as the replication
  // decorator does).
  const view = storeView(points, writes);
  // SQL runs in sandbox processes (docs/security.md, "SQL sandbox"): one per
  // query that may run at once, but no more than the cores (each runs DuckDB
  // on one thread; on 2 cores two queries already share them with the server).
  const sql = new SqlService(
    sqlSourceOf(store),
    {
      timeoutMs: config.queryTimeout,
      memoryBytes: config.queryMemoryLimit,
      maxResultBytes: config.queryMaxResultBytes,
      sandboxDir: join(config.dataDir, '.sandbox'),
      processes: Math.max(1, Math.min(config.maxConcurrentQueries, cores)),
    },
  );
  const queries = new QueryLimiter({ maxConcurrent: config.maxConcurrentQueries, maxQueued: config.maxQueuedQueries, queueTimeoutMs: config.queryTimeout });
  // Whatever started is stopped again if a later part fails to start, so a
  // failed start ends the process instead of leaving it hanging on open handles.
  const concerns: Module<FastifyInstance>[] = [];
  let app: FastifyInstance | undefined;
  let scheduler: Lease | undefined;
  const stopAll = async () => {
    for (const c of [...concerns].reverse()) await c.close().catch((e) => log.error('closing failed', { error: String(e) }));
    // Sandboxes first: an SQL query still running ends now with an error
    // instead of holding app.close() for up to HOOKLINE_QUERY_TIMEOUT.
    await sql.close();
    // fastify's close waits for every request in flight, and a client that
    // stalled mid-body (or died without a FIN) keeps one open for good (issue
    // 10, finding 9: 20 minutes in "stopping..."). Requests get a grace, then
    // their connections are cut; anything acknowledged is in the WAL already.
    if (app) {
      const server = app.server;
      const cut = setTimeout(() => server.closeAllConnections(), Math.min(CONNECTION_GRACE_MS, config.shutdownTimeout / 3));
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
    }
    await replication.close();
    await scheduler?.close();
    await writeLog?.close();
    await store.close();
    await nats?.close();
    await duck.close();
  };
  let url: string;
  let alertsService: AlertsService | undefined;
  try {
    const tls = await loadTls(config);
    // Several nodes: continuous queries and checks run on the node holding this lease.
    if (nats) scheduler = await untilJetStream('the scheduler lease', () => Lease.open({ js: nats!.js, ns: nats!.ns, name: 'scheduler', nodeId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`, ttlMs: 10_000, replicas: config.natsReplicas, log }), log);
    const lease = scheduler;
    const deps: ConcernDeps = { config, store: view, ingest, tenancy, sql, queries, duck, logger: log, tls, ...(lease ? { runsHere: () => lease.holds() } : {}) };
    // The InfluxQL, event hub and OpenTSDB routes are wired here, in the order their
    // modules used to register them, so that those features do not import http/.
    concerns.push(
      withRoutes(createInfluxQl(deps), (a) => {
        registerV1Query(a, deps);
        registerV3InfluxQl(a, deps);
      }),
    );
    const backends = hubBackends(config, duck, log, nats);
    const hub = await createEventHub(deps, backends);
    // Dashboards live where the hub keeps its documents (DuckDB alone, JetStream key-value with NATS).
    const dashboards = new DashboardStore(await backends.collection<StoredDashboard>('dashboards'), { maxBytes: config.maxDashboardBytes, maxPerOrg: config.maxDashboardsPerOrg });
    concerns.push(
      withRoutes(hub, (a) => {
        registerParticleRoutes(a, hub.parts);
        registerDashboards(a, { dashboards, tenancy, maxBytes: config.maxDashboardBytes });
      }),
    );
    // Checks, alert events and device state (issue 13): after the hub, so they stop before it.
    const alerts = await buildAlerts(deps, hub.parts, points);
    alertsService = alerts.service;
    concerns.push({
      routes(a) {
        registerChecks(a, { alerts: alerts.service, tenancy, maxBodyBytes: config.maxQueryBodyBytes });
        registerDeviceState(a, { devices: alerts.devices, tenancy, registered: (orgId) => hub.parts.devices.list(orgId), maxBodyBytes: config.maxQueryBodyBytes });
      },
      async start() {
        alerts.service.start();
      },
      close: () => alerts.service.close(),
    });
    concerns.push(
      withRoutes(await createOpenTsdb(deps), (a) => {
        registerOpenTsdbPut(a, deps);
        registerOpenTsdbQuery(a, deps);
        registerOpenTsdbMeta(a, deps);
      }),
    );
    concerns.push(await createExplorer(deps));
    app = createApp({
      config,
      store: view,
      settle: async () => {
        await store.flush();
        await store.compactNow();
      },
      ingest,
      tenancy,
      sql,
      queries,
      logger,
      https: tls,
      writePositions: writeLog,
      extraRoutes: [
        ...concerns.flatMap((c) => (c.routes ? [(a: FastifyInstance) => c.routes!(a)] : [])),
        (a: FastifyInstance) => registerBackup(a, { tenancy, backup }),
        (a: FastifyInstance) => registerV2Replications(a, { tenancy, replication, maxBodyBytes: config.maxDecompressedBytes }),
      ],
    });
    await app.listen({ port: config.httpPort, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    url = `${tls ? 'https' : 'http'}://${host}:${port}`;
    for (const c of concerns) await c.start?.({ url: config.publicUrl || url });
  } catch (e) {
    await stopAll().catch(() => undefined);
    throw e;
  }
  const started = app;
  let closed = false;
  return {
    app: started,
    store,
    points,
    ingest,
    tenancy,
    url,
    firstRun,
    queries,
    alerts: alertsService!,
    async close() {
      if (closed) return;
      closed = true;
      await stopAll();
    },
  };
}

/**
 * Local or NATS (HOOKLINE_NATS_URL), chosen here and nowhere else: alone,
 * documents in DuckDB, the in-process bus and the write-ahead-log delivery
 * queue in <dataDir>/webhooks; with NATS, JetStream key-value buckets, core
 * NATS subjects and a JetStream work queue shared by every node.
 */
function hubBackends(config: Config, duck: Duck, log: StoreLogger, nats: NatsHub | undefined): HubBackends {
  const onError = (msg: string, e: unknown) => log.error(msg, { error: e instanceof Error ? e.message : String(e) });
  if (nats) {
    return {
      mode: 'nats',
      bus: nats.bus,
      collection: (name) => nats.collection(name),
      openQueue: (fileDeadLetters) =>
        untilJetStream('the delivery queue', () => NatsDeliveryQueue.open({
          js: nats.js,
          jsm: nats.jsm,
          ns: nats.ns,
          limit: config.webhookQueueLimit,
          // Longer than the webhook timeout: the time a node may hold a delivery.
          ackWaitMs: config.webhookTimeout + 30_000,
          prefetch: config.webhookConcurrency,
          replicas: config.natsReplicas,
          fileDeadLetters,
          onError,
        }), log),
      openDeadLetters: async (warn) => new CollectionDeadLetters(await nats.collection<DeadLetterDoc>('dead_letters'), warn),
      channel: (name) => nats.channel(name),
      // The connection is closed by server.ts, after tenancy's watches.
      close: async () => undefined,
    };
  }
  return {
    mode: 'local',
    bus: new LocalEventBus((e) => onError('event listener failed', e)),
    collection: (name) => DuckCollection.open(duck.meta, name),
    openQueue: (fileDeadLetters) => WalDeliveryQueue.open({ dir: join(config.dataDir, 'webhooks'), limit: config.webhookQueueLimit, fileDeadLetters, onError }),
    close: async () => undefined,
  };
}

/** The store and the concerns log through the same sink as HTTP, without depending on fastify. */
function storeLogger(logger: boolean | object): StoreLogger {
  if (logger === false) return { info() {}, warn() {}, error() {} };
  const level = typeof logger === 'object' && 'level' in logger ? String((logger as { level: string }).level) : 'info';
  const rank: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };
  const min = rank[level] ?? 30;
  const write = (name: string, n: number) => (msg: string, extra?: Record<string, unknown>) => {
    if (n >= min) process.stderr.write(JSON.stringify({ level: n, time: Date.now(), msg, ...extra }) + '\n');
  };
  return { info: write('info', 30), warn: write('warn', 40), error: write('error', 50) };
}

/** `m` with `register` run after its own routes() (if any): HTTP routes the composition root wires for a module. */
function withRoutes<M extends Module<FastifyInstance>>(m: M, register: (app: FastifyInstance) => void): M {
  const own = m.routes?.bind(m);
  m.routes = (app) => {
    own?.(app);
    register(app);
  };
  return m;
}
