// One delivery attempt: render the request, ask the host's circuit breaker,
// send, and turn the answer into an outcome, the events to publish back
// (docs.particle.io/reference/cloud-apis/webhooks) and a log entry with every secret masked (docs.particle.io/getting-started/cloud/secrets).

import type { DeviceEvent } from '../events/event.ts';
import { parseEventData, predefinedVariables } from '../templates/event-context.ts';
import type { TemplateContext } from '../templates/render-template.ts';
import { maskText, maskValues } from '../secrets/mask-secrets.ts';
import { buildRequest, type WebhookRequest } from './build-request.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { excerpt, type DeliveryLogEntry, type Outcome } from './delivery-log.ts';
import type { IntegrationDoc } from './integration-store.ts';
import { errorEvent, hookSentEvent, responseEvents, SLEEPING_MESSAGE, statusErrorMessage, type ResultEvent } from './response-events.ts';
import type { SendResult, WebhookSender } from './send-webhook.ts';

export interface AttemptDeps {
  sender: WebhookSender;
  breaker: CircuitBreaker;
  /** Plain values of the named secrets of an org. */
  secrets: (orgId: string, names: readonly string[]) => Record<string, string>;
}

export interface AttemptResult {
  outcome: Outcome;
  /** Worth another attempt later (timeouts, connection errors, 5xx, 408, 429, sleeping host). */
  retryable: boolean;
  message?: string;
  events: ResultEvent[];
  log: DeliveryLogEntry;
  /** Masked request and raw result, for the test endpoint. */
  request?: WebhookRequest;
  result?: SendResult;
}

interface EventCache {
  data: unknown;
  predefined: Record<string, string>;
  /** The context without secrets. */
  plain: TemplateContext;
}
const perEvent = new WeakMap<DeviceEvent, EventCache>();

/** Event data parsed and predefined variables built once per event, however many integrations it fans out to. */
function eventCache(ev: DeviceEvent): EventCache {
  let c = perEvent.get(ev);
  if (!c) {
    const data = parseEventData(ev.data);
    const predefined = predefinedVariables(ev);
    perEvent.set(ev, (c = { data, predefined, plain: { data, reserved: predefined } }));
  }
  return c;
}

/** Secrets under the predefined variables (which always win, docs.particle.io/reference/cloud-apis/webhooks). */
function withSecrets(c: EventCache, secrets: Record<string, string>): TemplateContext {
  return { data: c.data, reserved: { ...secrets, ...c.predefined } };
}

const NOT_RETRYABLE_CODES = new Set(['EADDRBLOCKED', 'ERR_INVALID_URL', 'ERR_INVALID_CHAR', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function headerRecord(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function attemptDelivery(integ: IntegrationDoc, ev: DeviceEvent, attempt: number, deps: AttemptDeps): Promise<AttemptResult> {
  const spec = integ.spec;
  const cached = eventCache(ev);
  const hasSecrets = spec.secrets.length > 0;
  const secretValues = hasSecrets ? deps.secrets(integ.orgId, spec.secrets) : {};
  const ctx = hasSecrets ? withSecrets(cached, secretValues) : cached.plain;
  const masked: TemplateContext = hasSecrets ? withSecrets(cached, maskValues(spec.secrets)) : cached.plain;
  const mask = (s: string) => (hasSecrets ? maskText(s, Object.values(secretValues)) : s);
  const log: DeliveryLogEntry = { at: new Date().toISOString(), eventId: ev.id, eventName: ev.name, coreid: ev.coreid, attempt: attempt + 1, outcome: 'error' };
  const fail = (message: string, retryable: boolean, events: ResultEvent[] = []): AttemptResult => {
    log.error = message;
    return { outcome: 'error', retryable, message, events: [...events, errorEvent(spec, ev.name, masked, message)], log };
  };

  let req: WebhookRequest;
  let shown: WebhookRequest | undefined;
  try {
    req = buildRequest(spec, ev, ctx);
    // Without secrets the request as sent is the request as shown.
    shown = hasSecrets ? buildRequest(spec, ev, masked) : req;
  } catch (e) {
    let message = (e as Error).message;
    try {
      buildRequest(spec, ev, masked);
    } catch (m) {
      message = (m as Error).message;
    }
    return fail(mask(`invalid request: ${message}`), false);
  }
  log.request = { method: shown.method, url: shown.url, headers: shown.headers, ...(shown.body !== undefined ? { body: excerpt(shown.body) } : {}) };
  const host = req.target.hostname.replace(/^\[|\]$/g, '');

  if (!deps.breaker.allow(host)) {
    // Particle's "sleep": the request is not made (docs.particle.io/integrations/webhooks).
    log.outcome = 'skipped';
    log.error = SLEEPING_MESSAGE;
    return { outcome: 'skipped', retryable: true, message: SLEEPING_MESSAGE, events: [errorEvent(spec, ev.name, masked, SLEEPING_MESSAGE)], log, request: shown };
  }

  const res = await deps.sender.send(req, spec.rejectUnauthorized);
  log.latencyMs = res.latencyMs;
  if (!res.ok) {
    if (res.code === 'EADDRBLOCKED') return { ...fail(mask(res.message), false), request: shown, result: res };
    deps.breaker.record(host, false);
    // Network failures are named by their code (ETIMEDOUT, ESOCKETTIMEDOUT, ECONNREFUSED...; docs/particle.md Decisions).
    return { ...fail(res.code, !NOT_RETRYABLE_CODES.has(res.code), [hookSentEvent(ev.name)]), request: shown, result: res };
  }
  const body = res.body.toString('utf8');
  log.response = { status: res.status, headers: headerRecord(res.headers), body: mask(excerpt(body) ?? ''), bytes: res.bodyBytes };
  const ok = res.status >= 200 && res.status < 300;
  deps.breaker.record(host, ok);
  if (!ok) {
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ...fail(statusErrorMessage(res.status, host), retryable, [hookSentEvent(ev.name)]), request: shown, result: res };
  }
  log.outcome = 'success';
  return { outcome: 'success', retryable: false, events: [hookSentEvent(ev.name), ...responseEvents(spec, ev.name, masked, res)], log, request: shown, result: res };
}
