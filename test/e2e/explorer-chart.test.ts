// The explorer's chart and controls in real Chromium (issue 12, "Explorer"):
// the x axis spans the selected range, the range control, the URL and the
// query agree after a bucket change, one label and one colour per series in
// both languages, the table's columns line up, the legend and tooltip show
// seconds and exact values, the legend toggles series, dark mode follows the
// system. Assertions read uPlot's own state and the DOM, never pixels or time.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { api, BUCKET, ORG, startTestServer, writeLp, type TestServer } from '../helpers/server.ts';
import { launch, openPage, signIn, skipReason, until, waitForChart } from './browser.ts';

const UPLOT = `document.querySelector('[data-testid="chart"]').uplot`;

/** uPlot's x scale as the page has it, in ms. */
function xScale(page: Page): Promise<{ min: number; max: number }> {
  // The root tsconfig has no DOM types, so page code is passed as text.
  // In ms, rounded: uPlot keeps seconds as floats.
  return page.evaluate(`(() => { const u = ${UPLOT}; return { min: Math.round(u.scales.x.min * 1000), max: Math.round(u.scales.x.max * 1000) }; })()`);
}

/** The absolute range written into the InfluxQL query that ran. */
async function queryRange(page: Page): Promise<{ fromMs: number; toMs: number }> {
  const q = await page.getByTestId('query').inputValue();
  const m = /time >= (\d+)ms AND time <= (\d+)ms/.exec(q);
  assert.ok(m, q);
  return { fromMs: Number(m[1]), toMs: Number(m[2]) };
}

/** Waits until uPlot's x scale is exactly the range of the query shown, and returns it. */
function axisOfQuery(page: Page): Promise<{ fromMs: number; toMs: number }> {
  // Under a loaded CI machine a run can take a while to be drawn: a generous
  // deadline, and the last pair seen in the message if it never settles.
  let seen = '';
  return until('the x scale to equal the query range', async () => {
    const q = await queryRange(page);
    const x = await xScale(page);
    seen = JSON.stringify({ x, q });
    // uPlot keeps the scale in float seconds: ms come back within 1 of the query's.
    return Math.abs(x.min - q.fromMs) <= 1 && Math.abs(x.max - q.toMs) <= 1 ? q : undefined;
  }, 45_000).catch((e: Error) => {
    throw new Error(`${e.message}; last x scale / query: ${seen}`);
  });
}

describe('explorer chart in Chromium', { skip: skipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  const now = Math.floor(Date.now() / 1000);

  before(async () => {
    server = await startTestServer();
    browser = await launch();
    // One point ten minutes ago; an untagged and a tagged series of one measurement.
    let lines = `single v=1.5 ${now - 600}\n`;
    for (let i = 0; i < 30; i++) lines += `universe value=${42 + i / 100} ${now - 300 + i * 2}\nuniverse,device=d1 value=${7 + i} ${now - 300 + i * 2}\n`;
    assert.equal((await writeLp(server, lines)).status, 204);
    const org = ((await (await api(server, `/api/v2/orgs?org=${ORG}`)).json()) as { orgs: Array<{ id: string }> }).orgs[0];
    const made = await api(server, '/api/v2/buckets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID: org.id, name: 'second' }) });
    assert.equal(made.status, 201);
    assert.equal((await writeLp(server, `other v=3 ${now - 60}\n`, `org=${ORG}&bucket=second&precision=s`)).status, 204);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the x axis spans the selected range, not the data', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/explore?bucket=${BUCKET}&m=single&f=v&agg=none&range=1h`);
    await waitForChart(page, 'the single point', (c) => c.points === 1);
    // The query text is written when a run starts and the chart when it ends:
    // compare once both show the same run.
    let drawn = await axisOfQuery(page);
    assert.equal(drawn.toMs - drawn.fromMs, 3_600_000);

    // A wider range: the same point, the axis still the whole range.
    await page.getByTestId('range').selectOption('6h');
    drawn = await until('the 6 h axis', async () => {
      const d = await axisOfQuery(page);
      return d.toMs - d.fromMs === 6 * 3_600_000 ? d : undefined;
    });
    assert.equal((await page.getByTestId('chart').getAttribute('data-points')), '1');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the range control, the URL, the status and the query agree after a bucket change', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/explore?bucket=${BUCKET}&m=single&f=v&agg=none&range=15m`);
    await waitForChart(page, 'the chart', (c) => c.points === 1);
    await page.getByTestId('range').selectOption('5m');
    await until('5 minutes in the URL', async () => new URL(page.url()).searchParams.get('range') === '5m');
    await page.getByRole('combobox', { name: 'Bucket' }).selectOption('second');
    await waitForChart(page, 'the other bucket', (c) => c.labels.join() === 'other.v');
    await page.getByTestId('status').getByText('Last 5 minutes').waitFor();
    assert.equal(await page.getByTestId('range').inputValue(), '5m');
    assert.equal(new URL(page.url()).searchParams.get('bucket'), 'second');
    assert.equal(new URL(page.url()).searchParams.get('range'), '5m');
    const r = await queryRange(page);
    assert.equal(r.toMs - r.fromMs, 300_000);
    const x = await xScale(page);
    assert.ok(Math.abs(x.max - x.min - 300_000) <= 1, `x scale spans ${x.max - x.min} ms`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('one label and one colour per series in InfluxQL and SQL; the table lines up', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/explore?bucket=${BUCKET}&m=universe&f=value&by=device&agg=none&range=1h`);
    const iq = await waitForChart(page, 'two InfluxQL series', (c) => c.series === 2);
    assert.deepEqual([...iq.labels].sort(), ['universe.value', 'universe.value {device=d1}']);
    const iqColors = JSON.parse((await page.getByTestId('chart').getAttribute('data-colors'))!) as Record<string, string>;
    await page.getByTestId('language').selectOption('sql');
    const sq = await waitForChart(page, 'two SQL series', (c) => c.series === 2 && c.points === 60);
    assert.deepEqual([...sq.labels].sort(), [...iq.labels].sort());
    const sqColors = JSON.parse((await page.getByTestId('chart').getAttribute('data-colors'))!) as Record<string, string>;
    assert.deepEqual(sqColors, iqColors);
    assert.notEqual(iqColors['universe.value'], iqColors['universe.value {device=d1}']);

    // Table: each header is aligned as its cells are, in both languages.
    for (const lang of ['sql', 'influxql']) {
      await page.getByTestId('language').selectOption(lang);
      await waitForChart(page, `the ${lang} result`, (c) => c.series === 2);
      await page.getByRole('tab', { name: 'Table' }).click();
      const table = page.getByTestId('table-view').locator('table');
      await table.waitFor();
      const mismatches = (await page.evaluate(`(() => {
        const t = document.querySelector('[data-testid="table-view"] table');
        const heads = [...t.querySelectorAll('thead th')];
        const cells = [...t.querySelectorAll('tbody tr:first-child td')].map((td) => getComputedStyle(td).textAlign);
        return heads.flatMap((th, i) => (getComputedStyle(th).textAlign === cells[i] ? [] : [th.textContent + ': ' + getComputedStyle(th).textAlign + ' vs ' + cells[i]]));
      })()`)) as string[];
      assert.deepEqual(mismatches, [], lang);
      await page.getByRole('tab', { name: 'Chart' }).click();
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('tooltip and legend: seconds, exact values; the legend toggles series', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await signIn(page, server.url, server.token, `/explore?bucket=${BUCKET}&m=universe&f=value&by=device&agg=none&range=15m`);
    await waitForChart(page, 'two series', (c) => c.series === 2);
    // Put the cursor on the third point (points are 2 s apart).
    const at = now - 300 + 4;
    await page.evaluate(`(() => { const u = ${UPLOT}; u.setCursor({ left: u.valToPos(${at}, 'x'), top: 20 }); })()`);
    const tip = page.getByTestId('chart-tooltip');
    await tip.waitFor();
    const d = new Date(at * 1000);
    const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    assert.match((await tip.locator('time').textContent())!, new RegExp(` ${hms}$`));
    assert.match((await tip.textContent())!, /42\.02/);
    assert.match((await tip.textContent())!, /universe\.value \{device=d1\}9(?!\d)/);
    const legendTime = page.locator('.u-legend .u-series').first().locator('.u-value');
    assert.match((await legendTime.textContent())!, new RegExp(` ${hms}$`));

    // Clicking a legend entry hides that series; Enter shows it again.
    const entry = page.locator('.u-legend .u-series', { hasText: 'universe.value {device=d1}' });
    await entry.locator('th').click();
    const shown = () => page.evaluate(`${UPLOT}.series.slice(1).map((s) => s.label + ':' + s.show).sort()`) as Promise<string[]>;
    assert.deepEqual(await shown(), ['universe.value {device=d1}:false', 'universe.value:true']);
    assert.equal(await entry.getAttribute('aria-pressed'), 'false');
    await entry.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await shown(), ['universe.value {device=d1}:true', 'universe.value:true']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('dark mode follows the system, chart included', async () => {
    const { page, problems, context } = await openPage(browser, server.url);
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page, server.url, server.token, `/explore?bucket=${BUCKET}&m=single&f=v&agg=none&range=1h`);
    await waitForChart(page, 'the chart', (c) => c.points === 1);
    const colours = () =>
      page.evaluate(`(() => {
        const u = ${UPLOT};
        const stroke = u.axes[0].stroke;
        return { body: getComputedStyle(document.body).backgroundColor, panel: getComputedStyle(document.querySelector('.chart')).backgroundColor, axis: typeof stroke === 'function' ? String(stroke(u, 0)) : String(stroke) };
      })()`) as Promise<{ body: string; panel: string; axis: string }>;
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await until('dark colours', async () => {
      const c = await colours();
      return c.body !== light.body && c.axis !== light.axis ? c : undefined;
    });
    assert.notEqual(dark.panel, light.panel);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
