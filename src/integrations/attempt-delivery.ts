// One delivery attempt: render the request, ask the host's circuit breaker,
// send, and turn the answer into an outcome, the events to publish back
// (docs.particle.io/reference/cloud-apis/webhooks) and a log entry, every one of
// them recorded through the delivery's SecretMasker (recorded.ts;
// docs.particle.io/getting-started/cloud/secrets).

import type { DeviceEvent } from '../core/device-event.ts';
import { parseEventData, predefinedVariables } from '../templates/event-context.ts';
import type { TemplateContext } from '../templates/render-template.ts';
import { maskValues } from '../secrets/mask-secrets.ts';
import { SecretMasker } from '../secrets/secret-masker.ts';
import { buildRequest, type WebhookRequest } from './build-request.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { excerpt, type DeliveryLogEntry, type Outcome } from './delivery-log.ts';
import type { IntegrationDoc } from './integration-store.ts';
import { record, type Recorded } from './recorded.ts';
import { errorEvent, hookSentEvent, responseEvents, SLEEPING_MESSAGE, statusErrorMessage, type ResultEvent } from './response-events.ts';
import type { WebhookSender } from './send-webhook.ts';

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
  /** Why it failed or was skipped. */
  message?: Recorded<string>;
  events: Array<Recorded<ResultEvent>>;
  /** The masked request, response and error; also what the test endpoint shows. */
  log: Recorded<DeliveryLogEntry>;
  /** Whether a request went out (a response or a network error came back). */
  sent: boolean;
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

/** The masker for one integration's secrets (empty when it uses none). */
export function maskerFor(integ: IntegrationDoc, secrets: AttemptDeps['secrets']): SecretMasker {
  return integ.spec.secrets.length > 0 ? new SecretMasker(Object.values(secrets(integ.orgId, integ.spec.secrets))) : SecretMasker.none;
}

/**
 * A body the sender cut at MAX_RESPONSE_BYTES may end in the first part of a
 * secret, which no pattern recognises: with secrets in play, such a body loses
 * its last bytes (as many as the longest encoding of a secret could take).
 */
function withoutCutTail(body: Buffer, total: number, secretValues: string[]): Buffer {
  if (total <= body.length || secretValues.length === 0) return body;
  const longest = Math.max(...secretValues.map((v) => Buffer.byteLength(v)));
  // &#x0000XXXXX; per byte is the widest form in secret-patterns.ts.
  return body.subarray(0, Math.max(0, body.length - longest * 16));
}

export async function attemptDelivery(integ: IntegrationDoc, ev: DeviceEvent, attempt: number, deps: AttemptDeps): Promise<AttemptResult> {
  const spec = integ.spec;
  const cached = eventCache(ev);
  const hasSecrets = spec.secrets.length > 0;
  const secretValues = hasSecrets ? deps.secrets(integ.orgId, spec.secrets) : {};
  const masker = hasSecrets ? new SecretMasker(Object.values(secretValues)) : SecretMasker.none;
  const ctx = hasSecrets ? withSecrets(cached, secretValues) : cached.plain;
  const masked: TemplateContext = hasSecrets ? withSecrets(cached, maskValues(spec.secrets)) : cached.plain;
  const log: DeliveryLogEntry = { at: new Date().toISOString(), eventId: ev.id, eventName: ev.name, coreid: ev.coreid, attempt: attempt + 1, outcome: 'error' };
  // Every way out of an attempt passes here: nothing leaves unmasked.
  const finish = (outcome: Outcome, retryable: boolean, sent: boolean, events: ResultEvent[], message?: string): AttemptResult => {
    log.outcome = outcome;
    if (message !== undefined && outcome !== 'success') log.error = message;
    return {
      outcome,
      retryable,
      sent,
      events: events.map((e) => record(masker, e)),
      log: record(masker, log),
      ...(message !== undefined ? { message: record(masker, message) } : {}),
    };
  };
  const fail = (message: string, retryable: boolean, sent: boolean, events: ResultEvent[] = []) =>
    finish('error', retryable, sent, [...events, errorEvent(spec, ev.name, masked, message)], message);

  let req: WebhookRequest;
  let shown: WebhookRequest;
  try {
    req = buildRequest(spec, ev, ctx);
  } catch (e) {
    let message = (e as Error).message;
    try {
      buildRequest(spec, ev, masked);
    } catch (m) {
      message = (m as Error).message;
    }
    return fail(`invalid request: ${message}`, false, false);
  }
  try {
    // Shown as rendered with [[SENSITIVE]] for every secret (which hides even a
    // one-letter secret); a placeholder that makes the request invalid (a
    // secret as the host) falls back to the request as sent, masked by finish().
    shown = hasSecrets ? buildRequest(spec, ev, masked) : req;
  } catch {
    shown = req;
  }
  log.request = { method: shown.method, url: shown.url, headers: shown.headers, ...(shown.body !== undefined ? { body: excerpt(masker.text(shown.body)) } : {}) };
  const host = req.target.hostname.replace(/^\[|\]$/g, '');

  if (!deps.breaker.allow(host)) {
    // Particle's "sleep": the request is not made (docs.particle.io/integrations/webhooks).
    return finish('skipped', true, false, [errorEvent(spec, ev.name, masked, SLEEPING_MESSAGE)], SLEEPING_MESSAGE);
  }

  const res = await deps.sender.send(req, spec.rejectUnauthorized);
  log.latencyMs = res.latencyMs;
  if (!res.ok) {
    if (res.code === 'EADDRBLOCKED') return fail(res.message, false, false);
    deps.breaker.record(host, false);
    // Network failures are named by their code (ETIMEDOUT, ESOCKETTIMEDOUT, ECONNREFUSED...; docs/particle.md Decisions).
    return fail(res.code, !NOT_RETRYABLE_CODES.has(res.code), true, [hookSentEvent(ev.name)]);
  }
  // Masked once, whole, before anything cuts it (log excerpt, 512-byte event parts).
  const body = masker.bytes(withoutCutTail(res.body, res.bodyBytes, Object.values(secretValues)));
  const headers = masker.value(headerRecord(res.headers));
  log.response = { status: res.status, headers, body: excerpt(body.toString('utf8')) ?? '', bytes: res.bodyBytes };
  const ok = res.status >= 200 && res.status < 300;
  deps.breaker.record(host, ok);
  if (!ok) {
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return fail(statusErrorMessage(res.status, host), retryable, true, [hookSentEvent(ev.name)]);
  }
  return finish('success', false, true, [hookSentEvent(ev.name), ...responseEvents(spec, ev.name, masked, { status: res.status, headers, body })]);
}
