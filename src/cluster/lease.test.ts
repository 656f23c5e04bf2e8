// The scheduler lease against a real NATS JetStream server (127.0.0.1:4222):
// of two nodes exactly one holds it; when the holder stops (cleanly, or
// silently as a killed node does) the other takes it over.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { Lease } from './lease.ts';

const quiet = { info() {}, warn() {}, error() {} };

async function until(what: string, f: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('one holder at a time; a clean stop hands over at once, a silent one after the TTL', async () => {
  const ns = `hlleasetest_${randomBytes(3).toString('hex')}`;
  const nc = await connect({ servers: '127.0.0.1:4222' });
  const other = await connect({ servers: '127.0.0.1:4222' });
  try {
    const open = (c: typeof nc, nodeId: string) => Lease.open({ js: c.jetstream(), ns, name: 'scheduler', nodeId, ttlMs: 1500, replicas: 1, log: quiet });
    const a = await open(nc, 'a');
    const b = await open(other, 'b');
    assert.equal(a.holds(), true);
    assert.equal(b.holds(), false);
    await a.close();
    await until('b to take over after a clean stop', () => b.holds(), 1500);
    // b goes silent (its connection dies without giving the lease up): a third node gets it after the TTL.
    const third = await connect({ servers: '127.0.0.1:4222' });
    const c = await open(third, 'c');
    assert.equal(c.holds(), false);
    await other.close();
    await until('c to take over from a silent holder', () => c.holds(), 5000);
    await c.close();
    await third.close();
  } finally {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`KV_${ns}_leases`).catch(() => undefined);
    await nc.close();
    if (!other.isClosed()) await other.close();
  }
});
