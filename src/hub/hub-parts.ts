// The parts of the event hub the Particle-compatible routes work with.

import type { ConcernDeps } from '../concern-deps.ts';
import type { DeviceRegistry } from '../devices/device-registry.ts';
import type { DeliveryQueue } from '../core/ports/delivery-queue.ts';
import type { CircuitBreaker } from '../integrations/circuit-breaker.ts';
import type { DeadLetterStore } from '../integrations/dead-letters.ts';
import type { DeliveryLog } from '../integrations/delivery-log.ts';
import type { DeliveryWorker } from '../integrations/delivery-worker.ts';
import type { IntegrationStore } from '../integrations/integration-store.ts';
import type { WebhookSender } from '../integrations/send-webhook.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Collection } from '../core/ports/collection.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { EventHistory } from '../events/event-history.ts';
import type { EventPipeline } from '../events/publish-event.ts';

export interface HubParts {
  deps: ConcernDeps;
  bus: EventBus;
  pipeline: EventPipeline;
  history: EventHistory;
  devices: DeviceRegistry;
  integrations: IntegrationStore;
  secrets: SecretStore;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
  deliveryLog: DeliveryLog;
  deadLetters: DeadLetterStore;
  breaker: CircuitBreaker;
  sender: WebhookSender;
  /** Stop functions of the open SSE streams (ended at shutdown, which would otherwise wait for them). */
  streams: Set<() => void>;
  /** SSE keep-alive period (ms). */
  keepAliveMs: number;
  /** hookline's own URLs (listen URLs, HOOKLINE_PUBLIC_URL), known once listening. */
  ownUrls: () => string[];
  /** "local" or "nats". */
  mode: string;
  /** Opens a document collection where this hub keeps its own (DuckDB alone, NATS key-value in a cluster): checks and their states (issue 13). */
  collection<T>(name: string): Promise<Collection<T>>;
}
