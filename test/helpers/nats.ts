// The NATS server with JetStream several-node tests share (127.0.0.1:4222;
// .ci/run starts one when none runs), and the clean-up of one test's
// streams and key-value buckets (all named after its cluster name `ns`).

import { connect } from 'nats';

export const NATS = '127.0.0.1:4222';

export async function requireNats(): Promise<void> {
  await connect({ servers: NATS, timeout: 2000 }).then(
    (nc) => nc.close(),
    () => {
      throw new Error(`these tests need NATS with JetStream on ${NATS} (nats-server -js)`);
    },
  );
}

/** Deletes every stream and key-value bucket of cluster `ns`. */
export async function dropNatsCluster(ns: string): Promise<void> {
  const nc = await connect({ servers: NATS });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const s of jsm.streams.list()) if (s.config.name.startsWith(ns) || s.config.name.startsWith(`KV_${ns}`)) await jsm.streams.delete(s.config.name);
  } finally {
    await nc.close();
  }
}
