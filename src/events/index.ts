// Device events, MQTT and Particle-compatible integrations (issue 4): builds
// the hub from ConcernDeps. Alone (natsUrl empty): DuckDB collections, the
// in-process bus and the write-ahead-log delivery queue in <dataDir>/webhooks.
// With HOOKLINE_NATS_URL: JetStream key-value buckets, a NATS bus and a shared
// JetStream work queue, so several nodes serve the same devices (nats-hub.ts).

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../concern-deps.ts';
import type { Module } from '../core/ports/module.ts';
import { isDefaultSetting } from '../config/load-config.ts';
import { DeviceRegistry, type DeviceDoc } from '../devices/device-registry.ts';
import { CircuitBreaker } from '../integrations/circuit-breaker.ts';
import { DeadLetters } from '../integrations/dead-letters.ts';
import { DeliveryLog } from '../integrations/delivery-log.ts';
import { DeliveryWorker } from '../integrations/delivery-worker.ts';
import { IntegrationStore, type IntegrationDoc } from '../integrations/integration-store.ts';
import { WebhookSender } from '../integrations/send-webhook.ts';
import { addressPolicy, ownOrigins } from '../integrations/ssrf-guard.ts';
import { WalDeliveryQueue } from '../integrations/wal-delivery-queue.ts';
import { SecretStore, type SecretDoc } from '../secrets/secret-store.ts';
import { DuckCollection, type Collection } from './collection.ts';
import { LocalEventBus, type EventBus } from './event-bus.ts';
import { EventHistory } from './event-history.ts';
import type { HubParts } from './hub-parts.ts';
import { startMqtt } from './mqtt-listener.ts';
import { connectNatsHub, type NatsHub } from './nats-hub.ts';
import { EventPipeline } from './publish-event.ts';
import { ownTargetWarnings, servedEndpoints } from './own-target-warnings.ts';
import { KEEP_ALIVE_MS } from './sse-stream.ts';
import type { DeliveryQueue } from '../core/ports/delivery-queue.ts';

/** The event hub; server.ts registers its HTTP routes (http/routes/particle-routes.ts) with `parts`, so events/ does not import http/. */
export interface EventHubModule extends Module<FastifyInstance> {
  readonly parts: HubParts;
}

export async function createEventHub(deps: ConcernDeps): Promise<EventHubModule> {
  const cfg = deps.config;
  const log = deps.logger;
  const onError = (msg: string, e: unknown) => log.error(msg, { error: e instanceof Error ? e.message : String(e) });

  const nats: NatsHub | undefined = cfg.natsUrl ? await connectNatsHub(cfg.natsUrl, log) : undefined;
  const collection = async <T>(name: string): Promise<Collection<T>> => (nats ? nats.collection<T>(name) : DuckCollection.open<T>(deps.duck.meta, name));

  const secrets = new SecretStore(await collection<SecretDoc>('secrets'), cfg.secretsKeyFile || join(cfg.dataDir, 'secrets.key'), (m) => log.warn(m));
  const integrations = new IntegrationStore(await collection<IntegrationDoc>('integrations'));
  const devices = new DeviceRegistry(await collection<DeviceDoc>('devices'));
  const bus: EventBus = nats ? nats.bus : new LocalEventBus((e) => onError('event listener failed', e));
  const history = await EventHistory.open(deps.duck.meta, cfg.eventHistory);
  bus.subscribe((ev) => history.record(ev));
  const deadLetters = await DeadLetters.open(deps.duck.meta, (m, x) => log.warn(m, x));
  const queue: DeliveryQueue = nats
    ? await nats.deliveryQueue({ limit: cfg.webhookQueueLimit, ackWaitMs: cfg.webhookTimeout + 30_000, prefetch: cfg.webhookConcurrency, fileDeadLetters: (l) => deadLetters.file(l), onError })
    : await WalDeliveryQueue.open({ dir: join(cfg.dataDir, 'webhooks'), limit: cfg.webhookQueueLimit, fileDeadLetters: (l) => deadLetters.file(l), onError });
  const deliveryLog = await DeliveryLog.open(deps.duck.meta);
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
  const parts: HubParts = { deps, bus, pipeline, history, devices, integrations, secrets, queue, worker, deliveryLog, deadLetters, breaker, sender, streams: new Set(), keepAliveMs: KEEP_ALIVE_MS, ownUrls: () => ownUrls, mode: nats ? 'nats' : 'local', collection };
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
      await nats?.close();
    },
  };
}
