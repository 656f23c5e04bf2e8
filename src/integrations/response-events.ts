// The events a delivery publishes back (docs.particle.io/reference/cloud-apis/webhooks). Pure.
// - hook-sent/<event>, data "undefined", once the request is dispatched.
// - a non-empty 2xx body on <responseTopic>/<i> (default hook-response/<event>),
//   in 512-byte parts, the first 100 KB only; `unchunked` gives one part `/0`
//   (docs/particle.md Decisions: the suffix is kept); `responseTemplate` renders over the parsed JSON
//   body first; `dataUrlResponseEvent` publishes data:<type>;base64,… instead.
// - errors on <errorResponseTopic>/0 (default hook-error/<event>/0).

import { jsonDepthExceeds, jsonLimits } from '../core/parse-json-bounded.ts';
import { render, type TemplateContext } from '../templates/render-template.ts';
import { renderJsonValue } from './build-request.ts';
import type { WebhookSpec } from './integration-schema.ts';

export const CHUNK_BYTES = 512;
export const MAX_RESPONSE_BYTES = 100 * 1024;
export const SLEEPING_MESSAGE = 'Sleeping, too many errors, please wait and try again';

export interface ResultEvent {
  name: string;
  data: string;
}

export function hookSentEvent(eventName: string): ResultEvent {
  return { name: `hook-sent/${eventName}`, data: 'undefined' };
}

function topic(template: string | undefined, fallback: string, ctx: TemplateContext): string {
  if (!template) return fallback;
  try {
    return render(template, ctx) || fallback;
  } catch {
    return fallback;
  }
}

/**
 * Splits into parts of at most 512 bytes. Every part but the last is exactly
 * 512 bytes unless that would cut a UTF-8 character in two: then the cut moves
 * back to the character's start (Particle cuts raw bytes, docs.particle.io/reference/cloud-apis/webhooks [INFERRED]; event
 * data here is text, so a torn character would be lost).
 */
export function chunkUtf8(buf: Buffer, size = CHUNK_BYTES): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(start + size, buf.length);
    if (end < buf.length) {
      let e = end;
      while (e > start && (buf[e] & 0xc0) === 0x80) e--;
      if (e > start) end = e;
    }
    parts.push(buf.toString('utf8', start, end));
    start = end;
  }
  return parts;
}

export interface HttpResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** At most MAX_RESPONSE_BYTES of the body. */
  body: Buffer;
}

/** What a 2xx response publishes; nothing for an empty body (docs.particle.io/reference/cloud-apis/webhooks item 2). */
export function responseEvents(spec: WebhookSpec, eventName: string, topicCtx: TemplateContext, res: HttpResponseLike): ResultEvent[] {
  const body = res.body.subarray(0, MAX_RESPONSE_BYTES);
  if (body.length === 0) return [];
  let payload: Buffer;
  if (spec.dataUrlResponseEvent) {
    const type = String(res.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim() || 'application/octet-stream';
    payload = Buffer.from(`data:${type};base64,${body.toString('base64')}`, 'utf8');
  } else if (spec.responseTemplate !== undefined) {
    // JSON bodies become variables; any other body gives none (docs/particle.md Decisions: rendered over an empty context).
    let parsed: unknown = {};
    try {
      const text = body.toString('utf8');
      // A target's deep JSON gives no variables, like invalid JSON (rendering walks the value).
      if (!jsonDepthExceeds(text, jsonLimits.maxDepth)) parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    const ctx: TemplateContext = { data: parsed, reserved: topicCtx.reserved };
    let out: string;
    try {
      out = typeof spec.responseTemplate === 'string' ? render(spec.responseTemplate, ctx) : JSON.stringify(renderJsonValue(spec.responseTemplate, ctx));
    } catch {
      out = body.toString('utf8');
    }
    if (out === '') return [];
    payload = Buffer.from(out, 'utf8');
  } else payload = body;
  const base = topic(spec.responseTopic, `hook-response/${eventName}`, topicCtx);
  const parts = spec.unchunked ? [payload.toString('utf8')] : chunkUtf8(payload);
  return parts.map((data, i) => ({ name: `${base}/${i}`, data }));
}

export function errorEvent(spec: WebhookSpec, eventName: string, topicCtx: TemplateContext, message: string): ResultEvent {
  return { name: `${topic(spec.errorResponseTopic, `hook-error/${eventName}`, topicCtx)}/0`, data: message };
}

/** docs.particle.io/reference/cloud-apis/webhooks item 3: "error status 404 from requestb.in". */
export function statusErrorMessage(status: number, host: string): string {
  return `error status ${status} from ${host}`;
}
