// Messages for everyone: a visible toast and the same text in a polite live
// region, so screen readers announce results of actions (saved, deleted,
// failed) without moving focus.

import { h } from './dom.ts';

let region: HTMLElement | undefined;

function ensureRegion(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  return region;
}

export function notify(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = h('div', { class: `toast toast-${kind}` }, message);
  ensureRegion().append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** An inline message box (errors under a form, empty states). */
export function messageBox(text: string, kind: 'error' | 'info' | 'ok' = 'info'): HTMLElement {
  return h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : null }, text);
}
