// The integration page in real Chromium (issue 12): the state line says the
// integration is failing and why, its dead letter is listed, and "Replay"
// delivers it once the target is fixed; the state line turns healthy. The
// integrations list shows the full target URL and the id.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { api, startTestServer, type TestServer } from '../helpers/server.ts';
import { createIntegration, publish } from '../helpers/particle.ts';
import { launch, openPage, signIn, skipReason, until } from './browser.ts';

describe('integration state and dead letters in Chromium', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let target: http.Server;
  let targetUrl = '';
  let failing = true;
  const received: string[] = [];

  before(async () => {
    // One attempt: a 500 is dead-lettered at once.
    server = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_MAX_ATTEMPTS: '1' });
    target = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failing) return res.writeHead(500).end('down');
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.5', r));
    targetUrl = `http://127.0.0.5:${(target.address() as AddressInfo).port}`;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    target?.closeAllConnections();
    await new Promise((r) => target?.close(r));
    await server?.stop();
  });

  test('the state line shows the failure; a dead letter is replayed from the page and delivered', async () => {
    const integ = await createIntegration(server, { name: 'Flaky target', event: 'reading', url: `${targetUrl}/in` });
    const published = await publish(server, server.token, 'reading', '{"v":1}');
    assert.equal(published.status, 200);
    await until('the dead letter', async () => (await (await api(server, `/api/hookline/integrations/${integ.id}/dead-letters`)).json()).total === 1);

    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/integrations/${integ.id}`);
    const state = page.getByTestId('integration-state');
    await state.waitFor();
    assert.equal(await state.getAttribute('data-state'), 'failing');
    const line = (await state.textContent())!;
    assert.match(line, /^failing Failing since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC with HTTP 500, 1 attempt · 1 dead letter$/);
    await page.getByText(`${targetUrl}/in`).first().waitFor();

    const letters = page.getByTestId('dead-letters');
    await letters.locator('li').first().waitFor();
    assert.equal(await letters.locator('li').count(), 1);
    assert.match((await letters.textContent())!, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC reading from api · 1 attempt · error status 500 from 127\.0\.0\.5/);

    // Fixed: replay it from the page.
    failing = false;
    const eventId = await letters.locator('li').first().getAttribute('data-event-id');
    await page.getByRole('button', { name: `Replay dead letter ${eventId}` }).click();
    await page.getByTestId('dead-letters').getByText('No dead letters.').waitFor();
    await until('the replayed delivery', async () => received.length === 1);
    assert.match(received[0], /data=%7B%22v%22%3A1%7D/);
    await until('the state line healthy', async () => (await page.getByTestId('integration-state').getAttribute('data-state')) === 'healthy');
    assert.match((await page.getByTestId('integration-state').textContent())!, /^healthy Healthy: last delivered \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // The list tells look-alikes apart: the full URL (with its scheme) and the id.
    await page.getByRole('link', { name: 'All integrations' }).click();
    const row = page.getByTestId('integrations').getByRole('row', { name: /Flaky target/ });
    await row.getByText(`POST ${targetUrl}/in`).waitFor();
    await row.getByText(integ.id).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});
