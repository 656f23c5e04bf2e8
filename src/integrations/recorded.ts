// The one door between a delivery and anything that keeps or shows it. A
// delivery-log entry, a result event (hook-sent, hook-response, hook-error:
// SSE, MQTT, history, NATS), a dead letter's reason, the test endpoint's
// answer and a logged error about a delivery are all typed Recorded<T>, and
// record() is the only way to make one: it passes every string through the
// delivery's SecretMasker. A new recorder that takes Recorded<T> cannot be
// handed an unmasked request or response by mistake; the compiler refuses.

import type { Recorded } from '../core/recorded.ts';
import type { SecretMasker } from '../secrets/secret-masker.ts';

export type { Recorded };

export function record<T>(masker: SecretMasker, value: T): Recorded<T> {
  return masker.value(value) as Recorded<T>;
}
