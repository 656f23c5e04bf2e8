// Every Collection implementation passes collection.contract.ts: DuckCollection
// over a real DuckDB file, NatsCollection over the real NATS JetStream server
// at 127.0.0.1:4222 (as in CI; none running is a failure, not a skip).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { DuckCollection } from '../../src/events/collection.ts';
import { NatsCollection } from '../../src/events/nats-collection.ts';
import { Duck } from '../../src/storage/duck/duck.ts';
import { collectionContract } from './collection.contract.ts';
import { NATS_SERVERS } from './eventually.ts';

collectionContract({
  name: 'DuckCollection (catalog database)',
  shared: false,
  async backing() {
    const dir = await mkdtemp(join(tmpdir(), 'hookline-coll-'));
    const ducks: Duck[] = [];
    return {
      async open() {
        // A reopen is a restart: the previous process's database is closed first.
        for (const d of ducks.splice(0)) d.close();
        const duck = await Duck.open({ path: join(dir, 'hookline.duckdb'), threads: 1 });
        ducks.push(duck);
        return DuckCollection.open(duck.meta, 'contract');
      },
      async destroy() {
        for (const d of ducks.splice(0)) d.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

collectionContract({
  name: 'NatsCollection (JetStream key-value)',
  shared: true,
  async backing() {
    const nc = await connect({ servers: NATS_SERVERS, timeout: 2000 }).catch(() => {
      throw new Error(`these tests need NATS with JetStream on ${NATS_SERVERS} (nats-server -js)`);
    });
    const bucket = `hlcontract_${randomBytes(4).toString('hex')}_docs`;
    const js = nc.jetstream();
    return {
      async open() {
        return NatsCollection.open(await js.views.kv(bucket, { history: 1 }));
      },
      async destroy() {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.delete(`KV_${bucket}`).catch(() => undefined);
        await nc.close();
      },
    };
  },
});
