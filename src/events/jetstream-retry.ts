// Right after a NATS server of the cluster died, the JetStream API answers
// some requests and lets others time out for a while (seen with nats-server
// 2.9 on a three-server cluster: about one request in three for a minute),
// until the cluster has moved the dead server's assets. A hookline node that
// starts or reconnects then retries its JetStream set-up calls instead of
// exiting.

import type { Logger } from '../core/logger.ts';

/** Retries `f` while it fails with a JetStream timeout or 503, for up to `limitMs`; each wait is logged. */
export async function untilJetStream<T>(what: string, f: () => Promise<T>, log: Logger, limitMs = 120_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code !== 'TIMEOUT' && code !== '503') || Date.now() > end) throw e;
      log.warn(`${what} is not answering yet (a NATS server may be down or electing a leader); retrying`, { code });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
