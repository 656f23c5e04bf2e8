// The HTTP request a webhook makes for one event: docs.particle.io/reference/cloud-apis/webhooks's algorithm
// and docs.particle.io/reference/cloud-apis/webhooks's default fields. Pure: definition + event + context -> request.

import { jsonDepthExceeds, jsonLimits } from '../core/parse-json-bounded.ts';
import { render, type TemplateContext } from '../templates/render-template.ts';
import type { TemplateEvent } from '../templates/event-context.ts';
import { encodeForm } from './encode-form.ts';
import type { WebhookSpec } from './integration-schema.ts';

/** The request dumps in the webhook reference show this agent (docs.particle.io/reference/cloud-apis/webhooks). */
export const USER_AGENT = 'ParticleBot/1.1 (https://docs.particle.io/webhooks)';

export interface WebhookRequest {
  method: string;
  url: string;
  /** Names as written by the template, unique case-insensitively. */
  headers: Record<string, string>;
  body?: string;
  /** `url`, parsed (not part of the request's JSON form). */
  target: URL;
}

export class BuildError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** docs.particle.io/reference/cloud-apis/webhooks: event, data, published_at, coreid, all strings (JSON data travels as a string). */
export function defaultFields(ev: TemplateEvent): Record<string, string> {
  return { event: ev.name, data: ev.data ?? '', published_at: ev.publishedAt, coreid: ev.coreid };
}

function scalar(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Keys and values of a flat object, both rendered (docs.particle.io/reference/cloud-apis/webhooks "keys and values can contain variables"). */
function renderPairs(obj: Record<string, unknown> | undefined, ctx: TemplateContext): Array<[string, string]> {
  if (!obj) return [];
  return Object.entries(obj).map(([k, v]) => [render(k, ctx), typeof v === 'string' ? render(v, ctx) : scalar(v)]);
}

/**
 * Object-form `json`: every string leaf (and key) rendered on its own, then the
 * whole serialised, so a quote in device data can never break the JSON
 * (docs.particle.io/reference/cloud-apis/webhooks, docs/particle.md Decisions). Non-string literals keep their type.
 */
export function renderJsonValue(v: unknown, ctx: TemplateContext): unknown {
  if (typeof v === 'string') return render(v, ctx);
  if (Array.isArray(v)) return v.map((x) => renderJsonValue(x, ctx));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[render(k, ctx)] = renderJsonValue(x, ctx);
    return out;
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Adds the default fields a custom object does not set itself (custom wins, docs/particle.md Decisions). */
function withDefaults(obj: Record<string, unknown>, defaults: Record<string, string>): Record<string, unknown> {
  const out = { ...obj };
  for (const [k, v] of Object.entries(defaults)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

export function buildRequest(spec: WebhookSpec, ev: TemplateEvent, ctx: TemplateContext): WebhookRequest {
  const method = spec.requestType;
  const hasBody = method === 'POST' || method === 'PUT';
  const defaults = spec.noDefaults ? undefined : defaultFields(ev);
  const headers = new Map<string, [string, string]>();
  const setHeader = (name: string, value: string, override = true) => {
    const key = name.toLowerCase();
    if (override || !headers.has(key)) headers.set(key, [name, value]);
  };
  setHeader('User-Agent', USER_AGENT);
  for (const [k, v] of renderPairs(spec.headers, ctx)) {
    if (!k) throw new BuildError('headers', 'a header name rendered empty');
    setHeader(k, v);
  }

  // Query string: custom pairs for any method; GET/DELETE (no body) also carry
  // the form elements and the default fields (docs.particle.io/reference/cloud-apis/webhooks; DELETE like GET is INFERRED, docs/particle.md Decisions).
  const query: Array<[string, string]> = renderPairs(spec.query, ctx);
  let body: string | undefined;
  if (!hasBody) {
    query.push(...renderPairs(spec.form, ctx));
    if (defaults) for (const [k, v] of Object.entries(defaults)) if (!query.some(([q]) => q === k)) query.push([k, v]);
  } else if (spec.json !== undefined) {
    let value: unknown;
    if (typeof spec.json === 'string') {
      const text = render(spec.json, ctx);
      // JSON.stringify below recurses: refuse what nests deeper than HOOKLINE_MAX_JSON_DEPTH.
      if (jsonDepthExceeds(text, jsonLimits.maxDepth)) throw new BuildError('json', `the rendered template nests JSON deeper than ${jsonLimits.maxDepth} levels (HOOKLINE_MAX_JSON_DEPTH)`);
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new BuildError('json', `the rendered template is not valid JSON (${(e as Error).message})`);
      }
    } else value = renderJsonValue(spec.json, ctx);
    if (defaults && isPlainObject(value)) value = withDefaults(value, defaults);
    body = JSON.stringify(value);
    setHeader('Content-Type', 'application/json', false);
    setHeader('Accept', 'application/json', false);
  } else if (spec.form !== undefined) {
    const pairs = renderPairs(spec.form, ctx);
    if (defaults) for (const [k, v] of Object.entries(defaults)) if (!pairs.some(([p]) => p === k)) pairs.push([k, v]);
    body = encodeForm(pairs);
    setHeader('Content-Type', 'application/x-www-form-urlencoded', false);
  } else if (spec.body !== undefined) {
    // A custom body is sent verbatim: no Content-Type, no default fields (docs.particle.io/reference/cloud-apis/webhooks).
    body = render(spec.body, ctx);
  } else if (defaults) {
    // Only event and url: the default fields as a form (docs.particle.io/reference/cloud-apis/webhooks "Default data" dump).
    body = encodeForm(Object.entries(defaults));
    setHeader('Content-Type', 'application/x-www-form-urlencoded', false);
  }

  if (spec.auth) {
    const value =
      'bearer' in spec.auth
        ? `Bearer ${render(spec.auth.bearer, ctx)}`
        : `Basic ${Buffer.from(`${render(spec.auth.username, ctx)}:${render(spec.auth.password, ctx)}`, 'utf8').toString('base64')}`;
    setHeader('Authorization', value);
  }

  let url = render(spec.url, ctx);
  if (query.length > 0) {
    const qs = new URLSearchParams(query).toString();
    const hash = url.indexOf('#');
    const base = hash >= 0 ? url.slice(0, hash) : url;
    url = base + (base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?') + qs + (hash >= 0 ? url.slice(hash) : '');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BuildError('url', `the rendered URL "${url}" is not valid`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new BuildError('url', `the rendered URL "${url}" is not http or https`);
  for (const [, [name, value]] of headers) {
    if (/[\r\n\0]/.test(value)) throw new BuildError(`headers.${name}`, 'the rendered value holds a line break');
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) throw new BuildError(`headers.${name}`, 'the rendered value holds characters HTTP headers cannot carry');
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new BuildError(`headers.${name}`, 'the rendered name is not a valid header name');
  }
  const out: WebhookRequest = { method, url: parsed.href, headers: Object.fromEntries([...headers.values()]), target: parsed };
  Object.defineProperty(out, 'target', { enumerable: false });
  if (body !== undefined) out.body = body;
  return out;
}
