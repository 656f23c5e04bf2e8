// Screenshots of every explorer page for docs/screenshots/, taken from a real
// `hookline demo` (fresh data directory, devices publishing every second) in
// Debian's Chromium:   node scripts/screenshots.mjs [--wait 45s]
// It waits for the demo's data to build up, so a run takes about a minute.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');
const TOKEN = 'screenshot-admin-token-0123456789';
const waitArg = process.argv.indexOf('--wait');
const waitMs = waitArg > 0 ? Number.parseInt(process.argv[waitArg + 1], 10) * 1000 : 45_000;

async function startDemo(dataDir) {
  const child = spawn(
    process.execPath,
    ['bin/hookline.js', 'demo', '--http-port', '0', '--data-dir', dataDir, '--init-token', TOKEN, '--demo-period', '1s', '--mqtt-port', '0', '--opentsdb-port', '0', '--log-level', 'info'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hookline did not start:\n${log}`)), 60_000);
    const onData = (d) => {
      log += d;
      // The demo runs in its own org: sign in with the demo org's token, which its start-up line carries.
      const m = /hookline is running: (http:\/\/\S+)/.exec(log);
      const t = /"msg":"demo running[^\n]*"token":"([^"]+)"/.exec(log);
      if (m && t) {
        clearTimeout(timer);
        resolve({ url: m[1], token: t[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`hookline exited (${code}):\n${log}`)));
  });
  return { child, ...started };
}

/** The cursor near the newest data, so the tooltip shows. */
async function hover(page) {
  const box = await page.locator('.u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.93, box.y + box.height * 0.5);
}

async function main() {
  await mkdir(out, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'hookline-screenshots-'));
  const { child, url, token } = await startDemo(dataDir);
  const browser = await chromium.launch({ executablePath: process.env.HOOKLINE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
    const page = await context.newPage();
    const shot = async (name, opts = {}) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `${name}.png`), fullPage: opts.fullPage ?? false });
      process.stdout.write(`  docs/screenshots/${name}.png\n`);
    };

    await page.goto(`${url}/`);
    await page.getByLabel('API token').fill(token);
    await shot('sign-in');
    process.stdout.write(`waiting ${waitMs / 1000} s for the demo's data...\n`);
    await page.waitForTimeout(waitMs);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/explore/);

    await page.goto(`${url}/explore?bucket=hookline&m=data&f=count&by=device&agg=mean&window=auto&range=5m&refresh=5s`);
    await page.getByTestId('chart').locator('canvas').waitFor();
    await hover(page);
    await shot('explore');
    await page.goto(`${url}/explore?bucket=hookline&m=universe&f=value&agg=none&range=5m&lang=sql`);
    await page.getByTestId('chart').locator('canvas').waitFor();
    await shot('explore-sql');
    await page.getByRole('tab', { name: 'Table' }).click();
    await shot('explore-table');

    await page.goto(`${url}/devices`);
    await page.getByTestId('event-list').locator('li').nth(3).waitFor();
    await shot('devices');

    await page.getByTestId('devices').getByRole('link').first().click();
    await page.getByTestId('last-values').waitFor();
    await page.getByTestId('event-list').locator('li').nth(3).waitFor();
    await shot('device');

    await page.goto(`${url}/integrations`);
    await page.getByTestId('integrations').waitFor();
    await shot('integrations');
    await page.getByTestId('integrations').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'InfluxDB' }).waitFor();
    await page.getByTestId('run-test').click();
    await page.getByTestId('test-outcome').waitFor();
    await page.getByTestId('delivery-log').locator('details').first().locator('summary').click();
    await page.setViewportSize({ width: 1360, height: 1400 });
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('integration');
    await page.setViewportSize({ width: 1360, height: 900 });

    for (const name of ['buckets', 'tokens', 'secrets']) {
      await page.goto(`${url}/${name}`);
      await page.getByTestId(name).waitFor();
      await shot(name);
    }

    // Dark mode follows the system: the same chart with prefers-color-scheme: dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${url}/explore?bucket=hookline&m=data&f=count&by=device&agg=mean&window=auto&range=5m`);
    await page.getByTestId('chart').locator('canvas').waitFor();
    await hover(page);
    await shot('explore-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await context.storageState() });
    const p2 = await phone.newPage();
    await p2.goto(`${url}/explore?bucket=hookline&m=data&f=count&by=device&agg=mean&range=5m`);
    await p2.getByTestId('chart').locator('canvas').waitFor();
    await p2.waitForTimeout(300);
    await p2.screenshot({ path: join(out, 'phone-explore.png') });
    process.stdout.write('  docs/screenshots/phone-explore.png\n');
    await p2.goto(`${url}/integrations`);
    await p2.getByTestId('integrations').waitFor();
    await p2.waitForTimeout(300);
    await p2.screenshot({ path: join(out, 'phone-integrations.png') });
    process.stdout.write('  docs/screenshots/phone-integrations.png\n');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
