// The frame around every page: skip link, top bar with the main navigation
// (a menu button on narrow screens), sign-out, and the <main> region pages
// render into.

import { clearToken } from './api/session.ts';
import { button, h } from './ui/dom.ts';

const NAV: ReadonlyArray<{ path: string; label: string }> = [
  { path: '/explore', label: 'Explore' },
  { path: '/dashboards', label: 'Dashboards' },
  { path: '/devices', label: 'Devices' },
  { path: '/integrations', label: 'Integrations' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/buckets', label: 'Buckets' },
  { path: '/tokens', label: 'Tokens' },
  { path: '/secrets', label: 'Secrets' },
];

export interface Shell {
  main: HTMLElement;
  setCurrent(pathname: string): void;
  showNav(show: boolean): void;
}

export function createShell(onSignOut: () => void): Shell {
  const links = NAV.map((n) => h('a', { href: n.path, 'data-link': true }, n.label));
  const nav = h('nav', { id: 'main-nav', 'aria-label': 'Main' }, h('ul', null, ...links.map((a) => h('li', null, a))));
  const toggle = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'main-nav' }, 'Menu');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
  const signOut = button(
    'Sign out',
    () => {
      clearToken();
      onSignOut();
    },
    { class: 'secondary sign-out' },
  );
  const header = h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '/explore', 'data-link': true }, 'hookline'), toggle, nav, signOut);
  const main = h('main', { id: 'main', tabindex: '-1' });
  document.body.replaceChildren(h('a', { class: 'skip', href: '#main' }, 'Skip to content'), header, main);
  return {
    main,
    setCurrent(pathname) {
      for (const a of links) {
        const current = pathname === a.pathname || pathname.startsWith(a.pathname + '/');
        if (current) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
      nav.classList.remove('open');
      toggle.setAttribute('aria-expanded', 'false');
    },
    showNav(show) {
      header.hidden = !show;
    },
  };
}
