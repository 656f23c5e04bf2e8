// Screenshots of the demo's dashboards for docs/screenshots/ (light and dark,
// desktop and phone), from a real `hookline demo` in Debian's Chromium:
//   node scripts/screenshots-dashboards.mjs [--wait 40]
// Apart from scripts/screenshots.mjs so that refreshing these does not retake
// every other page.

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
const waitMs = waitArg > 0 ? Number.parseInt(process.argv[waitArg + 1], 10) * 1000 : 40_000;

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

async function main() {
  await mkdir(out, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'hookline-screenshots-'));
  const { child, url, token } = await startDemo(dataDir);
  const browser = await chromium.launch({ executablePath: process.env.HOOKLINE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    process.stdout.write(`waiting ${waitMs / 1000} s for the demo's data...\n`);
    await new Promise((r) => setTimeout(r, waitMs));
    const list = await (await fetch(`${url}/api/hookline/dashboards`, { headers: { authorization: `Token ${token}` } })).json();
    const particle = list.dashboards.find((d) => d.name.startsWith('Particle'));
    const wemos = list.dashboards.find((d) => d.name.startsWith('Wemos'));
    const shots = [
      { name: 'dashboard', id: particle.id, scheme: 'light', viewport: { width: 1360, height: 900 }, scale: 1 },
      { name: 'dashboard-dark', id: particle.id, scheme: 'dark', viewport: { width: 1360, height: 900 }, scale: 1 },
      { name: 'dashboard-wemos', id: wemos.id, scheme: 'light', viewport: { width: 1360, height: 760 }, scale: 1 },
      { name: 'phone-dashboard', id: particle.id, scheme: 'light', viewport: { width: 390, height: 844 }, scale: 2 },
      { name: 'phone-dashboard-dark', id: particle.id, scheme: 'dark', viewport: { width: 390, height: 844 }, scale: 2 },
    ];
    for (const s of shots) {
      const context = await browser.newContext({ viewport: s.viewport, deviceScaleFactor: s.scale, colorScheme: s.scheme });
      const page = await context.newPage();
      await page.goto(`${url}/sign-in`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      // The demo has run for a minute or two: show the last 3 minutes of it.
      await page.goto(`${url}/dashboards/${s.id}?from=now-3m&to=now`);
      await page.waitForSelector('[data-testid=dashboard][data-loaded-at]', { timeout: 30_000 });
      await page.waitForTimeout(800);
      const over = page.locator('.u-over').first();
      const box = await over.boundingBox();
      if (box && s.viewport.width > 600) await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(out, `${s.name}.png`) });
      process.stdout.write(`  docs/screenshots/${s.name}.png\n`);
      await context.close();
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
