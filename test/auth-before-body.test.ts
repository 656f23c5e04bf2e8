// Nothing is buffered for a stranger (issue 10, finding 6): the token is
// checked from headers and query before the body is read, so 40 concurrent
// unauthenticated 24 MiB POSTs cost no bodies, and every route declares who
// may call it (a route that does not, does not start).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import Fastify from 'fastify';
import { checkRouteAuth, isPublic } from '../src/http/route-auth.ts';
import { spawnServer, startTestServer, tempDir, TOKEN } from './helpers/server.ts';

const MiB = 1024 * 1024;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** POSTs `size` bytes (Content-Length declared), answers the status and body, however early the server answers. */
function post(url: string, size: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const chunk = Buffer.alloc(MiB, 0x61);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-length': String(size), ...headers } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    // The server may close the connection once it has answered: the upload then fails, the answer stands.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

test('40 concurrent unauthenticated 24 MiB POSTs get 401 in their dialect and add < 100 MB RSS', async () => {
  const dir = await tempDir('hookline-authbody-');
  const srv = await spawnServer(dir);
  try {
    const pid = srv.child.pid!;
    // Warm up the paths the attack takes, so the figure is the bodies' cost, not first-use code.
    await post(`${srv.url}/api/v2/write?org=o&bucket=b`, 1024);
    const before = await rssBytes(pid);
    let peak = before;
    const sampler = setInterval(() => void rssBytes(pid).then((r) => (peak = Math.max(peak, r)), () => undefined), 50);
    const targets = ['/api/v2/write?org=o&bucket=b', '/write?db=x', '/api/v3/write_lp?db=x', '/api/put', '/v1/devices/events', '/api/v2/buckets'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(srv.url + targets[i % targets.length], 24 * MiB, i % 4 === 3 ? { authorization: 'Token wrong' } : {})),
    );
    clearInterval(sampler);
    peak = Math.max(peak, await rssBytes(pid));
    const grew = peak - before;
    console.log(`# RSS before ${(before / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, +${(grew / MiB).toFixed(1)} MiB for 40 x 24 MiB unauthenticated POSTs`);
    for (const [i, r] of results.entries()) {
      const path = targets[i % targets.length];
      // Particle also takes access_token in the body: without a header token it reads at most 64 KiB (413), never 24 MiB.
      assert.equal(r.status, path.startsWith('/v1/') && i % 4 !== 3 ? 413 : 401, `${path}: ${r.body}`);
      const body = JSON.parse(r.body);
      if (path.startsWith('/api/v2')) assert.equal(body.code, 'unauthorized');
      else if (path === '/api/put') assert.equal(body.error.code, 401);
      else if (path.startsWith('/v1/')) assert.equal(body.ok, false);
      else assert.equal(typeof body.error, 'string');
    }
    assert.ok(grew < 100 * MiB, `RSS grew by ${(grew / MiB).toFixed(1)} MiB`);
    // The server is fine and a real client still writes.
    const ok = await fetch(`${srv.url}/api/v2/write?org=test-org&bucket=test-bucket`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: 'm v=1i 1' });
    assert.equal(ok.status, 204);
  } finally {
    await srv.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test('every route declares its auth; a token route answers 401 before reading any body', async () => {
  const srv = await startTestServer();
  try {
    const routes = srv.app.hooklineRoutes;
    assert.ok(routes.length > 50, `only ${routes.length} routes`);
    const publicOnes = routes.filter((r) => isPublic(r.auth)).map((r) => `${r.method} ${r.url}`);
    // Public today: probes, the API root and setup status, the explorer's files, OpenTSDB's 405s.
    for (const p of publicOnes) assert.match(p, /^(GET|HEAD|POST|PUT|DELETE|PATCH) (\/ping|\/health|\/ready|\/api\/v2|\/api\/v2\/setup|\/|\/sign-in|\/explore|\/devices|\/devices\/:id|\/integrations|\/integrations\/:id|\/buckets|\/tokens|\/secrets|\/alerts|\/dashboards|\/dashboards\/:id|\/assets\/:name|\/api(\/v1)?\/\S+)$/, p);
    for (const r of routes) {
      if (isPublic(r.auth) || r.method === 'GET' || r.method === 'HEAD') continue;
      const url = r.url.replace(/:(\w+)/g, 'x').replace('*', 'x');
      // A body far over every limit, declared: a route that read it would answer 413.
      const res = await srv.app.inject({ method: r.method as 'POST', url, headers: { 'content-type': 'application/json' }, payload: Buffer.alloc(512 * 1024, 0x20) });
      const bodyToken = !isPublic(r.auth) && r.auth.bodyToken === true;
      assert.equal(res.statusCode, bodyToken ? 413 : 401, `${r.method} ${r.url} without a token: ${res.statusCode} ${res.body}`);
      if (bodyToken) {
        const wrong = await srv.app.inject({ method: r.method as 'POST', url, headers: { authorization: 'Bearer wrong' }, payload: Buffer.alloc(512 * 1024, 0x20) });
        assert.equal(wrong.statusCode, 401, `${r.method} ${r.url} with a wrong token: ${wrong.statusCode} ${wrong.body}`);
      }
    }
  } finally {
    await srv.stop();
  }
});

test('a route without declared auth is a startup error', () => {
  const app = Fastify();
  app.addHook('onRoute', checkRouteAuth);
  assert.throws(() => app.get('/new', async () => 'hi'), /declares no auth/);
  app.get('/fine', { config: { auth: { public: 'test' } } }, async () => 'hi');
});

test('before a token is known a body is small: public routes, unknown paths and Particle body tokens read at most the unauthenticated limit', async () => {
  const srv = await startTestServer({ HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES: '4KiB' });
  try {
    const big = 'x'.repeat(8 * 1024);
    assert.equal((await fetch(`${srv.url}/ping`, { method: 'POST', body: big })).status, 413);
    assert.equal((await fetch(`${srv.url}/api/v2/setup`, { method: 'POST', body: big })).status, 413);
    assert.equal((await fetch(`${srv.url}/nowhere`, { method: 'POST', body: big })).status, 413);
    const particle = await fetch(`${srv.url}/v1/devices/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${TOKEN}&name=t&data=${big}` });
    assert.equal(particle.status, 413);
    // A small body with the token in it still works (Particle's access_token form field).
    const small = await fetch(`${srv.url}/v1/devices/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${TOKEN}&name=t&data=1` });
    assert.equal(small.status, 200, await small.text());
    // With the token in the header, the full limit applies.
    const authed = await fetch(`${srv.url}/api/v2/write?org=test-org&bucket=test-bucket`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: `m v=1i 1\n`.repeat(2000) });
    assert.equal(authed.status, 204);
    // A 1.x user/password and p= still sign in before the body.
    const v1 = await fetch(`${srv.url}/write?db=test-bucket&u=any&p=${TOKEN}`, { method: 'POST', body: `m v=2i 2\n`.repeat(2000) });
    assert.equal(v1.status, 204);
  } finally {
    await srv.stop();
  }
});

test('a gzip body inflates no further than it may be sent before a token is seen; query bodies have their own small bound', async () => {
  const { gzipSync } = await import('node:zlib');
  const srv = await startTestServer({ HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES: '4KiB', HOOKLINE_MAX_QUERY_BODY_BYTES: '64KiB' });
  try {
    // 1 MiB of form data in a few KiB of gzip, the token only inside (Particle's access_token field).
    const bomb = gzipSync(Buffer.from(`access_token=${TOKEN}&name=t&data=${'0'.repeat(MiB)}`));
    assert.ok(bomb.length < 4096, `the gzip body itself fits the unauthenticated limit (${bomb.length} bytes)`);
    const stranger = await fetch(`${srv.url}/v1/devices/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: bomb });
    assert.equal(stranger.status, 413, await stranger.text());
    // The same small event gzipped still works.
    const ok = await fetch(`${srv.url}/v1/devices/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(`access_token=${TOKEN}&name=t&data=1`)) });
    assert.equal(ok.status, 200, await ok.text());
    // A signed-in query whose body inflates past HOOKLINE_MAX_QUERY_BODY_BYTES: 413 in the v3 dialect.
    const sql = gzipSync(Buffer.from(JSON.stringify({ db: 'test-bucket', q: `SELECT 1 -- ${'x'.repeat(MiB)}` })));
    const q = await fetch(`${srv.url}/api/v3/query_sql`, { method: 'POST', headers: { authorization: `Token ${TOKEN}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: sql });
    assert.equal(q.status, 413);
    assert.match(((await q.json()) as { error: string }).error, /exceeds 65536 bytes/);
    // Writes keep the full decompressed limit.
    const w = await fetch(`${srv.url}/api/v2/write?org=test-org&bucket=test-bucket`, { method: 'POST', headers: { authorization: `Token ${TOKEN}`, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(`m v=1i 1\n`.repeat(20_000))) });
    assert.equal(w.status, 204);
  } finally {
    await srv.stop();
  }
});

test('a client that trickles its body is cut off after HOOKLINE_REQUEST_TIMEOUT (slowloris)', async () => {
  const net = await import('node:net');
  const srv = await startTestServer({ HOOKLINE_REQUEST_TIMEOUT: '1s' });
  try {
    const { hostname, port } = new URL(srv.url);
    const closed = await new Promise<boolean>((resolve) => {
      const sock = net.connect(Number(port), hostname, () => {
        sock.write(`POST /api/v2/setup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n`);
      });
      // One byte every 500 ms: never idle long enough for an idle timeout, never done.
      const drip = setInterval(() => sock.write('x'), 500);
      const deadline = setTimeout(() => finish(false), 30_000);
      const finish = (v: boolean) => {
        clearInterval(drip);
        clearTimeout(deadline);
        sock.destroy();
        resolve(v);
      };
      sock.on('close', () => finish(true));
      sock.on('error', () => finish(true));
      sock.resume();
    });
    assert.equal(closed, true, 'the server closed the trickling connection');
    assert.equal((await fetch(`${srv.url}/ping`)).status, 204);
  } finally {
    await srv.stop();
  }
});
