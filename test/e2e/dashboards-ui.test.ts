// Dashboards in real Chromium (issue 14 "Tests"): create one through the UI
// (add panels, set a variable, move a panel, save, reload: unchanged), live
// mode shows a newly written point without a reload, export then import gives
// the same document, and a read token can view but not save. Assertions read
// the DOM and the API, never pixels.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { api, BUCKET, startTestServer, writeLp, type TestServer } from '../helpers/server.ts';
import { launch, openPage, signIn, skipReason, until } from './browser.ts';

function strip(d: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = d;
  return rest;
}

async function getDoc(server: TestServer, id: string): Promise<Record<string, any>> {
  const r = await api(server, `/api/hookline/dashboards/${id}`);
  assert.equal(r.status, 200);
  return (await r.json()) as Record<string, any>;
}

/** Every panel's type, state and grid position, as the page shows them. */
function panels(page: Page): Promise<Array<{ type: string; state: string; grid: string; title: string }>> {
  return page.getByTestId('panel').evaluateAll((els) =>
    els.map((e) => ({ type: e.getAttribute('data-type') ?? '', state: e.getAttribute('data-state') ?? '', grid: e.getAttribute('data-grid') ?? '', title: e.querySelector('.panel-title')?.textContent ?? '' })),
  );
}

async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=dashboard][data-loaded-at]', { timeout: 20_000 });
}

async function addPanel(page: Page, title: string, type: string, query: string): Promise<void> {
  await page.getByTestId('dash-add-panel').click();
  await page.getByTestId('panel-title-input').fill(title);
  await page.getByTestId('panel-type').selectOption(type);
  await page.getByTestId('query-text').fill(query);
  await page.getByTestId('panel-apply').click();
}

describe('dashboards in Chromium', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let dashboardId = '';

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    const now = Math.floor(Date.now() / 1000);
    let lines = '';
    for (let i = 0; i < 60; i++) for (const d of ['d1', 'd2']) lines += `data,device=${d} temp=${d === 'd1' ? 10 + i / 10 : 30 + i / 10} ${now - 600 + i * 10}\n`;
    assert.equal((await writeLp(server, lines)).status, 204);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('create a dashboard through the UI: panels, a variable, a moved panel; saved and reloaded unchanged', async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/dashboards');
    await page.getByTestId('new-dashboard').click();
    await page.getByTestId('new-dashboard-name').fill('Freezers');
    await page.getByTestId('new-dashboard-create').click();
    await page.waitForURL(/\/dashboards\/[0-9a-f]{16}/);
    dashboardId = /\/dashboards\/([0-9a-f]{16})/.exec(page.url())![1];

    // A variable from SHOW TAG VALUES.
    await page.getByTestId('dash-variables').click();
    await page.getByTestId('var-add').click();
    await page.getByTestId('var-query').fill('SHOW TAG VALUES FROM "data" WITH KEY = "device"');
    await page.getByTestId('var-apply').click();
    await until('the variable lists d1 and d2', async () => (await page.getByTestId('var-device').locator('option').allTextContents()).join(',') === 'd1,d2');

    await addPanel(page, 'Temperature', 'timeseries', `SELECT mean("temp") FROM "data" WHERE "device" = '$device' AND $timeFilter GROUP BY time($__interval) fill(none)`);
    await addPanel(page, 'Now', 'stat', `SELECT last("temp") FROM "data" WHERE "device" = '$device' AND $timeFilter`);
    await until('both panels drawn', async () => {
      const p = await panels(page);
      return p.length === 2 && p.every((x) => x.state === 'ok');
    });
    assert.deepEqual((await panels(page)).map((p) => p.grid), ['0,0,12,8', '12,0,12,8']);

    // Set the variable: the stat shows d2's last value.
    await page.getByTestId('var-device').selectOption('d2');
    await until("the stat shows d2's last value", async () => (await page.getByTestId('panel-stat').locator('.stat-value').getAttribute('data-value')) === '35.9');
    assert.match(page.url(), /var-device=d2/);

    // Move the stat panel under the chart by dragging its title bar.
    const head = page.getByTestId('panel').nth(1).locator('.panel-title');
    const box = (await head.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 400, box.y + 200, { steps: 8 });
    await page.mouse.move(box.x - 600, box.y + 340, { steps: 8 });
    await page.mouse.up();
    let moved = (await panels(page))[1].grid;
    assert.notEqual(moved, '12,0,12,8');
    assert.match(moved, /^\d+,([1-9]\d*),12,8$/, 'the panel went down a row or more');

    // Duplicate a panel, then remove the copy.
    await page.getByTestId('panel').nth(1).getByTestId('panel-duplicate').click();
    await until('three panels', async () => (await panels(page)).length === 3);
    assert.equal((await panels(page))[2].title, 'Now');
    await page.getByTestId('panel').nth(2).getByTestId('panel-remove').click();
    await until('two panels again', async () => (await panels(page)).length === 2);

    // Resize the chart by its corner: wider by about four columns.
    const corner = (await page.getByTestId('panel').first().locator('.panel-resize').boundingBox())!;
    await page.mouse.move(corner.x + 9, corner.y + 9);
    await page.mouse.down();
    await page.mouse.move(corner.x + 120, corner.y + 9, { steps: 6 });
    await page.mouse.move(corner.x + 215, corner.y + 9, { steps: 6 });
    await page.mouse.up();
    const resized = (await panels(page))[0].grid;
    assert.match(resized, /^0,0,(1[3-9]|2[0-4]),8$/, `wider: ${resized}`);
    moved = (await panels(page))[1].grid;

    await page.getByTestId('dash-save').click();
    await page.getByTestId('dash-status').getByText('Saved').waitFor();
    const saved = await getDoc(server, dashboardId);
    assert.equal(saved.name, 'Freezers');
    assert.deepEqual(saved.variables, [{ name: 'device', type: 'query', language: 'influxql', bucket: BUCKET, query: 'SHOW TAG VALUES FROM "data" WITH KEY = "device"', current: 'd2' }]);
    assert.deepEqual(saved.panels.map((p: any) => [p.title, p.type, `${p.gridPos.x},${p.gridPos.y},${p.gridPos.w},${p.gridPos.h}`]), [
      ['Temperature', 'timeseries', resized],
      ['Now', 'stat', moved],
    ]);

    // Reload: the same panels in the same places, the same variable value, and nothing changed on the server.
    await page.goto(`${server.url}/dashboards/${dashboardId}`);
    await loaded(page);
    const after = await panels(page);
    assert.deepEqual(after.map((p) => [p.title, p.type, p.grid]), [
      ['Temperature', 'timeseries', resized],
      ['Now', 'stat', moved],
    ]);
    assert.equal(await page.getByTestId('var-device').inputValue(), 'd2');
    assert.equal(await page.getByTestId('dash-save').getAttribute('data-dirty'), 'false');
    assert.deepEqual(await getDoc(server, dashboardId), saved);
    assert.deepEqual(problems, []);
  });

  test('?var-device= and ?theme= in the address, as in Grafana links', async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/dashboards/${dashboardId}?var-device=d1`);
    await loaded(page);
    assert.equal(await page.getByTestId('var-device').inputValue(), 'd1');
    await until("the stat shows d1's last value", async () => (await page.getByTestId('panel-stat').locator('.stat-value').getAttribute('data-value')) === '15.9');
    // ?theme=dark (Grafana's parameter) wins over a light system setting, for this page only.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}/dashboards/${dashboardId}?var-device=d1&theme=dark`);
    await loaded(page);
    assert.equal(await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()"), '#0f1216');
    assert.match(page.url(), /theme=dark/);
    assert.deepEqual(problems, []);
  });

  test('live mode shows a newly written point without a reload', async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/dashboards/${dashboardId}?var-device=d1`);
    await loaded(page);
    await page.getByTestId('dash-live').check();
    const before = Number(await page.getByTestId('panel-chart').getAttribute('data-points'));
    assert.equal((await writeLp(server, `data,device=d1 temp=77.5 ${Math.floor(Date.now() / 1000)}`)).status, 204);
    await until('the stat shows the new point', async () => (await page.getByTestId('panel-stat').locator('.stat-value').getAttribute('data-value')) === '77.5');
    await until('the chart has one point more', async () => Number(await page.getByTestId('panel-chart').getAttribute('data-points')) > before);
    assert.deepEqual(problems, []);
  });

  test("an event panel follows the stream by name prefix; a failing panel fails alone", async () => {
    const doc = {
      name: 'Events and errors',
      time: { from: 'now-15m', to: 'now' },
      panels: [
        { title: 'Freezer events', type: 'events', gridPos: { x: 0, y: 0, w: 12, h: 8 }, options: { prefix: 'freezer/' } },
        { title: 'Broken', type: 'stat', gridPos: { x: 12, y: 0, w: 6, h: 4 }, queries: [{ language: 'sql', bucket: BUCKET, query: 'SELEC nothing' }] },
        { title: 'Fine', type: 'stat', gridPos: { x: 18, y: 0, w: 6, h: 4 }, queries: [{ language: 'influxql', bucket: BUCKET, query: `SELECT last("temp") FROM "data" WHERE "device" = 'd1'` }] },
      ],
    };
    const r = await api(server, '/api/hookline/dashboards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    const { id } = (await r.json()) as { id: string };
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/dashboards/${id}?live=1`);
    await loaded(page);
    const states = await panels(page);
    assert.deepEqual(states.map((p) => [p.title, p.state]), [
      ['Freezer events', 'ok'],
      ['Broken', 'error'],
      ['Fine', 'ok'],
    ]);
    assert.match((await page.getByTestId('panel').nth(1).getByTestId('panel-error').textContent()) ?? '', /SELEC/);
    const publish = (name: string) => api(server, '/v1/devices/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, data: 'open' }) });
    // The stream connects after the page loads: publish until the event shows (a hang guard bounds it).
    await until('the freezer event in the panel', async () => {
      assert.equal((await publish('other/door')).status, 200);
      assert.equal((await publish('freezer/door')).status, 200);
      return page.getByTestId('panel').first().locator('li[data-event="freezer/door"]').count();
    });
    assert.equal(await page.getByTestId('panel').first().locator('li[data-event="other/door"]').count(), 0);
    assert.deepEqual(problems, []);
  });

  test('export then import gives the same document', async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/dashboards/${dashboardId}`);
    await loaded(page);
    await page.getByTestId('dash-export').click();
    const exported = JSON.parse(await page.getByTestId('export-json').inputValue());
    assert.deepEqual(exported, strip(await getDoc(server, dashboardId)));
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/dashboards`);
    await page.getByTestId('import-dashboard').click();
    await page.getByTestId('import-json').fill(JSON.stringify(exported));
    await page.getByTestId('import-submit').click();
    await page.waitForURL((u) => /\/dashboards\/[0-9a-f]{16}$/.test(u.pathname) && !u.pathname.endsWith(dashboardId));
    const importedId = /\/dashboards\/([0-9a-f]{16})/.exec(page.url())![1];
    assert.deepEqual(strip(await getDoc(server, importedId)), exported);
    await loaded(page);
    assert.equal((await panels(page)).length, 2);
    assert.deepEqual(problems, []);
  });

  test("the explorer's query becomes a dashboard panel that follows the dashboard's time range", async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/explore');
    await until('the explorer ran its query', async () => Number(await page.getByTestId('chart').getAttribute('data-points')) > 0);
    await page.getByTestId('to-dashboard').click();
    await page.waitForURL(/\/dashboards\/[0-9a-f]{16}$/);
    await loaded(page);
    const id = /\/dashboards\/([0-9a-f]{16})/.exec(page.url())![1];
    const doc = await getDoc(server, id);
    assert.equal(doc.panels.length, 1);
    assert.match(doc.panels[0].queries[0].query, /WHERE \$timeFilter .*GROUP BY time\(\$__interval\)/);
    await until('the panel draws the points', async () => Number(await page.getByTestId('panel-chart').getAttribute('data-points')) > 0);
    assert.deepEqual(problems, []);
  });

  test('a read token views a dashboard but cannot save it', async () => {
    const org = server.firstRun!.org.id;
    const bucket = server.tenancy.listBuckets({ orgID: org })[0].id;
    const r = await api(server, '/api/v2/authorizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID: org, description: 'wall screen', permissions: [{ action: 'read', resource: { type: 'buckets', id: bucket, orgID: org } }] }) });
    const readToken = ((await r.json()) as { token: string }).token;
    const before = await getDoc(server, dashboardId);

    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, readToken, `/dashboards/${dashboardId}`);
    await loaded(page);
    const shown = await panels(page);
    assert.deepEqual(shown.map((p) => [p.title, p.state]), [
      ['Temperature', 'ok'],
      ['Now', 'ok'],
    ]);
    await page.getByTestId('dash-edit').click();
    await page.getByTestId('dash-name-input').fill('Renamed by a reader');
    await page.getByTestId('dash-save').click();
    await page.getByTestId('dash-status').getByText(/Not saved: this token may view this dashboard but not change it/).waitFor();
    assert.deepEqual(await getDoc(server, dashboardId), before);
    assert.deepEqual(problems, []);
  });

  test("a check's threshold levels are drawn on the timeseries panel of the same measurement and field, named after the check", async () => {
    const c = await api(server, '/api/hookline/checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'freezer-too-warm', type: 'threshold', bucket: BUCKET, language: 'influxql', query: 'SELECT last("temp") FROM "data" GROUP BY "device"', every: '1m', levels: { crit: '> 40', warn: '> 33' } }),
    });
    assert.equal(c.status, 201, await c.clone().text());
    const doc = {
      name: 'Check lines',
      time: { from: 'now-15m', to: 'now' },
      panels: [
        { title: 'Temps', type: 'timeseries', gridPos: { x: 0, y: 0, w: 12, h: 8 }, queries: [{ language: 'influxql', bucket: BUCKET, query: 'SELECT mean("temp") FROM "data" WHERE $timeFilter GROUP BY time($__interval), "device" fill(none)' }] },
        { title: 'Other field', type: 'timeseries', gridPos: { x: 12, y: 0, w: 12, h: 8 }, queries: [{ language: 'influxql', bucket: BUCKET, query: 'SELECT mean("hum") FROM "data" WHERE $timeFilter GROUP BY time($__interval)' }] },
      ],
    };
    const r = await api(server, '/api/hookline/dashboards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    const { id } = (await r.json()) as { id: string };
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/dashboards/${id}`);
    await loaded(page);
    const temps = page.getByTestId('panel').filter({ hasText: 'Temps' });
    await until('the Temps panel draws its series', async () => (await temps.getByTestId('panel-chart').getAttribute('data-series')) === '2');
    const entries = await temps.locator('[data-testid=check-lines] li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-check'), e.getAttribute('data-level'), e.textContent]));
    assert.deepEqual(entries, [
      ['freezer-too-warm', 'crit', 'freezer-too-warm: crit > 40'],
      ['freezer-too-warm', 'warn', 'freezer-too-warm: warn > 33'],
    ]);
    assert.equal(await temps.getByTestId('panel-chart').getAttribute('data-check-lines'), '2');
    // The y axis reaches the crit line above the data (which tops out near 36).
    const yMax = await temps.getByTestId('panel-chart').evaluate((e) => (e as unknown as { uplot?: { scales: { y: { max?: number } } } }).uplot?.scales.y.max ?? NaN);
    assert.ok(yMax >= 40, `y max ${yMax}`);
    // A panel reading another field draws no check lines.
    const other = page.getByTestId('panel').filter({ hasText: 'Other field' });
    await until('the other panel is drawn', async () => (await other.getAttribute('data-state')) === 'ok');
    assert.equal(await other.locator('[data-testid=check-lines] li').count(), 0);
    assert.deepEqual(problems, []);

    // A token that may not read checks gets the dashboard without check lines and without an error.
    const org = server.firstRun!.org.id;
    const bucket = server.tenancy.listBuckets({ orgID: org }).find((b) => b.name === BUCKET)!.id;
    const t = await api(server, '/api/v2/authorizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID: org, description: 'no checks', permissions: [{ action: 'read', resource: { type: 'buckets', id: bucket, orgID: org } }] }) });
    assert.equal(t.status, 201, await t.clone().text());
    const readToken = ((await t.json()) as { token: string }).token;
    const second = await openPage(browser, server.url);
    await signIn(second.page, server.url, readToken, `/dashboards/${id}`);
    await loaded(second.page);
    const temps2 = second.page.getByTestId('panel').filter({ hasText: 'Temps' });
    await until('the Temps panel draws its series for the read token', async () => (await temps2.getByTestId('panel-chart').getAttribute('data-series')) === '2');
    assert.equal(await temps2.getByTestId('panel-chart').getAttribute('data-check-lines'), '0');
    assert.equal(await second.page.locator('[data-testid=check-lines] li').count(), 0);
    assert.equal(await second.page.getByTestId('panel-error').filter({ visible: true }).count(), 0);
    assert.deepEqual(second.problems, []);
  });
});
