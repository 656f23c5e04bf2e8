// "Test integration", as in Particle's console (event data and device ID,
// both optional), but showing what really happens: the exact request
// rendered for that event (secrets masked) and the response. A 2xx with an
// empty body (InfluxDB's 204) is a success, not the console's "Timed Out".
// An unsaved definition can be tested too.

import { testIntegration, type TestReport } from '../../api/integration-ops.ts';
import { button, field, h, uid } from '../../ui/dom.ts';
import { messageBox } from '../../ui/status.ts';
import { httpBlock, requestText, responseText } from './http-view.ts';

export function outcomeOf(r: TestReport): { text: string; ok: boolean } {
  const ms = typeof r.latencyMs === 'number' ? ` (${Math.round(r.latencyMs)} ms)` : '';
  if (!r.sent) return { text: r.request ? 'Rendered, not sent.' : `Not sent: ${r.message}`, ok: Boolean(r.request) };
  const msg = r.message.charAt(0).toUpperCase() + r.message.slice(1);
  return { text: `${msg}${ms}`, ok: r.success === true };
}

export function createTestPanel(target: () => { id: string } | { definition: Record<string, unknown> } | { error: string }): HTMLElement {
  const data = h('textarea', { class: 'mono', rows: 3, spellcheck: 'false', 'data-testid': 'test-data' });
  data.value = JSON.stringify({ count: 42, time: Math.floor(Date.now() / 1000) });
  const device = h('input', { type: 'text', class: 'mono', spellcheck: 'false', placeholder: 'api', 'data-testid': 'test-device' });
  const sendId = uid('send');
  const send = h('input', { type: 'checkbox', id: sendId, checked: true });
  const result = h('div', { class: 'test-result', 'aria-live': 'polite', 'data-testid': 'test-result' });
  const run = button(
    'Run test',
    async () => {
      const t = target();
      if ('error' in t) {
        result.replaceChildren(messageBox(t.error, 'error'));
        return;
      }
      run.disabled = true;
      result.replaceChildren(h('p', { class: 'muted' }, 'Testing…'));
      try {
        const r = await testIntegration(t, { data: data.value, deviceId: device.value.trim(), send: send.checked });
        const o = outcomeOf(r);
        result.replaceChildren(
          h('p', { class: `msg ${o.ok ? 'msg-ok' : 'msg-error'}`, 'data-testid': 'test-outcome', 'data-success': String(o.ok) }, o.text),
          ...(r.request ? [httpBlock(r.sent ? 'Request sent' : 'Request (not sent)', requestText(r.request), 'test-request')] : []),
          ...(r.response ? [httpBlock('Response', responseText(r.response), 'test-response')] : []),
          ...(r.events?.length ? [httpBlock('Events it publishes', r.events.map((e) => e.data === undefined || e.data === null ? e.name : `${e.name}  ${e.data}`).join('\n'), 'test-events')] : []),
        );
      } catch (e) {
        result.replaceChildren(messageBox(`Test failed: ${(e as Error).message}`, 'error'));
      } finally {
        run.disabled = false;
      }
    },
    { class: 'primary', 'data-testid': 'run-test' },
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'test-title' },
    h('h2', { id: 'test-title' }, 'Test'),
    field('Event data', data, 'As a device would publish it; JSON keys become variables.'),
    field('Device ID', device, 'Empty: “api”, as for events published through the API.'),
    h('div', { class: 'check' }, send, h('label', { for: sendId }, 'Send the request (otherwise only render it)')),
    h('p', null, run),
    result,
  );
}
