// The explorer in real Chromium (issue 6 "Done when"): sign in, write points
// over HTTP and see them charted; publish an event and see it in the live
// stream; paste the seed's webhook template, test it, and see its point
// arrive. One server and one browser for all, each test in its own context.
// Assertions read the chart's data and the DOM, never pixels.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { api, BUCKET, ORG, startTestServer, writeLp, type TestServer } from '../helpers/server.ts';
import { launch, openPage, signIn, skipReason, until, waitForChart } from './browser.ts';

describe('explorer in Chromium', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('sign in, write points over HTTP, see them charted, in a table and as CSV', async () => {
    const now = Math.floor(Date.now() / 1000);
    let lines = '';
    for (let i = 0; i < 120; i++) lines += `data,device=alpha count=${i} ${now - 600 + i * 5}\ndata,device=beta count=${1000 + i} ${now - 600 + i * 5}\n`;
    assert.equal((await writeLp(server, lines)).status, 204);

    const { page, problems, context } = await openPage(browser, server.url, { acceptDownloads: true });
    // A wrong token is refused with a message, and nothing is stored.
    await page.goto(server.url + '/explore');
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token is not valid').waitFor();

    await signIn(page, server.url, server.token, '/explore');
    // The builder picks the first measurement, its first field and one series per tag value.
    const first = await waitForChart(page, 'two series', (c) => c.series === 2);
    assert.deepEqual(first.labels, ['data.count {device=alpha}', 'data.count {device=beta}']);
    assert.ok(first.points > 0);
    // The legend is uPlot's own DOM.
    await page.locator('.u-legend').getByText('data.count {device=beta}').waitFor();
    const query = await page.getByTestId('query').inputValue();
    assert.match(query, /^SELECT mean\("count"\) AS "count" FROM "data" WHERE time >= \d+ms AND time <= \d+ms GROUP BY time\(\d+\w+\), "device" fill\(none\)$/);

    // Raw points, filtered to one device by a tag filter.
    await page.getByLabel('Aggregate').selectOption('none');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 1 value').fill('beta');
    await page.getByLabel('Filter 1 value').press('Enter');
    await waitForChart(page, 'the raw points of beta', (c) => c.series === 1 && c.points === 120);
    assert.match(await page.getByTestId('query').inputValue(), /WHERE .*"device" = 'beta'/);

    // Table view and CSV download show the same rows.
    await page.getByRole('tab', { name: 'Table' }).click();
    await page.getByTestId('table-view').getByText('Rows 1–100 of 120').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('download-csv').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const rows = csv.trim().split('\r\n');
    assert.equal(rows[0], 'name,device,time,count');
    assert.equal(rows.length, 121);
    assert.match(rows[1], /^data,beta,\d{4}-\d\d-\d\dT[\d:.]+Z,1000$/);

    // The same through SQL, and a hand-edited query.
    await page.getByRole('tab', { name: 'Chart' }).click();
    await page.getByTestId('language').selectOption('sql');
    await until('the SQL query', async () => (await page.getByTestId('query').inputValue()).startsWith('SELECT time, "device", "count" FROM "data"'));
    // The InfluxQL result had 120 points too: wait for the answer of the SQL query itself.
    await until('the SQL answer', async () => (await page.getByTestId('chart').getAttribute('data-language')) === 'sql');
    await waitForChart(page, 'the SQL result', (c) => c.points === 120);
    await page.getByTestId('query').fill(`SELECT time, device, count * 2 AS doubled FROM data WHERE device = 'alpha' ORDER BY time`);
    await page.getByTestId('query').press('Control+Enter');
    await waitForChart(page, 'the hand-written query', (c) => c.labels.join() === 'data.doubled {device=alpha}');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('create a device, publish events, see them in the live stream', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/devices');
    await page.getByLabel('Name', { exact: true }).fill('greenhouse');
    await page.getByRole('button', { name: 'Create device' }).click();
    // The device token is shown once, in a dialog.
    const deviceToken = await page.getByTestId('shown-once').inputValue();
    assert.ok(deviceToken.length > 10);
    await page.getByRole('button', { name: 'Close' }).click();
    const row = page.getByTestId('devices').getByRole('row', { name: /greenhouse/ });
    const deviceId = (await row.locator('code').textContent())!;
    assert.match(deviceId, /^[0-9a-f]{24}$/);
    await page.getByTestId('stream-status').getByText('Live').waitFor();

    // Published from the page (with the signed-in token: device "api").
    await page.getByLabel('Event name', { exact: true }).fill('data');
    await page.getByLabel('Data', { exact: true }).fill('{"count":7,"time":1764625907}');
    await page.getByTestId('publish').click();
    const events = page.getByTestId('event-list');
    await events.locator('li[data-coreid="api"]').getByText('{"count":7,"time":1764625907}').waitFor();

    // Published by the device itself, over HTTP with its own token.
    const r = await fetch(`${server.url}/v1/devices/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=temperature&data=21.5',
    });
    assert.equal(r.status, 200);
    const li = events.locator(`li[data-coreid="${deviceId}"][data-event="temperature"]`);
    await li.waitFor();
    assert.match((await li.textContent())!, /temperature.*greenhouse.*21\.5/);
    await until('last heard to update', async () => (await row.locator('.last-heard').textContent()) !== 'never');

    // The device page shows that one device (issue 12): not the registry, not
    // another device; its state, last values from its data, its token, its events.
    assert.equal((await api(server, '/v1/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'cellar' }) })).status, 200);
    assert.equal((await writeLp(server, `data,device=${deviceId} count=5,temp=19.25 ${Math.floor(Date.now() / 1000) - 30}\n`)).status, 204);
    await row.getByRole('link', { name: 'greenhouse' }).click();
    await page.getByRole('heading', { name: 'Device greenhouse' }).waitFor();
    assert.equal(await page.getByTestId('devices').count(), 0, 'no device table on a device page');
    assert.equal(await page.getByText('cellar').count(), 0, 'no other device');
    assert.equal(await page.getByTestId('device-id').textContent(), deviceId);
    assert.equal(await page.getByTestId('device-online').textContent(), 'online');
    assert.match((await page.getByTestId('device-last-heard').textContent())!, /ago|just now/);
    const values = page.getByTestId('last-values');
    await values.getByRole('row', { name: /temp/ }).getByText('19.25').waitFor();
    await values.getByRole('row', { name: /count/ }).getByText('5', { exact: true }).waitFor();
    await page.getByTestId('device-token').getByRole('button', { name: 'Replace token' }).waitFor();

    // Its own stream: its history first, then only its events.
    await page.getByTestId('stream-status').getByText('Live').waitFor();
    await events.locator('li[data-event="temperature"]').waitFor();
    await api(server, '/v1/devices/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'other', data: 'x' }) });
    const publish = (name: string) => fetch(`${server.url}/v1/devices/events`, { method: 'POST', headers: { authorization: `Bearer ${deviceToken}` }, body: new URLSearchParams({ name, data: 'open' }) });
    await publish('door');
    await events.locator('li[data-event="door"]').waitFor();
    assert.equal(await events.locator('li[data-event="other"]').count(), 0);

    // A prefix filter also removes what is already on screen and does not match.
    await page.getByLabel('Event name prefix').fill('do');
    await page.getByLabel('Event name prefix').press('Enter');
    await until('older non-matching events to go', async () => (await events.locator('li[data-event="temperature"]').count()) === 0);
    await events.locator('li[data-event="door"]').waitFor();
    await page.getByTestId('stream-status').getByText('Live').waitFor();
    await publish('temperature');
    await publish('doorbell');
    await events.locator('li[data-event="doorbell"]').waitFor();
    assert.equal(await events.locator('li[data-event="temperature"]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('paste the seed template, test it, and see the point arrive', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/secrets');
    // Step 3 of the seed: the three Cloud Secrets.
    for (const [name, value] of [['INFLUX_API_KEY', server.token], ['INFLUX_ORG', ORG], ['INFLUX_BUCKET', BUCKET]]) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Value', { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save secret' }).click();
      await page.getByTestId('secrets').getByText(name, { exact: true }).waitFor();
    }
    // Step 4: the Custom Template, verbatim but for its url.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: 'New integration' }).click();
    await page.getByRole('heading', { level: 1, name: 'New integration' }).waitFor();
    // An unsaved integration has no state: no (empty) badge beside its heading.
    assert.equal(await page.locator('.page-head .badge:visible').count(), 0);
    await page.getByTestId('template-json').fill(seedTemplate(`${server.url}/api/v2/write`));
    await page.getByTestId('save-integration').click();
    await page.waitForURL(/\/integrations\/(?!new)[^/]+$/);
    const integrationUrl = page.url();
    await page.getByRole('heading', { level: 1, name: 'InfluxDB' }).waitFor();
    assert.equal(await page.locator('.page-head .badge').textContent(), 'enabled');

    const deviceId = 'e00fce682e79a004f1e69a2b';
    const time = Math.floor(Date.now() / 1000) - 30;
    await page.getByTestId('test-data').fill(JSON.stringify({ count: 42, time }));
    await page.getByTestId('test-device').fill(deviceId);
    await page.getByTestId('run-test').click();
    const outcome = page.getByTestId('test-outcome');
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('data-success'), 'true');
    assert.match((await outcome.textContent())!, /204 with an empty body/);
    const sent = (await page.getByTestId('test-request').textContent())!;
    assert.match(sent, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/write\?/);
    assert.match(sent, /Authorization: Token \[\[SENSITIVE\]\]/);
    assert.ok(!sent.includes(server.token), 'the secret must not appear');
    assert.ok(sent.endsWith(`data,device=${deviceId} count=42 ${time}`), sent);

    // The point is in the bucket: the explorer charts it.
    await page.goto(`${server.url}/explore?bucket=${BUCKET}&m=data&f=count&where=device%3D${deviceId}&agg=none&range=1h`);
    const c = await waitForChart(page, 'the webhook point', (x) => x.points === 1);
    assert.deepEqual(c.labels, ['data.count']);
    await page.getByRole('tab', { name: 'Table' }).click();
    await page.getByTestId('table-view').getByRole('cell', { name: '42', exact: true }).waitFor();

    // A real event goes the same way, and shows in the delivery log.
    const published = await api(server, '/v1/devices/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'data', data: JSON.stringify({ count: 43, time: time + 1 }) }) });
    assert.equal(published.status, 200);
    await page.goto(integrationUrl);
    await until('a logged delivery', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await page.getByTestId('delivery-log').locator('li[data-outcome="success"]').count()) > 0;
    });
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('buckets with retention, a token scoped to one bucket, secrets stay write-only', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/buckets');
    await page.getByLabel('Name', { exact: true }).fill('greenhouse');
    await page.getByLabel('Retention', { exact: true }).selectOption({ label: '7 days' });
    await page.getByRole('button', { name: 'Create bucket' }).click();
    const row = page.getByTestId('buckets').getByRole('row', { name: /greenhouse/ });
    await row.getByText('7 days').waitFor();
    await row.getByRole('button', { name: 'Change retention of greenhouse' }).click();
    await page.getByLabel('Keep data for').selectOption({ label: '30 days' });
    await page.getByRole('button', { name: 'Save' }).click();
    await row.getByText('30 days').waitFor();
    const bucket = ((await (await api(server, '/api/v2/buckets?name=greenhouse')).json()).buckets as Array<{ id: string; retentionRules: Array<{ everySeconds: number }> }>)[0];
    assert.equal(bucket.retentionRules[0].everySeconds, 30 * 86400);

    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Description').fill('greenhouse writer');
    await page.getByLabel('Chosen buckets and resources').check();
    await page.getByLabel('write Bucket greenhouse').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('shown-once').inputValue();
    await page.getByRole('button', { name: 'Close' }).click();
    const tokenRow = page.getByTestId('tokens').getByRole('row', { name: /greenhouse writer/ });
    await tokenRow.getByText('write bucket greenhouse').waitFor();
    const write = (b: string) => fetch(`${server.url}/api/v2/write?org=${ORG}&bucket=${b}`, { method: 'POST', headers: { authorization: `Token ${token}` }, body: 'm v=1' });
    assert.equal((await write('greenhouse')).status, 204);
    assert.notEqual((await write(BUCKET)).status, 204, 'no other bucket');
    await tokenRow.getByRole('button', { name: 'Deactivate token greenhouse writer' }).click();
    await tokenRow.getByText('inactive').waitFor();
    assert.equal((await write('greenhouse')).status, 401);

    await page.getByRole('link', { name: 'Buckets' }).click();
    await row.getByRole('button', { name: 'Delete bucket greenhouse' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete bucket' }).click();
    await row.waitFor({ state: 'detached' });

    // A secret's value never comes back: not in the list, not from the API.
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByLabel('Name', { exact: true }).fill('GREENHOUSE_KEY');
    await page.getByLabel('Value', { exact: true }).fill('s3cret-value');
    await page.getByRole('button', { name: 'Save secret' }).click();
    await page.getByTestId('secrets').getByText('GREENHOUSE_KEY').waitFor();
    assert.ok(!(await page.content()).includes('s3cret-value'));
    assert.ok(!(await (await api(server, '/v1/secrets')).text()).includes('s3cret-value'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('usable at phone width, with the keyboard', async () => {
    const { page, problems, context } = await openPage(browser, server.url, { width: 390, height: 844 });
    await signIn(page, server.url, server.token, '/explore');
    await waitForChart(page, 'a chart on a phone', (x) => x.series > 0);
    // The menu folds behind a button; it opens and navigates by keyboard.
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await page.getByRole('link', { name: 'Buckets' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/buckets$/);
    await page.getByTestId('buckets').getByText(BUCKET).waitFor();
    // Nothing wider than the screen.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0);
    // A wide list (integrations, long target URLs) stacks instead of running off the right edge.
    const hook = await api(server, '/v1/integrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ integration_type: 'Webhook', name: 'A rather long integration name for a phone', event: 'phone-test', url: 'http://127.0.0.1:9/a/very/long/path/that/does/not/fit/on/a/phone/screen', requestType: 'POST' }) });
    assert.ok(hook.ok, await hook.text());
    await page.goto(`${server.url}/integrations`);
    const hookRow = page.getByTestId('integrations').getByRole('row', { name: /rather long/ });
    await hookRow.waitFor();
    assert.equal(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    const toggle = hookRow.getByRole('button', { name: /Disable/ });
    const box = (await toggle.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the row's button is on screen: ${JSON.stringify(box)}`);
    await page.goto(`${server.url}/explore`);
    await waitForChart(page, 'the chart again', (x) => x.series > 0);
    assert.equal(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

function seedTemplate(url: string): string {
  return JSON.stringify(
    {
      name: 'InfluxDB',
      event: 'data',
      responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}',
      disabled: false,
      secrets: [{ name: 'INFLUX_API_KEY' }, { name: 'INFLUX_ORG' }, { name: 'INFLUX_BUCKET' }],
      template: 'webhook',
      url,
      requestType: 'POST',
      noDefaults: true,
      rejectUnauthorized: true,
      unchunked: false,
      data_url_response_event: false,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Authorization: 'Token {{INFLUX_API_KEY}}' },
      query: { orgID: '{{INFLUX_ORG}}', bucket: '{{INFLUX_BUCKET}}', precision: 's' },
      body: 'data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}',
    },
    null,
    2,
  );
}
