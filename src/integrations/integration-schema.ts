// The webhook definition (docs.particle.io/reference/cloud-apis/webhooks): the Custom Template JSON exactly as
// the console exports it, the api-js/CLI payloads and their aliases, checked
// once on create/update so that a bad definition is a 400 naming the field,
// never a failure at delivery time. Pure.

import { ERRORS, HooklineError } from '../core/errors.ts';
import { jsonDepthExceeds, jsonLimits, valueDepthExceeds } from '../core/parse-json-bounded.ts';
import { parseTemplate, TemplateSyntaxError } from '../templates/parse-template.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type WebhookAuth = { username: string; password: string } | { bearer: string };

export interface WebhookSpec {
  name?: string;
  event: string;
  url: string;
  requestType: Method;
  deviceID?: string;
  disabled: boolean;
  json?: unknown;
  form?: Record<string, unknown>;
  body?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  auth?: WebhookAuth;
  noDefaults: boolean;
  rejectUnauthorized: boolean;
  responseTemplate?: unknown;
  responseTopic?: string;
  errorResponseTopic?: string;
  unchunked: boolean;
  dataUrlResponseEvent: boolean;
  secrets: string[];
}

/** A webhook field at fault: coded where it is raised (a 400 naming the field, `field` in Particle's body). */
export class FieldError extends HooklineError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(ERRORS.BAD_REQUEST, `${field}: ${message}`, { data: { error_description: `${field}: ${message}`, field } });
  }
}

/** docs.particle.io/reference/cloud-apis/webhooks "naming collisions seen in the wild": canonical name <- aliases. */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  event: ['eventName'],
  deviceID: ['deviceid', 'deviceId'],
  requestType: ['method'],
  responseTopic: ['responseEvent'],
  errorResponseTopic: ['errorResponseEvent', 'errorTopic'],
  dataUrlResponseEvent: ['data_url_response_event'],
};

/** Keys never stored (credentials of the API call itself). */
const DROPPED = new Set(['access_token']);
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'DELETE'];
const EVENT_PREFIX_RE = /^[A-Za-z0-9_\-/]{1,64}$/;
const DEVICE_ID_RE = /^[0-9a-fA-F]{24}$/;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECRET_NAME_RE = /^[A-Z_][A-Z0-9_]*$/;

/** The canonical name of a key (itself when it is no alias). */
export function canonicalKey(key: string): string {
  for (const [canon, aliases] of Object.entries(ALIASES)) if (aliases.includes(key)) return canon;
  return key;
}

/**
 * PUT semantics: the new body's keys replace the old ones (an alias replaces
 * its canonical key and the reverse); `null` removes a field.
 */
export function mergeRaw(old: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const replaced = new Set(Object.keys(patch).filter((k) => patch[k] !== undefined).map(canonicalKey));
  for (const [k, v] of Object.entries(old)) if (!replaced.has(canonicalKey(k)) && k !== '__proto__') out[k] = v;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined && v !== null && k !== '__proto__') out[k] = v;
  return out;
}

function pick(raw: Record<string, unknown>, canon: string): { key: string; value: unknown } | undefined {
  if (raw[canon] !== undefined && raw[canon] !== null) return { key: canon, value: raw[canon] };
  for (const a of ALIASES[canon] ?? []) if (raw[a] !== undefined && raw[a] !== null) return { key: a, value: raw[a] };
  return undefined;
}

function checkTemplate(field: string, s: string): void {
  try {
    parseTemplate(s);
  } catch (e) {
    if (e instanceof TemplateSyntaxError) throw new FieldError(field, `invalid template: ${e.message}`);
    throw e;
  }
}

function bool(raw: Record<string, unknown>, canon: string, dflt: boolean): boolean {
  const p = pick(raw, canon);
  if (!p) return dflt;
  if (typeof p.value === 'boolean') return p.value;
  if (p.value === 'true' || p.value === 'false') return p.value === 'true';
  throw new FieldError(p.key, 'must be true or false');
}

function str(raw: Record<string, unknown>, canon: string, required = false): string | undefined {
  const p = pick(raw, canon);
  if (!p || p.value === '') {
    if (required) throw new FieldError(canon, 'is required');
    return undefined;
  }
  if (typeof p.value !== 'string') throw new FieldError(p.key, 'must be a string');
  return p.value;
}

/** A flat object of templated keys and scalar values (query, headers, form). */
function flatObject(raw: Record<string, unknown>, field: string, headerNames = false): Record<string, unknown> | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new FieldError(field, 'must be an object of names and values');
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    checkTemplate(`${field}.${k}`, k);
    if (headerNames && !k.includes('{{') && !HEADER_NAME_RE.test(k)) throw new FieldError(`${field}.${k}`, 'is not a valid header name');
    if (x !== null && typeof x === 'object') throw new FieldError(`${field}.${k}`, 'must be a string, number or boolean');
    if (typeof x === 'string') checkTemplate(`${field}.${k}`, x);
  }
  return v as Record<string, unknown>;
}

/**
 * A backstop below the stack's reach for the recursive walk below: parseWebhook
 * refuses anything deeper than HOOKLINE_MAX_JSON_DEPTH first (5,000 levels
 * overflowed the stack, a 500: issue 10 finding 8), but that setting has no
 * upper bound.
 */
const MAX_WALK_DEPTH = 2000;

function checkJsonTemplate(field: string, v: unknown, depth = 0): void {
  if (typeof v === 'string') return checkTemplate(field, v);
  if (v === null || typeof v !== 'object') return;
  if (depth >= MAX_WALK_DEPTH) throw new FieldError(field.replace(/[.[].*$/, ''), `nests deeper than ${MAX_WALK_DEPTH} levels`);
  if (Array.isArray(v)) return v.forEach((x, i) => checkJsonTemplate(`${field}[${i}]`, x, depth + 1));
  for (const [k, x] of Object.entries(v)) {
    checkTemplate(`${field}.${k}`, k);
    checkJsonTemplate(`${field}.${k}`, x, depth + 1);
  }
}

function parseAuth(v: unknown): WebhookAuth | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new FieldError('auth', 'must be {"username","password"}');
  const a = v as Record<string, unknown>;
  if (typeof a.bearer === 'string') {
    checkTemplate('auth.bearer', a.bearer);
    return { bearer: a.bearer };
  }
  // api-js documents {user, pass}; the webhook reference {username, password}.
  const username = a.username ?? a.user ?? '';
  const password = a.password ?? a.pass ?? '';
  if (typeof username !== 'string') throw new FieldError('auth.username', 'must be a string');
  if (typeof password !== 'string') throw new FieldError('auth.password', 'must be a string');
  checkTemplate('auth.username', username);
  checkTemplate('auth.password', password);
  return { username, password };
}

function parseSecrets(v: unknown, exists: (name: string) => boolean): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError('secrets', 'must be a list like [{"name":"API_KEY"}]');
  return v.map((s, i) => {
    const name = typeof s === 'string' ? s : s && typeof s === 'object' ? (s as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || !SECRET_NAME_RE.test(name)) throw new FieldError(`secrets[${i}].name`, 'must be uppercase letters, digits and underscores, not starting with a digit');
    if (!exists(name)) throw new FieldError(`secrets[${i}].name`, `secret ${name} does not exist; create it first (PUT /v1/secrets/${name})`);
    return name;
  });
}

/** Validates a definition (after alias resolution) and returns its normalized form. */
export function parseWebhook(raw: Record<string, unknown>, secretExists: (name: string) => boolean = () => true): WebhookSpec {
  const type = raw.integration_type;
  if (type !== undefined && type !== null && type !== 'Webhook') throw new FieldError('integration_type', `${String(type)} is not supported; hookline runs "Webhook" integrations`);
  const event = str(raw, 'event', true)!;
  if (!EVENT_PREFIX_RE.test(event)) throw new FieldError('event', 'must be 1-64 letters, digits, underscores, dashes or slashes (a case-sensitive prefix of event names)');
  const url = str(raw, 'url', true)!;
  checkTemplate('url', url);
  if (!url.includes('{{')) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new FieldError('url', `"${url}" is not a valid URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FieldError('url', 'must be an http:// or https:// URL');
  } else if (!/^(https?:\/\/|\{\{)/i.test(url)) throw new FieldError('url', 'must start with http:// or https://');
  const method = (str(raw, 'requestType') ?? 'POST').toUpperCase() as Method;
  if (!METHODS.includes(method)) throw new FieldError(pick(raw, 'requestType')!.key, 'must be GET, POST, PUT or DELETE');
  const deviceRaw = str(raw, 'deviceID');
  if (deviceRaw !== undefined && !DEVICE_ID_RE.test(deviceRaw)) throw new FieldError(pick(raw, 'deviceID')!.key, 'must be a 24-hex-digit device ID (device names are not supported)');
  // Templates are walked recursively (validation, rendering, JSON.stringify):
  // bounded by HOOKLINE_MAX_JSON_DEPTH whichever way the definition arrived (API, seeds, NATS).
  for (const k of ['json', 'responseTemplate'] as const) {
    const v = raw[k];
    const deep = typeof v === 'string' ? jsonDepthExceeds(v, jsonLimits.maxDepth) : valueDepthExceeds(v, jsonLimits.maxDepth);
    if (deep) throw new FieldError(k, `nests deeper than ${jsonLimits.maxDepth} levels (HOOKLINE_MAX_JSON_DEPTH)`);
  }
  const bodies = (['json', 'form', 'body'] as const).filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (bodies.length > 1) throw new FieldError(bodies[1], `json, form and body are mutually exclusive (found ${bodies.join(' and ')})`);
  const spec: WebhookSpec = {
    event,
    url,
    requestType: method,
    disabled: bool(raw, 'disabled', false),
    noDefaults: bool(raw, 'noDefaults', false),
    rejectUnauthorized: bool(raw, 'rejectUnauthorized', true),
    unchunked: bool(raw, 'unchunked', false),
    dataUrlResponseEvent: bool(raw, 'dataUrlResponseEvent', false),
    secrets: parseSecrets(raw.secrets, secretExists),
  };
  const name = str(raw, 'name');
  if (name !== undefined) spec.name = name;
  if (deviceRaw !== undefined) spec.deviceID = deviceRaw.toLowerCase();
  if (raw.json !== undefined && raw.json !== null) {
    if (typeof raw.json !== 'string' && typeof raw.json !== 'object') throw new FieldError('json', 'must be an object or a string template');
    checkJsonTemplate('json', raw.json);
    spec.json = raw.json;
  }
  const form = flatObject(raw, 'form');
  if (form) spec.form = form;
  if (raw.body !== undefined && raw.body !== null) {
    if (typeof raw.body !== 'string') throw new FieldError('body', 'must be a string template');
    checkTemplate('body', raw.body);
    spec.body = raw.body;
  }
  const query = flatObject(raw, 'query');
  if (query) spec.query = query;
  const headers = flatObject(raw, 'headers', true);
  if (headers) spec.headers = headers;
  const auth = parseAuth(raw.auth);
  if (auth) spec.auth = auth;
  if (raw.responseTemplate !== undefined && raw.responseTemplate !== null && raw.responseTemplate !== '') {
    if (typeof raw.responseTemplate !== 'string' && typeof raw.responseTemplate !== 'object') throw new FieldError('responseTemplate', 'must be a string or an object template');
    checkJsonTemplate('responseTemplate', raw.responseTemplate);
    spec.responseTemplate = raw.responseTemplate;
  }
  for (const t of ['responseTopic', 'errorResponseTopic'] as const) {
    const v = str(raw, t);
    if (v !== undefined) {
      checkTemplate(pick(raw, t)!.key, v);
      spec[t] = v;
    }
  }
  return spec;
}

/** The stored copy of what was submitted: unknown keys kept (`template`, `mydevices`...), credentials dropped. */
export function storedRaw(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // A JSON "__proto__" key is an own property of the parsed body; assigned here it would set out's prototype instead.
  for (const [k, v] of Object.entries(input)) if (!DROPPED.has(k) && v !== undefined && k !== '__proto__') out[k] = v;
  return out;
}
