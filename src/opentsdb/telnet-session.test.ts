// The telnet session in memory (as aedes tests its broker): a Duplex pair, a
// stub PointStore (behind the real ingest pipeline) and tenancy. Checks batching (one store write per read), the
// order of answers, storage refusals, and the telnet token.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { handleTelnet, type TelnetDeps } from './telnet-session.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import type { PointBatch, PointStore } from '../core/ports/point-store.ts';
import type { Authorization, Bucket } from '../tenancy/model.ts';

const bucket = { id: 'b1', orgID: 'o1', name: 'main' } as Bucket;
const auth = {
  id: 'a1',
  status: 'active',
  orgID: 'o1',
  defaultBucketID: 'b1',
  permissions: [{ action: 'write', resource: { type: 'buckets', orgID: 'o1' } }],
} as unknown as Authorization;

function setup(opts: { telnetToken?: string; refuseLine?: number } = {}) {
  const writes: Array<{ bucketId: string; body: string }> = [];
  const store = {
    async write(batch: PointBatch) {
      const body = batch.data.format === 'line-protocol' ? batch.data.body.toString() : '';
      writes.push({ bucketId: batch.bucketId, body });
      const lines = body.trim().split('\n').length;
      const drops = opts.refuseLine !== undefined && opts.refuseLine <= lines ? [{ line: opts.refuseLine, message: 'field type conflict' }] : [];
      return { written: lines - drops.length, parseErrors: [], drops, lines };
    },
  };
  const tenancy = {
    authenticate: (t: string) => (t === 'good' ? auth : undefined),
    bucket: (id: string) => (id === 'b1' ? bucket : undefined),
    findBucket: (_org: string, name: string) => (name === 'main' || name === 'b1' ? bucket : undefined),
  };
  const deps = {
    config: { opentsdbMode: 'lenient', opentsdbTelnetToken: opts.telnetToken ?? '' },
    ingest: new IngestPipeline(store as unknown as PointStore),
    tenancy,
    logger: { info() {}, warn() {}, error() {} },
  } as unknown as TelnetDeps;
  // client -> server on `toServer`, server -> client on `toClient`
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverSide = Duplex.from({ readable: toServer, writable: toClient });
  handleTelnet(serverSide, deps);
  let out = '';
  toClient.on('data', (d) => (out += d));
  const settle = () => new Promise((r) => setTimeout(r, 30));
  return { writes, send: (s: string) => toServer.write(s), output: async () => (await settle(), out), ended: () => toClient.readableEnded || toClient.writableEnded };
}

test('puts of one read become one store write, in order; errors answer on the line', async () => {
  const t = setup();
  t.send('auth good\nput a 1365465600 1 host=x\nput a 1365465600 oops host=x\nput b 1365465601 2\nversion\n');
  const out = await t.output();
  assert.deepEqual(t.writes, [{ bucketId: 'b1', body: 'a,host=x value=1 1365465600000\nb value=2 1365465601000\n' }]);
  assert.equal(out.split('\n')[0], "put: invalid value: Invalid character 'o' in oops");
  assert.match(out, /OpenTSDB 2\.4\.0 API/);
});

test('a line split across reads is put together', async () => {
  const t = setup();
  t.send('auth good\nput a 13654');
  t.send('65600 1 host=x\n');
  await t.output();
  assert.deepEqual(t.writes.map((w) => w.body), ['a,host=x value=1 1365465600000\n']);
});

test('a point the store refuses is reported as a storage error', async () => {
  const t = setup({ refuseLine: 2 });
  t.send('auth good\nput a 1365465600 1 host=x\nput a 1365465601 2 host=x\n');
  assert.equal(await t.output(), 'put: storage error: field type conflict\n');
});

test('without auth, puts are refused unless a telnet token is configured; a bad token there says so', async () => {
  let t = setup();
  t.send('put a 1365465600 1 host=x\n');
  assert.equal(await t.output(), 'put: unauthorized: send `auth <token>` first\n');
  t = setup({ telnetToken: 'good' });
  t.send('put a 1365465600 1 host=x\n');
  assert.equal(await t.output(), '');
  assert.equal(t.writes.length, 1);
  t = setup({ telnetToken: 'revoked' });
  t.send('put a 1365465600 1 host=x\nauth good nope\n');
  assert.equal(await t.output(), 'put: unauthorized: HOOKLINE_OPENTSDB_TELNET_TOKEN: invalid token\nauth: unauthorized: bucket "nope" not found\n');
});

test('exit ends the stream after writing what came before', async () => {
  const t = setup();
  t.send('auth good\nput a 1365465600 1 host=x\nexit\nput a 1365465601 1 host=x\n');
  await t.output();
  assert.equal(t.writes.length, 1);
  assert.ok(t.ended());
});
