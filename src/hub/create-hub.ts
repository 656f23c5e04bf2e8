// The device hub (issue 4): device events, MQTT and Particle-compatible
// integrations, wired over the backends server.ts chose for it (issue 11:
// server.ts is the one place that picks local or NATS). Alone: DuckDB
// collections, the in-process bus and the write-ahead-log delivery queue in
// <dataDir>/webhooks. With HOOKLINE_NATS_URL: JetStream key-value buckets, a
// NATS bus and a shared JetStream work queue (events/nats-hub.ts), so several
// nodes serve the same devices. The hub sits above events/ and integrations/:
// it may import both; events/ knows nothing of integrations/.

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../concern-deps.ts';
import type { Collection } from '../core/ports/collection.ts';
import type { DeadLetter, DeliveryQueue } from '../core/ports/delivery-queue.ts';
import type { EventBus } from '../core/ports/event-bus.ts';
import type { Module } from '../core/ports/module.ts';
import { isDefaultSetting } from '../config/load-config.ts';
import { DeviceRegistry, type DeviceDoc } from '../devices/device-registry.ts';
import { EventHistory } from '../events/event-history.ts';
import { ownTargetWarnings, servedEndpoints } from '../events/own-target-warnings.ts';
import { EventPipeline } from '../events/publish-event.ts';
import { KEEP_ALIVE_MS } from '../events/sse-stream.ts';
import { CircuitBreaker } from '../integrations/circuit-breaker.ts';
import { DeadLetters, type DeadLetterStore } from '../integrations/dead-letters.ts';
import { DeliveryLog, type Channel } from '../integrations/delivery-log.ts';
import { randomBytes } from 'node:crypto';
import { DeliveryWorker } from '../integrations/delivery-worker.ts';
import { IntegrationStore, type IntegrationDoc } from '../integrations/integration-store.ts';
import { WebhookSender } from '../integrations/send-webhook.ts';
import { addressPolicy, ownOrigins } from '../integrations/ssrf-guard.ts';
import { SecretStore, type SecretDoc } from '../secrets/secret-store.ts';
import type { HubParts } from './hub-parts.ts';
import { startMqtt } from './mqtt-listener.ts';

/** What server.ts chose for the hub: where documents live, the bus, the delivery queue. */
export interface HubBackends {
  mode: 'local' | 'nats';
  bus: EventBus;
  collection<T>(name: string): Promise<Collection<T>>;
  /** Opens the delivery queue; dead letters leave it through `fileDeadLetters` (kept by the hub). */
  openQueue(fileDeadLetters: (letters: DeadLetter[]) => Promise<void>, onError: (msg: string, e: unknown) => void): Promise<DeliveryQueue>;
  /** Several nodes: dead letters every node lists (a JetStream key-value bucket); absent: the catalog's. */
  openDeadLetters?(warn: (msg: string, extra?: Record<string, unknown>) => void): Promise<DeadLetterStore>;
  /** Several nodes: a broadcast every node hears, so each node's delivery log holds every node's deliveries. */
  channel?: (name: string) => Channel;
  /** Releases what the backends hold (the NATS connection), after the hub closed. */
  close(): Promise<void>;
}

/** The event hub; server.ts registers its HTTP routes (http/routes/particle-routes.ts) with `parts`, so events/ does not import http/. */
export interface EventHubModule extends Module<FastifyInstance> {
  readonly parts: HubParts;
}

export async function createEventHub(deps: ConcernDeps, backends: HubBackends): Promise<EventHubModule> {
  const cfg = deps.config;
  const log = deps.logger;
  const onError = (msg: string, e: unknown) => log.error(msg, { error: e instanceof Error ? e.message : String(e) });

  const { bus, collection } = backends;

  const secrets = new SecretStore(await collection<SecretDoc>('secrets'), cfg.secretsKeyFile || join(cfg.dataDir, 'secrets.key'), (m) => log.warn(m));
  const integrations = new IntegrationStore(await collection<IntegrationDoc>('integrations'));
  const devices = new DeviceRegistry(await collection<DeviceDoc>('devices'));
  const history = await EventHistory.open(deps.duck.meta, cfg.eventHistory);
  bus.subscribe((ev) => history.record(ev));
  const warn = (m: string, x?: Record<string, unknown>) => log.warn(m, x);
  const deadLetters: DeadLetterStore = backends.openDeadLetters ? await backends.openDeadLetters(warn) : await DeadLetters.open(deps.duck.meta, warn);
  const queue = await backends.openQueue((l) => deadLetters.file(l), onError);
  const deliveryLog = await DeliveryLog.open(deps.duck.meta);
  // Several nodes: every node's deliveries show in every node's log and counters.
  if (backends.channel) deliveryLog.share(backends.channel('delivery-log'), randomBytes(8).toString('hex'));
  const breaker = new CircuitBreaker();
  let ownUrls = [cfg.publicUrl].filter(Boolean);
  let own = ownOrigins(ownUrls);
  const sender = new WebhookSender({
    policy: addressPolicy(cfg.webhookAllowPrivate),
    ownOrigins: () => own,
    ownCa: deps.tls?.cert,
    timeoutMs: cfg.webhookTimeout,
    maxSockets: cfg.webhookConcurrency,
  });
  const pipeline = new EventPipeline({ bus, integrations, queue, devices });
  const worker = new DeliveryWorker({
    queue,
    integrations,
    log: deliveryLog,
    sender,
    breaker,
    secrets: (orgId, names) => secrets.values(orgId, names),
    concurrency: cfg.webhookConcurrency,
    maxAttempts: cfg.webhookMaxAttempts,
    publishResult: (orgId, ev) => pipeline.publishResult(orgId, ev),
    onError,
  });
  const parts: HubParts = { deps, bus, pipeline, history, devices, integrations, secrets, queue, worker, deliveryLog, deadLetters, breaker, sender, streams: new Set(), keepAliveMs: KEEP_ALIVE_MS, ownUrls: () => ownUrls, mode: backends.mode, collection };
  let app: FastifyInstance | undefined;
  let mqtt: { close(): Promise<void> } | undefined;

  return {
    parts,
    routes(a) {
      app = a;
    },
    async start({ url }) {
      // hookline's own URLs are always allowed as webhook targets (the seed points at /api/v2/write).
      const address = app?.server.address();
      const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
      const listen = address && typeof address === 'object' ? `${deps.tls ? 'https' : 'http'}://${host}:${address.port}` : '';
      ownUrls = [url, cfg.publicUrl, listen].filter(Boolean);
      // With TLS the same port also serves plain HTTP (dual-protocol-server.ts) unless HOOKLINE_TLS_PLAIN_HTTP=false.
      if (deps.tls && cfg.tlsPlainHttp) ownUrls.push(...ownUrls.filter((u) => u.startsWith('https:')).map((u) => 'http:' + u.slice('https:'.length)));
      own = ownOrigins(ownUrls);
      if (address && typeof address === 'object') {
        const served = servedEndpoints({ host: cfg.host, ports: [address.port, ...(cfg.opentsdbPort > 0 ? [cfg.opentsdbPort] : [])], tls: deps.tls !== undefined, plainHttp: cfg.tlsPlainHttp, publicUrl: cfg.publicUrl });
        const all = deps.tenancy.listOrgs().flatMap((o) => integrations.list(o.id).map((d) => ({ id: d.id, name: d.spec.name ?? d.spec.event, url: d.spec.url })));
        for (const w of ownTargetWarnings(all, served)) log.warn(w);
      }
      if (cfg.mqttPort > 0) {
        try {
          mqtt = await startMqtt(parts, cfg.host, cfg.mqttPort);
        } catch (e) {
          // The default port taken (a Mosquitto on 1883, say): run without MQTT rather than not at all.
          if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !isDefaultSetting(cfg, 'mqttPort')) throw e;
          log.warn(`MQTT is off: port ${cfg.mqttPort} is in use by another program; set HOOKLINE_MQTT_PORT to a free port to turn it on`);
        }
      }
      worker.pump();
    },
    async close() {
      for (const stop of parts.streams) stop();
      await mqtt?.close().catch((e) => onError('closing MQTT failed', e));
      await worker.close();
      await queue.close();
      await deliveryLog.close();
      await history.close();
      await devices.close();
      deadLetters.close();
      sender.close();
      await bus.close();
      await backends.close();
    },
  };
}
