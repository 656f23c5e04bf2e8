// Sign in with a token: the first-run admin token printed by `npm start`, or
// any token created on the Tokens page. It is checked against /api/v2/me
// before it is stored.

import { me } from '../api/influx.ts';
import { setToken } from '../api/session.ts';
import { field, h } from '../ui/dom.ts';
import { messageBox } from '../ui/status.ts';
import type { Page, RouteContext } from '../router.ts';

export function signInPage(ctx: RouteContext, reason?: string): Page {
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false', class: 'mono' });
  const remember = h('input', { type: 'checkbox', name: 'remember', id: 'remember', checked: true });
  const error = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to hookline'),
    reason ? messageBox(reason, 'info') : null,
    field('API token', token, 'The admin token printed by the first `npm start`, or a token from the Tokens page.'),
    h('div', { class: 'check' }, remember, h('label', { for: 'remember' }, 'Remember me on this browser')),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = token.value.trim();
    if (!value) return;
    submit.disabled = true;
    error.replaceChildren();
    try {
      await me(value);
      setToken(value, remember.checked);
      const next = ctx.query.get('next');
      ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/explore', { replace: true });
    } catch (err) {
      const status = (err as { status?: number }).status;
      error.append(messageBox(status === 401 ? 'This token is not valid, or it was deactivated.' : `Could not sign in: ${(err as Error).message}`, 'error'));
      token.focus();
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => token.focus());
  return { el: h('div', { class: 'center' }, form), title: 'Sign in' };
}
