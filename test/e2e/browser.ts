// Real Chromium for the explorer's end-to-end tests: Debian's /usr/bin/chromium
// driven by playwright-core (never a downloaded browser). Tests skip, saying
// why, only when that binary is absent; CI installs it (.ci/run).
//
// Every page is watched: a request to any other origin fails the test (the UI
// must make no external requests), and so does an uncaught page error.

import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.HOOKLINE_CHROMIUM ?? '/usr/bin/chromium';
export const skipReason = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium); the explorer's browser tests are skipped`;

export async function launch(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Problems seen so far: external requests, page errors, failed same-origin requests. */
  problems: string[];
}

export async function openPage(browser: Browser, origin: string, opts: { width?: number; height?: number; acceptDownloads?: boolean } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, acceptDownloads: opts.acceptDownloads ?? false });
  const page = await context.newPage();
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`external request: ${url}`);
    return route.abort();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}

export async function signIn(page: Page, origin: string, token: string, path = '/'): Promise<void> {
  await page.goto(origin + path);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Polls `probe` until it returns something truthy; fails with `what` and the last value seen. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false | ''>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | null | false | '';
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ChartState {
  series: number;
  points: number;
  labels: string[];
}

/** What the explorer's chart draws, from the attributes it keeps on its <figure>. */
export async function chartState(page: Page): Promise<ChartState> {
  const chart = page.getByTestId('chart');
  return {
    series: Number(await chart.getAttribute('data-series')),
    points: Number(await chart.getAttribute('data-points')),
    labels: JSON.parse((await chart.getAttribute('data-labels')) ?? '[]') as string[],
  };
}

export async function waitForChart(page: Page, what: string, ok: (c: ChartState) => boolean): Promise<ChartState> {
  let last: ChartState | undefined;
  try {
    return await until(what, async () => {
      last = await chartState(page);
      return ok(last) ? last : undefined;
    });
  } catch (e) {
    // Say what the page showed: the chart and the status line (a failed or slow query).
    const status = await page.getByTestId('status').textContent().catch(() => null);
    throw new Error(`${(e as Error).message}; chart: ${JSON.stringify(last)}; status: ${JSON.stringify(status)}`);
  }
}
