// Entry point: styles, the shell, the routes, and sign-in gating. Every page
// is a client of hookline's public HTTP API with the signed-in token.

import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { onUnauthorized } from './api/client.ts';
import { clearToken, getToken } from './api/session.ts';
import { interceptLinks, Router, type Page, type RouteContext } from './router.ts';
import { createShell } from './shell.ts';
import { h } from './ui/dom.ts';
import { signInPage } from './pages/sign-in.ts';
import { explorePage } from './pages/explore/explore-page.ts';
import { devicesPage } from './pages/devices/devices-page.ts';
import { devicePage } from './pages/devices/device-page.ts';
import { integrationsPage } from './pages/integrations/integrations-page.ts';
import { integrationPage } from './pages/integrations/integration-page.ts';
import { bucketsPage } from './pages/admin/buckets-page.ts';
import { tokensPage } from './pages/admin/tokens-page.ts';
import { secretsPage } from './pages/admin/secrets-page.ts';
import { dashboardsPage } from './pages/dashboards/dashboards-page.ts';
import { dashboardPage } from './pages/dashboards/dashboard-page.ts';
import { alertsPage } from './pages/alerts/alerts-page.ts';

const router = new Router()
  .add('/explore', explorePage)
  .add('/devices', devicesPage)
  .add('/devices/:id', devicePage)
  .add('/integrations', integrationsPage)
  .add('/integrations/new', (ctx) => integrationPage({ ...ctx, params: {} }))
  .add('/integrations/:id', integrationPage)
  .add('/alerts', alertsPage)
  .add('/buckets', bucketsPage)
  .add('/tokens', tokensPage)
  .add('/secrets', secretsPage)
  .add('/dashboards', dashboardsPage)
  .add('/dashboards/:id', dashboardPage)
  .fallback(() => ({ title: 'Not found', el: h('section', { class: 'page' }, h('h1', null, 'Page not found'), h('p', null, h('a', { href: '/explore', 'data-link': true }, 'Go to the explorer'))) }));

let current: Page | undefined;
let firstRender = true;
let renderSeq = 0;
let signOutReason: string | undefined;
const shell = createShell(() => navigate('/sign-in', { replace: true }));

function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

async function render(): Promise<void> {
  const focusBefore = document.activeElement;
  const seq = ++renderSeq;
  current?.destroy?.();
  current = undefined;
  const url = new URL(location.href);
  const ctx: RouteContext = { params: {}, query: url.searchParams, navigate };
  let page: Page;
  if (url.pathname === '/sign-in' || !getToken()) {
    if (url.pathname !== '/sign-in') {
      const next = url.pathname === '/' ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
      history.replaceState(null, '', `/sign-in${next}`);
      ctx.query = new URLSearchParams(next.slice(1));
    }
    shell.showNav(false);
    page = signInPage(ctx, signOutReason);
    signOutReason = undefined;
  } else {
    if (url.pathname === '/') history.replaceState(null, '', '/explore');
    const { handler, params } = router.resolve(location.pathname);
    shell.showNav(true);
    shell.setCurrent(location.pathname);
    try {
      page = await handler({ ...ctx, params });
    } catch (e) {
      page = { title: 'Error', el: h('section', { class: 'page' }, h('h1', null, 'Something went wrong'), h('p', { class: 'msg msg-error', role: 'alert' }, (e as Error).message)) };
    }
  }
  // A newer navigation started while this page loaded: it wins.
  if (seq !== renderSeq) {
    page.destroy?.();
    return;
  }
  current = page;
  shell.main.replaceChildren(page.el);
  document.title = `${page.title} · hookline`;
  // Move focus to the new page's heading so keyboard and screen-reader users
  // start there, unless they already moved it while the page was loading.
  const heading = page.el.querySelector<HTMLElement>('h1');
  const untouched = document.activeElement === focusBefore || document.activeElement === document.body || !document.activeElement;
  if (heading && !firstRender && untouched && location.pathname !== '/sign-in') {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  firstRender = false;
}

onUnauthorized(() => {
  if (location.pathname === '/sign-in') return;
  clearToken();
  signOutReason = 'The server refused the token (it may have been deleted or deactivated). Sign in again.';
  navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

interceptLinks((path) => navigate(path));
window.addEventListener('popstate', () => void render());
void render();
