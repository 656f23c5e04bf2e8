// Edit an integration as a pasted Custom Template (JSON) or with a form; the
// two stay in step when switching tabs.

import { formToTemplate, parseTemplate, templateToForm, type Template, type TemplateForm } from '../../lib/integration-template.ts';
import { button, field, h, selectEl, uid } from '../../ui/dom.ts';
import { createTabs } from '../../ui/tabs.ts';
import { seedTemplate } from './seed-example.ts';
import { ALERT_TEMPLATES } from './alert-templates.ts';

export interface TemplateEditor {
  el: HTMLElement;
  /** The definition to save, or an error to show. */
  value(): { template?: Template; error?: string };
  set(t: Template): void;
}

function pairsEditor(label: string, initial: Array<[string, string]>): { el: HTMLElement; value(): Array<[string, string]> } {
  const rows = h('div', { class: 'pairs' });
  const add = (k = '', v = '') => {
    const key = h('input', { type: 'text', value: k, 'aria-label': `${label} name`, spellcheck: 'false', class: 'mono' });
    const val = h('input', { type: 'text', value: v, 'aria-label': `${label} value`, spellcheck: 'false', class: 'mono' });
    const row = h('div', { class: 'pair' }, key, val);
    row.append(button('Remove', () => row.remove(), { class: 'secondary small', 'aria-label': `Remove ${label.toLowerCase()} ${k}` }));
    rows.append(row);
  };
  initial.forEach(([k, v]) => add(k, v));
  const el = h('fieldset', { class: 'pairs-box' }, h('legend', null, label), rows, button(`Add ${label.toLowerCase().replace(/s$/, '')}`, () => add(), { class: 'secondary small' }));
  return {
    el,
    value: () => [...rows.querySelectorAll('.pair')].map((r) => {
      const [k, v] = r.querySelectorAll('input');
      return [k.value.trim(), v.value] as [string, string];
    }),
  };
}

export function createTemplateEditor(initial: Template | undefined): TemplateEditor {
  let base: Template = initial ?? {};
  const json = h('textarea', { class: 'mono template-json', rows: 18, spellcheck: 'false', 'data-testid': 'template-json', autocapitalize: 'off' });
  json.value = initial ? JSON.stringify(initial, null, 2) : '';
  const example = button('Insert the InfluxDB example', () => {
    json.value = seedTemplate(location.origin);
    json.focus();
  }, { class: 'secondary small' });
  const jsonPanel = h(
    'div',
    { class: 'template-panel' },
    field('Custom template (JSON)', json, 'Paste Particle’s Custom Template as it is, e.g. the blueprint’s InfluxDB template; only its url needs to point at your server.'),
    h('p', null, example),
    h(
      'p',
      { class: 'alert-templates' },
      'Send check alerts to: ',
      ...ALERT_TEMPLATES.map((t) =>
        button(t.label, () => {
          json.value = JSON.stringify(t.template, null, 2);
          json.focus();
        }, { class: 'secondary small', 'data-testid': `alert-template-${t.key}` }),
      ),
    ),
  );
  const formPanel = h('div', { class: 'template-panel' });
  let formRead: (() => TemplateForm) | undefined;
  let tab = 'json';

  function renderForm(t: Template): void {
    const f = templateToForm(t);
    const name = h('input', { type: 'text', value: f.name });
    const event = h('input', { type: 'text', value: f.event, required: true, spellcheck: 'false', class: 'mono' });
    const url = h('input', { type: 'url', value: f.url, required: true, spellcheck: 'false', class: 'mono' });
    const method = selectEl(['GET', 'POST', 'PUT', 'DELETE'].map((m) => ({ value: m, label: m })), f.requestType);
    const deviceID = h('input', { type: 'text', value: f.deviceID, spellcheck: 'false', class: 'mono', placeholder: 'any device' });
    const headers = pairsEditor('Headers', f.headers);
    const query = pairsEditor('Query parameters', f.query);
    const bodyKind = selectEl(
      [
        { value: 'default', label: 'Default fields (event, data, published_at, coreid) as a form' },
        { value: 'body', label: 'Custom body (text template)' },
        { value: 'json', label: 'JSON' },
        { value: 'form', label: 'Form fields' },
      ],
      f.bodyKind,
    );
    const bodyText = h('textarea', { class: 'mono', rows: 5, spellcheck: 'false' });
    bodyText.value = f.bodyText;
    const secrets = h('input', { type: 'text', value: f.secrets.join(', '), spellcheck: 'false', class: 'mono', placeholder: 'INFLUX_API_KEY, INFLUX_ORG' });
    const responseTopic = h('input', { type: 'text', value: f.responseTopic, spellcheck: 'false', class: 'mono', placeholder: 'hook-response/{{PARTICLE_EVENT_NAME}}' });
    const errorTopic = h('input', { type: 'text', value: f.errorResponseTopic, spellcheck: 'false', class: 'mono', placeholder: 'hook-error/{{PARTICLE_EVENT_NAME}}' });
    const box = (label: string, checked: boolean, hint?: string) => {
      const id = uid('opt');
      const input = h('input', { type: 'checkbox', id, checked });
      return { input, el: h('div', { class: 'check' }, input, h('label', { for: id }, label), hint ? h('span', { class: 'hint' }, ` ${hint}`) : null) };
    };
    const disabled = box('Disabled', f.disabled);
    const noDefaults = box('No default fields', f.noDefaults, '(noDefaults)');
    const reject = box('Verify the server’s TLS certificate', f.rejectUnauthorized, '(rejectUnauthorized)');
    formPanel.replaceChildren(
      h('div', { class: 'row' }, field('Name', name), field('Event name (prefix)', event, 'Events whose name starts with this trigger it.')),
      h('div', { class: 'row' }, field('Method', method), field('URL', url, 'May use {{{variables}}} and {{{SECRETS}}}.')),
      field('Device ID', deviceID, 'Only events from this device; empty = all devices.'),
      headers.el,
      query.el,
      field('Request body', bodyKind),
      field('Body template', bodyText, 'e.g. data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}'),
      field('Secrets used', secrets, 'Comma-separated names from the Secrets page.'),
      h('div', { class: 'row' }, field('Response topic', responseTopic), field('Error topic', errorTopic)),
      disabled.el,
      noDefaults.el,
      reject.el,
    );
    formRead = () => ({
      ...f,
      name: name.value.trim(),
      event: event.value.trim(),
      url: url.value.trim(),
      requestType: method.value as TemplateForm['requestType'],
      deviceID: deviceID.value.trim(),
      headers: headers.value(),
      query: query.value(),
      bodyKind: bodyKind.value as TemplateForm['bodyKind'],
      bodyText: bodyText.value,
      secrets: secrets.value.split(',').map((s) => s.trim()).filter(Boolean),
      responseTopic: responseTopic.value.trim(),
      errorResponseTopic: errorTopic.value.trim(),
      disabled: disabled.input.checked,
      noDefaults: noDefaults.input.checked,
      rejectUnauthorized: reject.input.checked,
    });
  }

  const err = h('div', { 'aria-live': 'polite' });
  function current(): { template?: Template; error?: string } {
    if (tab === 'json') return parseTemplate(json.value);
    return formToTemplate(formRead!(), base);
  }

  const tabs = createTabs(
    'Definition',
    [
      { key: 'json', label: 'Custom template', panel: jsonPanel },
      { key: 'form', label: 'Form', panel: formPanel },
    ],
    (key) => {
      err.replaceChildren();
      if (key === tab) return;
      const now = tab === 'json' ? parseTemplate(json.value) : formToTemplate(formRead!(), base);
      if (key === 'form') {
        // An unparsable paste stays in the JSON tab until fixed.
        if (now.error && !now.template) {
          tabs.select('json');
          err.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert' }, now.error));
          return;
        }
        base = now.template ?? {};
        renderForm(base);
      } else if (now.template) {
        base = now.template;
        json.value = JSON.stringify(base, null, 2);
      }
      tab = key;
    },
  );
  tabs.select('json');
  renderForm(base);

  return {
    el: h('div', { class: 'template-editor' }, tabs.el, jsonPanel, formPanel, err),
    value: current,
    set(t) {
      base = t;
      json.value = JSON.stringify(t, null, 2);
      renderForm(t);
    },
  };
}
