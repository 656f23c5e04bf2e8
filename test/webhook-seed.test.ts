// Issue 4 "done when": the seed's template, pasted verbatim with only `url`
// changed to hookline's own /api/v2/write, plus three secrets, turns a
// published {"count":42,"time":1764625907} into a point readable through
// /api/v3/query_sql; the real firmware's {"count":N,"timestamp":T} (no
// `time`) lands at server time; a payload without `count` gives a visible
// hook-error and a log entry, not a crash. No HOOKLINE_WEBHOOK_ALLOW_PRIVATE:
// hookline's own URL is always allowed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, startTestServer, sql, BUCKET, ORG, type TestServer } from './helpers/server.ts';
import { createDevice, createIntegration, json, openStream, publish, putSecret } from './helpers/particle.ts';

/** The template exactly as the seed's README shows it (blueprint-intermediate-influxdb, step 4). */
const seedTemplate = (): Record<string, unknown> => JSON.parse(readFileSync(new URL('../src/integrations/fixtures/seed-template.json', import.meta.url), 'utf8'));

let s: TestServer;
let integrationId: string;
let device: { id: string; token: string };
before(async () => {
  s = await startTestServer();
  assert.equal((await putSecret(s, 'INFLUX_API_KEY', s.token)).status, 201);
  assert.equal((await putSecret(s, 'INFLUX_ORG', ORG)).status, 201);
  assert.equal((await putSecret(s, 'INFLUX_BUCKET', BUCKET)).status, 201);
  device = await createDevice(s, { name: 'seed-device' });
});
after(() => s.stop());

test('the seed template is accepted verbatim (only url changed) and echoed back', async () => {
  const t = seedTemplate();
  assert.equal(t.url, 'https://us-east-1-1.aws.cloud2.influxdata.com/api/v2/write');
  t.url = `${s.url}/api/v2/write`;
  const created = await createIntegration(s, t);
  integrationId = created.id;
  assert.equal(created.template, 'webhook');
  assert.equal(created.data_url_response_event, false);
  assert.equal(created.integration_type, 'Webhook');
  assert.deepEqual(created.secrets, [{ name: 'INFLUX_API_KEY' }, { name: 'INFLUX_ORG' }, { name: 'INFLUX_BUCKET' }]);
});

test('a published {"count":42,"time":1764625907} becomes the point data,device=<id> count=42 1764625907', async () => {
  const st = await openStream(s, { deviceId: 'mine' });
  try {
    assert.equal((await publish(s, device.token, 'data', '{"count":42,"time":1764625907}')).status, 200);
    await st.waitFor((e) => e.name === 'hook-sent/data');
    let rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = await sql(s, 'SELECT * FROM data').catch(() => []);
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(rows, [{ time: '2025-12-01T21:51:47', device: device.id, count: 42 }]);
    // InfluxDB answers 204 with no body: success, and no hook-response event (docs.particle.io/reference/cloud-apis/webhooks/#webhook-responses).
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(st.events.some((e) => e.name.includes('hook-response') || e.name.startsWith('hook-error')), false);
  } finally {
    st.close();
  }
  const log = await json(await api(s, `/api/hookline/integrations/${integrationId}/log`));
  const ok = log.entries[0];
  assert.equal(ok.outcome, 'success');
  assert.equal(ok.response.status, 204);
  assert.equal(ok.request.headers.Authorization, 'Token [[SENSITIVE]]');
  assert.equal(ok.request.url, `${s.url}/api/v2/write?orgID=%5B%5BSENSITIVE%5D%5D&bucket=%5B%5BSENSITIVE%5D%5D&precision=s`);
  assert.equal(ok.request.body, `data,device=${device.id} count=42 1764625907`);
  assert.equal(JSON.stringify(log).includes(s.token), false);
});

test('the real firmware\'s {"count":N,"timestamp":T}: the template\'s {{{time}}} renders empty, so the point lands at server time', async () => {
  const st = await openStream(s, { name: 'hook-' });
  const before = Date.now();
  try {
    assert.equal((await publish(s, device.token, 'data', '{"count":1001,"timestamp":1764701}')).status, 200);
    await st.waitFor((e) => e.name === 'hook-sent/data');
    let rows: Array<{ time: string }> = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = await sql<{ time: string }>(s, 'SELECT time FROM data WHERE "count" = 1001').catch(() => []);
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(rows.length, 1);
    const at = Date.parse(rows[0].time + 'Z');
    assert.ok(at >= Math.floor(before / 1000) * 1000 - 1000 && at <= Date.now() + 1000, `stored at ${rows[0].time}, not at server time`);
  } finally {
    st.close();
  }
});

test('a payload without count ({"zero":1,"time":...}) gives a hook-error and a log entry, not a crash', async () => {
  const st = await openStream(s, { name: 'hook-error' });
  try {
    assert.equal((await publish(s, device.token, 'data', '{"zero":1,"time":1764625937}')).status, 200);
    const e = await st.waitFor((x) => x.name === 'hook-error/data/0');
    assert.match(e.data!, /^error status 400 from 127\.0\.0\.1$/);
    assert.equal(e.coreid, 'particle-internal');
  } finally {
    st.close();
  }
  const log = await json(await api(s, `/api/hookline/integrations/${integrationId}/log?outcome=error`));
  assert.equal(log.entries[0].response.status, 400);
  assert.match(log.entries[0].response.body, /unable to parse|invalid/i);
  assert.equal(log.entries[0].request.body, `data,device=${device.id} count= 1764625937`);
  let dead = { deadLetters: [] as Array<{ reason: string }> };
  for (let i = 0; i < 50 && dead.deadLetters.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    dead = await json(await api(s, `/api/hookline/dead-letters?integration=${integrationId}`));
  }
  assert.equal(dead.deadLetters.length, 1);
  assert.equal(dead.deadLetters[0].reason, 'error status 400 from 127.0.0.1');
  // Still serving.
  assert.equal((await publish(s, device.token, 'data', '{"count":43,"time":1764625967}')).status, 200);
});

test('the test endpoint sends the seed request and reports a 204 as success, not "Timed Out"', async () => {
  const r = await api(s, `/v1/integrations/${integrationId}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: '{"count":7,"time":1764626000}', send: true }) });
  const rep = await json(r);
  assert.equal(rep.success, true, JSON.stringify(rep));
  assert.equal(rep.status, 204);
  assert.match(rep.message, /empty body/);
  assert.equal(rep.request.headers.Authorization, 'Token [[SENSITIVE]]');
  assert.equal(rep.request.body, 'data,device=api count=7 1764626000');
  const counts = await json(await api(s, `/api/hookline/integrations/${integrationId}/counters`));
  assert.ok(counts.days[0].success >= 1 && counts.days[0].error >= 1);
});
