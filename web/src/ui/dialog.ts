// Modal dialogs on the native <dialog> element: it traps focus, closes on
// Escape and returns focus to the opener in both Chromium and Firefox.

import { button, h } from './dom.ts';

export function openDialog(title: string, body: HTMLElement, actions: HTMLElement[] = []): { dialog: HTMLDialogElement; close(): void } {
  const heading = h('h2', { id: `dlg-${Math.random().toString(36).slice(2)}` }, title);
  const dialog = h('dialog', { 'aria-labelledby': heading.id, class: 'dialog' });
  const opener = document.activeElement as HTMLElement | null;
  const close = () => dialog.close();
  dialog.append(heading, body, h('div', { class: 'actions' }, ...actions, button('Close', close, { class: 'secondary' })));
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}

export async function confirmDialog(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    const ok = button(
      confirmLabel,
      () => {
        answered = true;
        resolve(true);
        d.close();
      },
      { class: 'danger' },
    );
    const d = openDialog(title, h('p', null, text), [ok]);
    d.dialog.addEventListener('close', () => {
      if (!answered) resolve(false);
    });
    ok.focus();
  });
}

/** A secret shown once (a new token): copy button, and a warning that it will not be shown again. */
export function showOnce(title: string, label: string, value: string, note: string): void {
  const input = h('input', { type: 'text', readonly: true, value, class: 'mono once', 'aria-label': label, 'data-testid': 'shown-once' });
  const copy = button('Copy', async () => {
    try {
      await navigator.clipboard.writeText(value);
      copy.textContent = 'Copied';
    } catch {
      input.select();
      copy.textContent = 'Press Ctrl+C';
    }
  });
  const d = openDialog(title, h('div', null, h('p', { class: 'msg msg-info' }, note), h('div', { class: 'row' }, input, copy)));
  input.addEventListener('focus', () => input.select());
  input.focus();
  void d;
}
