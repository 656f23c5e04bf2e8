// Error texts that carry a rendered URL or host name go through the masker
// like everything else an attempt records (no request leaves in these cases).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceEvent } from '../core/device-event.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { parseWebhook } from './integration-schema.ts';
import type { IntegrationDoc } from './integration-store.ts';
import { WebhookSender } from './send-webhook.ts';
import { addressPolicy } from './ssrf-guard.ts';

const ev: DeviceEvent = { id: 'e1', name: 'leak', data: '{}', coreid: 'dev1', publishedAt: '2026-01-01T00:00:00.000Z', ttl: 60, public: false, orgId: 'o1', internal: false };
const sender = new WebhookSender({ policy: addressPolicy(''), ownOrigins: () => new Set(), timeoutMs: 1000, maxSockets: 1 });

function integration(url: string): IntegrationDoc {
  const raw = { event: 'leak', url, secrets: ['HOST'] };
  return { id: 'i1', orgId: 'o1', integration_type: 'Webhook', created_at: '', updated_at: '', raw, spec: parseWebhook(raw) };
}

// [what, url template, secret value, what the error says]
const cases: Array<[string, string, string, RegExp]> = [
  ['a refused internal address named in the SSRF error', 'http://{{{HOST}}}/hook', '10.20.30.40', /internal address/],
  ['a rendered URL that is not valid', 'http://{{{HOST}}}/hook', 'bad host name here', /invalid request/],
];

for (const [what, url, value, says] of cases) {
  test(`attempt: ${what} is masked in the log, message and events`, async () => {
    const r = await attemptDelivery(integration(url), ev, 0, { sender, breaker: new CircuitBreaker(), secrets: () => ({ HOST: value }) });
    assert.equal(r.outcome, 'error');
    assert.equal(r.sent, false);
    assert.match(r.message!, says);
    const text = JSON.stringify([r.message, r.log, r.events]);
    assert.equal(text.includes(value), false, text);
    assert.equal(text.includes(encodeURIComponent(value)), false, text);
    assert.ok(text.includes('[[SENSITIVE]]'), text);
  });
}
