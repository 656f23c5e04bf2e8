// Every DeliveryQueue implementation passes delivery-queue.contract.ts: the
// WAL queue over a temporary directory, the NATS queue over the real NATS
// JetStream server at 127.0.0.1:4222 (as in CI; none running is a failure,
// not a skip).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import type { DeadLetter, DeliveryQueue } from '../../src/core/ports/delivery-queue.ts';
import { NatsDeliveryQueue } from '../../src/integrations/nats-delivery-queue.ts';
import { WalDeliveryQueue } from '../../src/integrations/wal-delivery-queue.ts';
import { deliveryQueueContract } from './delivery-queue.contract.ts';
import { NATS_SERVERS } from './eventually.ts';

deliveryQueueContract({
  name: 'WalDeliveryQueue (local write-ahead log)',
  async backing(limit) {
    const dir = await mkdtemp(join(tmpdir(), 'hookline-queue-'));
    const filed: DeadLetter[] = [];
    return {
      filed,
      open: () => WalDeliveryQueue.open({ dir, limit, fileDeadLetters: async (l) => void filed.push(...l) }),
      destroy: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

deliveryQueueContract({
  name: 'NatsDeliveryQueue (JetStream work queue)',
  async backing(limit) {
    const nc = await connect({ servers: NATS_SERVERS, timeout: 2000 }).catch(() => {
      throw new Error(`these tests need NATS with JetStream on ${NATS_SERVERS} (nats-server -js)`);
    });
    const ns = `hlcontract_${randomBytes(4).toString('hex')}`;
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const filed: DeadLetter[] = [];
    const errors: unknown[] = [];
    return {
      filed,
      open: (): Promise<DeliveryQueue> =>
        NatsDeliveryQueue.open({ js, jsm, ns, limit, ackWaitMs: 2000, prefetch: 16, fileDeadLetters: async (l) => void filed.push(...l), onError: (_m, e) => errors.push(e) }),
      async destroy() {
        await jsm.streams.delete(`${ns}_deliveries`).catch(() => undefined);
        await nc.close();
        if (errors.length > 0) throw new Error(`the NATS queue reported errors: ${errors.map(String).join('; ')}`);
      },
    };
  },
});
