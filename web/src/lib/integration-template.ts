// A Particle Custom Webhook template (the JSON the console's "Custom Template"
// tab shows, the seed's included) and the form that edits the common fields.
// The form writes into the template object and keeps every field it does not
// show, so nothing pasted is lost by switching between the two.

export type Template = Record<string, unknown>;

export interface TemplateForm {
  name: string;
  event: string;
  url: string;
  requestType: 'GET' | 'POST' | 'PUT' | 'DELETE';
  deviceID: string;
  disabled: boolean;
  noDefaults: boolean;
  rejectUnauthorized: boolean;
  headers: Array<[string, string]>;
  query: Array<[string, string]>;
  /** Which request body the webhook sends. */
  bodyKind: 'default' | 'body' | 'json' | 'form';
  /** `body` text, or `json`/`form` as JSON text. */
  bodyText: string;
  secrets: string[];
  responseTopic: string;
  errorResponseTopic: string;
}

export interface ParsedTemplate {
  template?: Template;
  error?: string;
}

/** JSON.parse with an error a person can find: line and column instead of an offset. */
export function parseTemplate(text: string): ParsedTemplate {
  if (!text.trim()) return { error: 'Paste the template JSON first.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      return { error: `Not valid JSON at line ${line}, column ${column}: ${msg.replace(/ in JSON at position \d+.*$/, '')}` };
    }
    return { error: `Not valid JSON: ${msg}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'The template must be a JSON object ({ ... }).' };
  const t = value as Template;
  if (typeof (t.event ?? t.eventName) !== 'string' || !String(t.event ?? t.eventName)) return { template: t, error: 'The template needs an "event" (the event name prefix that triggers it).' };
  if (typeof t.url !== 'string' || !t.url) return { template: t, error: 'The template needs a "url".' };
  return { template: t };
}

function pairs(v: unknown): Array<[string, string]> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]);
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

export function templateToForm(t: Template): TemplateForm {
  let bodyKind: TemplateForm['bodyKind'] = 'default';
  let bodyText = '';
  if (typeof t.body === 'string') {
    bodyKind = 'body';
    bodyText = t.body;
  } else if (t.json !== undefined) {
    bodyKind = 'json';
    bodyText = typeof t.json === 'string' ? t.json : JSON.stringify(t.json, null, 2);
  } else if (t.form !== undefined) {
    bodyKind = 'form';
    bodyText = JSON.stringify(t.form, null, 2);
  }
  const method = str(t.requestType, 'POST').toUpperCase();
  return {
    name: str(t.name),
    event: str(t.event ?? t.eventName),
    url: str(t.url),
    requestType: (['GET', 'POST', 'PUT', 'DELETE'].includes(method) ? method : 'POST') as TemplateForm['requestType'],
    deviceID: str(t.deviceID ?? t.deviceid ?? t.deviceId),
    disabled: t.disabled === true,
    noDefaults: t.noDefaults === true,
    rejectUnauthorized: t.rejectUnauthorized !== false,
    headers: pairs(t.headers),
    query: pairs(t.query),
    bodyKind,
    bodyText,
    secrets: Array.isArray(t.secrets) ? t.secrets.map((s) => (typeof s === 'string' ? s : str((s as { name?: unknown })?.name))).filter(Boolean) : [],
    responseTopic: str(t.responseTopic),
    errorResponseTopic: str(t.errorResponseTopic),
  };
}

/** Writes the form over `base` (a pasted template), keeping fields the form does not edit. */
export function formToTemplate(f: TemplateForm, base: Template = {}): { template: Template; error?: string } {
  const t: Template = { ...base };
  for (const k of ['eventName', 'deviceid', 'deviceId', 'body', 'json', 'form']) delete t[k];
  const set = (k: string, v: unknown, keep: boolean) => {
    if (keep) t[k] = v;
    else delete t[k];
  };
  set('name', f.name, f.name !== '');
  t.event = f.event;
  t.url = f.url;
  t.requestType = f.requestType;
  set('deviceID', f.deviceID, f.deviceID !== '');
  t.disabled = f.disabled;
  t.noDefaults = f.noDefaults;
  t.rejectUnauthorized = f.rejectUnauthorized;
  const obj = (ps: Array<[string, string]>) => Object.fromEntries(ps.filter(([k]) => k !== ''));
  set('headers', obj(f.headers), f.headers.some(([k]) => k !== ''));
  set('query', obj(f.query), f.query.some(([k]) => k !== ''));
  set('secrets', f.secrets.map((name) => ({ name })), f.secrets.length > 0);
  set('responseTopic', f.responseTopic, f.responseTopic !== '');
  set('errorResponseTopic', f.errorResponseTopic, f.errorResponseTopic !== '');
  if (f.bodyKind === 'body') t.body = f.bodyText;
  else if (f.bodyKind === 'json' || f.bodyKind === 'form') {
    // An object is rendered leaf by leaf; text that is not JSON yet (e.g. an
    // unquoted {{{n}}}) is a string-form json template, rendered then parsed.
    let parsed: unknown;
    try {
      parsed = JSON.parse(f.bodyText);
    } catch {
      if (f.bodyKind === 'form') return { template: t, error: 'The form fields must be a JSON object, e.g. {"temp": "{{{temp}}}"}.' };
      t.json = f.bodyText;
      return { template: t };
    }
    t[f.bodyKind] = parsed;
  }
  return { template: t };
}

/** Secret names a template declares in its `secrets` list. */
export function declaredSecrets(t: Template): string[] {
  return Array.isArray(t.secrets) ? t.secrets.map((s) => (typeof s === 'string' ? s : String((s as { name?: unknown })?.name ?? ''))).filter(Boolean) : [];
}
