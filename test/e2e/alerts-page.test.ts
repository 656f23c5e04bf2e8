// The Alerts page in real Chromium (issue 13): a check is created from the
// form after a preview that shows each series' level, the list shows it with
// its series coloured by level, and the device overview lists the devices
// online with their last values.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { BUCKET, startTestServer, writeLp, type TestServer } from '../helpers/server.ts';
import { launch, openPage, signIn, skipReason, until } from './browser.ts';

describe('alerts page in Chromium', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await writeLp(server, `data,device=hot temp=35 ${now}\ndata,device=cool temp=20 ${now}`)).status, 204);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('preview, create, series coloured by level, device overview', async () => {
    const { page, problems } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, '/alerts');
    await page.getByText('New check').click();
    await page.getByTestId('check-bucket').fill(BUCKET);
    await page.getByTestId('check-preview-button').click();
    const preview = page.getByTestId('preview-table');
    await preview.waitFor();
    assert.equal(await preview.getByRole('row', { name: /device=hot/ }).locator('[data-level]').getAttribute('data-level'), 'crit');
    assert.equal(await preview.getByRole('row', { name: /device=cool/ }).locator('[data-level]').getAttribute('data-level'), 'ok');

    await page.getByTestId('check-create').click();
    const card = page.getByTestId('check-too-hot');
    await card.waitFor();
    // The list refreshes every 10 s; the check runs every 10 s: wait for its state.
    await until('the check\'s series', async () => {
      await page.reload();
      await card.waitFor();
      return (await card.locator('tbody [data-level="crit"]').count()) === 1;
    }, 60_000);
    assert.equal(await card.locator('tbody [data-level="ok"]').count(), 1);
    const bg = await card.locator('tbody [data-level="crit"]').evaluate((el: unknown) => (globalThis as any).getComputedStyle(el).borderColor as string);
    const okBg = await card.locator('tbody [data-level="ok"]').evaluate((el: unknown) => (globalThis as any).getComputedStyle(el).borderColor as string);
    assert.notEqual(bg, okBg);

    const devices = page.getByTestId('devices-table');
    await devices.waitFor();
    const hot = devices.getByRole('row', { name: /hot/ });
    await hot.getByText('online').waitFor();
    await hot.getByText('data.temp=35').waitFor();
    assert.deepEqual(problems, []);
  });
});
