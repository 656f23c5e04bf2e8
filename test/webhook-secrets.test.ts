// Secrets are never recorded (issue 10, finding 4): an integration sends two
// secrets in its URL query, headers (Basic credentials included) and JSON
// body to loopback targets that echo them back every way they can: in a 301
// Location, in response headers and Set-Cookie, in bodies raw, URL-encoded,
// JSON-escaped, HTML-escaped, base64 and base64url, and through 5xx answers
// and refused connections that end as dead letters. Deliveries run through
// the event path and the test endpoint. Then every API answer that can show a
// delivery, the event stream, the server's log and, after it stopped, every
// byte of its data directory are searched for the secrets: no hit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, freePort, spawnServer, tempDir, type ChildServer, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, json, openStream, publish, putSecret, type CaptureServer, type Captured, type Reply } from './helpers/particle.ts';

const A = `Sup3r/S3cret+Key&"<x>'=`;
const B = 'tök3n-Zwei_42 plus';
const SENSITIVE = '[[SENSITIVE]]';
/** Not a secret: echoed beside them, it must be found on disk, proving the search would see a plaintext stored the same way. */
const CANARY = `canary-${process.pid}-${Date.now()}`;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const htmlHex = (s: string) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
const form = (s: string) => new URLSearchParams({ v: s }).toString().slice(2);

/** Every form of a secret that must never be seen (the base64 ones cut to what depends on the secret alone). */
function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).toLowerCase(), form(secret), JSON.stringify(secret).slice(1, -1), html(secret), htmlHex(secret)]);
  // UTF-8, and latin1 as a header value echoed into a body carries it.
  for (const bytes of [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'latin1')]) {
    for (const k of [0, 1, 2]) {
      const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64').replace(/=+$/, '');
      const core = enc.slice([0, 2, 3][k], -1);
      out.add(core);
      out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  out.add(b64(`user:${secret}`));
  return [...out];
}
const FORBIDDEN = [...forms(A), ...forms(B)];

function leaks(text: string): string[] {
  return FORBIDDEN.filter((f) => text.includes(f));
}

/** A body that echoes both secrets in every encoding, and the request as received. */
function echoBody(r: Captured): string {
  const lines = [A, B].flatMap((s) => [`raw ${s}`, `url ${encodeURIComponent(s)}`, `form ${form(s)}`, `json {"k":${JSON.stringify(s)}}`, `html <b>${html(s)}</b> ${htmlHex(s)}`, `b64 ${b64(s)}`, `b64url ${b64url(s)}`, `basic Basic ${b64(`user:${s}`)}`]);
  return [`canary ${CANARY}`, ...lines, `request ${r.url} ${JSON.stringify(r.headers)} ${r.body}`].join('\n');
}

let s: ChildServer;
/** The Particle helpers use only url and token, which a child server has too. */
const server = () => s as unknown as TestServer;
let cap: CaptureServer;
let dataDir: string;
let closedPort: number;
const answers: Array<[string, string]> = [];
const integ: Record<string, { id: string }> = {};

function template(event: string, url: string, extra: Record<string, unknown> = {}) {
  return {
    event,
    url,
    requestType: 'POST',
    query: { api_key: '{{{SECRET_A}}}', b: '{{{SECRET_B}}}' },
    headers: { 'X-Api-Key': '{{{SECRET_A}}}', 'X-Other': 'v={{{SECRET_B}}}' },
    auth: { username: 'user', password: '{{{SECRET_A}}}' },
    json: { a: '{{{SECRET_A}}}', b: '{{{SECRET_B}}}', n: '{{n}}' },
    secrets: ['SECRET_A', 'SECRET_B'],
    ...extra,
  };
}

async function keep(what: string, r: Response): Promise<any> {
  const text = await r.text();
  answers.push([what, text]);
  return JSON.parse(text);
}

before(async () => {
  dataDir = await tempDir('hookline-secrets-');
  s = await spawnServer(dataDir, { HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_TIMEOUT: '2s', HOOKLINE_WEBHOOK_MAX_ATTEMPTS: '2', HOOKLINE_LOG_LEVEL: 'debug' });
  cap = await captureServer();
  closedPort = await freePort();
  cap.reply = (r): Reply => {
    if (r.path === '/redirect') return { status: 301, headers: { location: `https://x/hook?api_key=${A}&b=${encodeURIComponent(B)}` } };
    if (r.path === '/header') return { status: 200, headers: { 'x-echo': A, 'set-cookie': `session=${encodeURIComponent(B)}; Path=/`, 'x-auth-echo': String(r.headers.authorization), 'content-type': 'text/plain' }, body: 'ok' };
    if (r.path === '/body') return { status: 200, headers: { 'content-type': 'text/html' }, body: echoBody(r) };
    // Published base64-encoded as a data: URL; the X-Other header echoed as the latin1 bytes it arrived as.
    if (r.path === '/dataurl') return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.concat([Buffer.from(echoBody(r)), Buffer.from(`\nheader ${r.headers['x-other']}`, 'latin1')]) };
    // Cut by the 100 KB response limit in the middle of the secret: the first 5 characters would be kept.
    if (r.path === '/cut') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(100 * 1024 - 5) + A + '!'.repeat(100) };
    if (r.path === '/fail') return { status: 503, headers: { 'x-echo': A }, body: echoBody(r) };
    return { status: 204 };
  };
  assert.equal((await putSecret(server(), 'SECRET_A', A)).status, 201);
  assert.equal((await putSecret(server(), 'SECRET_B', B)).status, 201);
});

after(async () => {
  await s.kill();
  await cap.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('deliveries and test sends against echoing targets: no API answer, event, log line or data file holds a secret', async () => {
  const srv = server();
  const dev = await createDevice(srv, { name: 'leaky' });
  const stream = await openStream(srv, { deviceId: 'mine' });
  for (const [name, url, extra] of [
    ['sec-redirect', `${cap.url}/redirect`, {}],
    ['sec-header', `${cap.url}/header`, {}],
    ['sec-body', `${cap.url}/body`, { unchunked: true }],
    ['sec-dataurl', `${cap.url}/dataurl`, { dataUrlResponseEvent: true, unchunked: true }],
    ['sec-cut', `${cap.url}/cut`, { unchunked: true }],
    ['sec-fail', `${cap.url}/fail`, {}],
    ['sec-refused', `http://127.0.0.1:${closedPort}/refused`, {}],
  ] as const) {
    integ[name] = await createIntegration(srv, template(name, url, extra));
  }
  for (const name of Object.keys(integ)) assert.equal((await publish(srv, dev.token, name, '{"n":1}')).status, 200);

  // The test endpoint: saved integrations and an unsaved definition, rendered and sent.
  for (const name of Object.keys(integ)) {
    await keep(`test ${name}`, await api(s, `/v1/integrations/${integ[name].id}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ send: true, data: { n: 2 } }) }));
    await keep(`render ${name}`, await api(s, `/v1/integrations/${integ[name].id}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { n: 2 } }) }));
  }
  const unsaved = await keep('test unsaved', await api(s, '/v1/integrations/test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ integration: template('sec-unsaved', `${cap.url}/body`), send: true }) }));

  // Every delivery finished: successes logged, failures retried once and dead-lettered.
  const finished = async (name: string, want: (entries: any[]) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const log = await json(await api(s, `/api/hookline/integrations/${integ[name].id}/log`));
      if (want(log.entries)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${name} did not finish`);
  };
  const dead = (entries: any[]) => entries.some((e) => e.next === 'dead-lettered');
  await finished('sec-redirect', dead);
  await finished('sec-fail', dead);
  await finished('sec-refused', dead);
  for (const n of ['sec-header', 'sec-body', 'sec-dataurl', 'sec-cut']) await finished(n, (e) => e.some((x) => x.outcome === 'success'));
  await stream.waitFor((e) => e.name === 'hook-response/sec-body/0');
  await stream.waitFor((e) => e.name === 'hook-response/sec-dataurl/0');
  await stream.waitFor((e) => e.name === 'hook-error/sec-refused/0');
  await stream.waitFor((e) => e.name === 'hook-response/sec-cut/0');

  // The secrets were really sent (so their absence below means masking, not absence).
  const sent = cap.requests.find((r) => r.path === '/body')!;
  assert.equal(sent.query.get('api_key'), A);
  assert.equal(sent.query.get('b'), B);
  assert.equal(sent.headers['x-api-key'], A);
  assert.equal(sent.headers.authorization, `Basic ${b64(`user:${A}`)}`);
  const sentJson = JSON.parse(sent.body);
  assert.deepEqual([sentJson.a, sentJson.b], [A, B]);

  // Every answer that can show a delivery.
  const ids = Object.values(integ).map((i) => i.id);
  await keep('integrations', await api(s, '/v1/integrations'));
  await keep('webhooks', await api(s, '/v1/webhooks'));
  await keep('secrets', await api(s, '/v1/secrets'));
  for (const id of ids) {
    await keep(`integration ${id}`, await api(s, `/v1/integrations/${id}`));
    await keep(`log ${id}`, await api(s, `/api/hookline/integrations/${id}/log`));
  }
  // Dead letters are filed in batches just after the log says "dead-lettered".
  for (let i = 0; i < 100 && (await json(await api(s, '/api/hookline/dead-letters'))).deadLetters.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
  const letters = await keep('dead letters', await api(s, '/api/hookline/dead-letters'));
  const history = await keep('events', await api(s, '/api/hookline/events?limit=10000'));
  await keep('status', await api(s, '/api/hookline/webhooks/status'));
  answers.push(['event stream', JSON.stringify(stream.events)]);
  stream.close();

  for (const [what, text] of answers) assert.deepEqual(leaks(text), [], `${what}: ${text.slice(0, 2000)}`);

  // Masked where the secrets were, not dropped.
  const logOf = async (name: string) => (await json(await api(s, `/api/hookline/integrations/${integ[name].id}/log`))).entries;
  const redirect = (await logOf('sec-redirect'))[0];
  assert.equal(redirect.response.status, 301);
  assert.equal(redirect.response.headers.location, `https://x/hook?api_key=${SENSITIVE}&b=${SENSITIVE}`);
  const header = (await logOf('sec-header'))[0];
  assert.equal(header.response.headers['x-echo'], SENSITIVE);
  assert.equal(header.response.headers['set-cookie'], `session=${SENSITIVE}; Path=/`);
  assert.equal(header.response.headers['x-auth-echo'], `Basic ${SENSITIVE}`);
  assert.equal(header.request.headers['X-Api-Key'], SENSITIVE);
  assert.match(header.request.url, /api_key=%5B%5BSENSITIVE%5D%5D/);
  const body = (await logOf('sec-body'))[0].response.body as string;
  for (const line of ['raw ', 'url ', 'form ', 'b64 ', 'b64url ']) assert.ok(body.includes(`${line}${SENSITIVE}\n`), `${line}: ${body}`);
  assert.ok(body.includes(`json {"k":"${SENSITIVE}"}`), body);
  assert.ok(body.includes(`html <b>${SENSITIVE}</b> ${SENSITIVE}`), body);
  assert.ok(body.includes(`basic Basic ${SENSITIVE}`), body);
  assert.ok(stream.events.find((e) => e.name === 'hook-response/sec-body/0')!.data!.includes(`raw ${SENSITIVE}\n`));
  const cut = stream.events.find((e) => e.name === 'hook-response/sec-cut/0')!.data!;
  assert.ok(cut.length > 90 * 1024 && /^x+$/.test(cut), `a cut body loses only its last bytes: ${cut.slice(-40)}`);
  assert.equal(unsaved.success, true);
  assert.ok(unsaved.response.body.includes(`raw ${SENSITIVE}\n`), unsaved.response.body);
  const failed = (await logOf('sec-fail')).filter((e: any) => e.outcome === 'error');
  assert.equal(failed.length, 2);
  assert.equal(failed[0].response.headers['x-echo'], SENSITIVE);
  assert.deepEqual(letters.deadLetters.map((l: any) => l.reason).sort(), ['ECONNREFUSED', 'error status 301 from 127.0.0.1', 'error status 503 from 127.0.0.1']);
  assert.ok(history.events.some((e: any) => e.name === 'hook-response/sec-header/0'));

  // The server's log, then every byte of the data directory once it has stopped.
  const output = s.output();
  assert.deepEqual(leaks(output), [], output.slice(0, 2000));
  await s.kill();
  await writeFile(join(dataDir, 'server.log'), output);
  const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name));
  assert.ok(files.some((f) => f.endsWith('hookline.duckdb')), files.join(', '));
  assert.ok(files.some((f) => f.includes('webhooks')), files.join(', '));
  const holding = [];
  for (const f of files) if ((await readFile(f)).includes(CANARY)) holding.push(f);
  assert.ok(holding.some((f) => /hookline\.duckdb/.test(f)), `the canary is in the catalog: ${holding.join(', ')}`);
  const needles = FORBIDDEN.flatMap((f) => [Buffer.from(f, 'utf8'), Buffer.from(f, 'latin1')]);
  for (const f of files) {
    const bytes = await readFile(f);
    for (const n of needles) assert.equal(bytes.indexOf(n), -1, `${f} holds ${n.toString('latin1')}`);
  }
});
