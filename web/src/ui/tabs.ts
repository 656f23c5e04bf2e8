// WAI-ARIA tabs: buttons in a tablist, arrow keys move between them, each tab
// controls one panel.

import { h, uid } from './dom.ts';

export interface Tabs {
  el: HTMLElement;
  select(key: string, focus?: boolean): void;
}

export function createTabs(label: string, tabs: Array<{ key: string; label: string; panel: HTMLElement }>, onSelect: (key: string) => void): Tabs {
  const buttons = tabs.map((t) => {
    const id = uid('tab');
    const pid = uid('panel');
    t.panel.id = pid;
    t.panel.setAttribute('role', 'tabpanel');
    t.panel.setAttribute('aria-labelledby', id);
    return h('button', { type: 'button', role: 'tab', id, 'aria-controls': pid, 'data-tab': t.key }, t.label);
  });
  const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tabs' }, ...buttons);
  const select = (key: string, focus = false) => {
    tabs.forEach((t, i) => {
      const on = t.key === key;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
      if (on && focus) buttons[i].focus();
    });
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => {
      select(tabs[i].key);
      onSelect(tabs[i].key);
    });
    b.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      e.preventDefault();
      const next = tabs[(i + d + tabs.length) % tabs.length].key;
      select(next, true);
      onSelect(next);
    });
  });
  return { el: list, select };
}
