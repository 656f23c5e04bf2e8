// The forwarder against a real HTTP server on loopback: retries what is worth
// retrying, drops a batch the remote refuses for good only when told to, and
// drops batches past maxAgeSeconds unsent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from './disk-queue.ts';
import { Forwarder } from './forwarder.ts';

interface Seen {
  url: string;
  auth: string | undefined;
  body: string;
}

async function remote(answers: Array<[number, string]>): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url!, auth: req.headers.authorization, body: gunzipSync(Buffer.concat(chunks)).toString('utf8') });
      const [status, body] = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen, server };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function setup(answers: Array<[number, string]>, opts: { drop?: boolean; maxAge?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-fw-'));
  const r = await remote(answers);
  const queue = await DiskQueue.open(dir, 1 << 20);
  const fw = new Forwarder({
    queue,
    maxRetryDelayMs: 50,
    log: () => undefined,
    target: () => ({ remoteURL: r.url, token: 'tok', remoteOrgID: 'org1', bucket: { name: 'b 1' }, allowInsecureTLS: false, dropNonRetryableData: opts.drop ?? false, maxAgeSeconds: opts.maxAge ?? 0 }),
  });
  return {
    ...r,
    queue,
    fw,
    async close() {
      await fw.stop();
      await queue.close();
      r.server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('a 503 is retried until the remote takes the batch; the write is as InfluxDB sends it', async () => {
  const s = await setup([[503, '{"message":"busy"}'], [503, '{}'], [204, '']]);
  try {
    await s.queue.enqueue(Buffer.from('m v=1 1'));
    await s.queue.enqueue(Buffer.from('m v=2 2'));
    s.fw.start();
    await until(() => s.queue.bytes === 0);
    assert.equal(s.seen.length, 3);
    assert.equal(s.seen[2]!.body, 'm v=1 1\nm v=2 2');
    assert.equal(s.seen[2]!.auth, 'Token tok');
    assert.equal(s.seen[2]!.url, '/api/v2/write?org=org1&bucket=b+1&precision=ns');
    assert.equal(s.fw.latestResponseCode, 204);
    assert.equal(s.fw.latestErrorMessage, undefined);
  } finally {
    await s.close();
  }
});

test('a 400 drops the batch with dropNonRetryableData, and keeps it (retrying) without', async () => {
  const dropping = await setup([[400, '{"code":"invalid","message":"bad line"}'], [204, '']], { drop: true });
  try {
    await dropping.queue.enqueue(Buffer.from('bad'));
    dropping.fw.start();
    await until(() => dropping.queue.bytes === 0);
    assert.equal(dropping.seen.length, 1);
    assert.equal(dropping.fw.latestResponseCode, 400);
    assert.equal(dropping.fw.latestErrorMessage, '400: bad line');
  } finally {
    await dropping.close();
  }
  const keeping = await setup([[400, '<html>internal page</html>']], { drop: false });
  try {
    await keeping.queue.enqueue(Buffer.from('bad'));
    keeping.fw.start();
    await until(() => keeping.seen.length >= 3);
    assert.ok(keeping.queue.bytes > 0);
    assert.equal(keeping.fw.latestErrorMessage, 'HTTP 400', "a remote's non-JSON body is not kept");
  } finally {
    await keeping.close();
  }
});

test('batches older than maxAgeSeconds are dropped unsent', async () => {
  const s = await setup([[204, '']], { maxAge: 60 });
  try {
    await s.queue.enqueue(Buffer.from('old v=1 1'), Date.now() - 120_000);
    await s.queue.enqueue(Buffer.from('new v=1 2'));
    s.fw.start();
    await until(() => s.queue.bytes === 0);
    assert.deepEqual(s.seen.map((x) => x.body), ['new v=1 2']);
  } finally {
    await s.close();
  }
});
