// The "Test" button (docs.particle.io/integrations/webhooks, github.com/particle-iot/blueprint-intermediate-influxdb): render the exact request a sample
// event would make (secrets masked) and, when asked, send it and report the
// outcome. A 2xx with an empty body (InfluxDB's 204) is reported as success,
// where Particle's console says "Timed Out". Nothing is queued, logged or
// published, and the real circuit breaker is neither consulted nor scored.

import { API_DEVICE_ID, DEFAULT_TTL, newEventId } from '../events/event.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { DeliveryLogEntry } from './delivery-log.ts';
import type { IntegrationDoc } from './integration-store.ts';
import type { Recorded } from './recorded.ts';
import type { ResultEvent } from './response-events.ts';
import type { WebhookSender } from './send-webhook.ts';

export interface TestSample {
  name?: string;
  data?: string | null;
  coreid?: string;
}

/** Request, response, message and events all come from the attempt's Recorded results (masked). */
export interface TestReport {
  ok: true;
  event: { name: string; data: string | null; coreid: string; published_at: string };
  request?: DeliveryLogEntry['request'];
  sent: boolean;
  success?: boolean;
  message: string;
  status?: number;
  latencyMs?: number;
  response?: DeliveryLogEntry['response'];
  /** The events a real delivery would publish. */
  events?: Array<Recorded<ResultEvent>>;
}

export async function testIntegration(
  integ: IntegrationDoc,
  sample: TestSample,
  send: boolean,
  deps: { sender: WebhookSender; secrets: (orgId: string, names: readonly string[]) => Record<string, string> },
): Promise<TestReport> {
  const now = Date.now();
  const ev: DeviceEvent = {
    id: newEventId(now),
    name: sample.name || integ.spec.event,
    data: sample.data ?? null,
    coreid: sample.coreid || API_DEVICE_ID,
    publishedAt: new Date(now).toISOString(),
    ttl: DEFAULT_TTL,
    public: false,
    orgId: integ.orgId,
    internal: false,
  };
  const event = { name: ev.name, data: ev.data, coreid: ev.coreid, published_at: ev.publishedAt };
  if (!send) {
    // Render only: a sender that is never called.
    const r = await attemptDelivery(integ, ev, 0, { ...deps, breaker: neverAllow() });
    if (!r.log.request) return { ok: true, event, sent: false, success: false, message: r.message ?? 'invalid request' };
    return { ok: true, event, request: r.log.request, sent: false, message: 'rendered, not sent (send=true sends it)' };
  }
  const r = await attemptDelivery(integ, ev, 0, { ...deps, breaker: new CircuitBreaker() });
  const report: TestReport = { ok: true, event, ...(r.log.request ? { request: r.log.request } : {}), sent: r.sent, success: r.outcome === 'success', message: '', events: r.events };
  if (r.log.latencyMs !== undefined) report.latencyMs = r.log.latencyMs;
  if (r.log.response) {
    report.response = r.log.response;
    report.status = r.log.response.status;
  }
  if (r.outcome === 'success') {
    const bytes = r.log.response?.bytes ?? 0;
    report.message = bytes === 0 ? `success: ${report.status} with an empty body (any 2xx is success; no hook-response event is published)` : `success: ${report.status} with a ${bytes}-byte body`;
  } else report.message = r.message ?? 'failed';
  return report;
}

function neverAllow(): CircuitBreaker {
  const b = new CircuitBreaker();
  b.allow = () => false;
  return b;
}
