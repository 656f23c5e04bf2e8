// The variables a webhook template sees for one event (docs.particle.io/reference/cloud-apis/webhooks).
// Pure. Predefined variables and the integration's selected secrets form the
// reserved scope; the event data's JSON object keys form the data scope, and
// can never shadow a reserved name (docs.particle.io/reference/cloud-apis/webhooks precedence: predefined and secrets win).

import { jsonDepthExceeds, jsonLimits } from '../core/parse-json-bounded.ts';
import type { TemplateContext } from './render-template.ts';

/** What templates need to know about an event (a subset of the hub's event record). */
export interface TemplateEvent {
  id: string;
  name: string;
  data: string | null;
  coreid: string;
  /** ISO-8601 UTC with milliseconds. */
  publishedAt: string;
  ttl: number;
  public: boolean;
  productId?: number;
  productUserId?: string;
  productVersion?: number;
}

/** The event as one JSON object (PARTICLE_EVENT_JSON; docs.particle.io/reference/cloud-apis/webhooks leaves the keys UNKNOWN: the SSE object plus `name`). */
export function eventJson(ev: TemplateEvent): string {
  return JSON.stringify({ name: ev.name, data: ev.data, ttl: ev.ttl, published_at: ev.publishedAt, coreid: ev.coreid });
}

/** docs.particle.io/reference/cloud-apis/webhooks: every predefined variable, with the SPARK_* aliases. Absent product fields are "". */
export function predefinedVariables(ev: TemplateEvent): Record<string, string> {
  const value = ev.data ?? '';
  let json: string | undefined;
  const vars: Record<string, string> = {
    PARTICLE_DEVICE_ID: ev.coreid,
    PARTICLE_EVENT_NAME: ev.name,
    PARTICLE_EVENT_VALUE: value,
    PARTICLE_PUBLISHED_AT: ev.publishedAt,
    PARTICLE_EVENT_ID: ev.id,
    PARTICLE_EVENT_PUBLIC: String(ev.public),
    PRODUCT_ID: ev.productId === undefined ? '' : String(ev.productId),
    PRODUCT_USER_ID: ev.productUserId ?? '',
    PRODUCT_VERSION: ev.productVersion === undefined ? '' : String(ev.productVersion),
    SPARK_EVENT_NAME: ev.name,
    SPARK_EVENT_VALUE: value,
    SPARK_PUBLISHED_AT: ev.publishedAt,
    SPARK_CORE_ID: ev.coreid,
    SPARK_DEVICE_ID: ev.coreid,
  };
  // The two whole-event forms are built only when a template uses them.
  Object.defineProperty(vars, 'PARTICLE_EVENT_JSON', { enumerable: true, get: () => (json ??= eventJson(ev)) });
  Object.defineProperty(vars, 'PARTICLE_EVENT_BASE64', { enumerable: true, get: () => Buffer.from((json ??= eventJson(ev)), 'utf8').toString('base64') });
  return vars;
}

/** Names no event data can shadow. */
export const PREDEFINED_NAMES: ReadonlySet<string> = new Set(Object.keys(predefinedVariables({ id: '', name: '', data: null, coreid: '', publishedAt: '', ttl: 0, public: false })));

/**
 * docs.particle.io/reference/cloud-apis/webhooks: JSON object data becomes variables; anything else (text, arrays,
 * numbers, invalid JSON) gives none [UNKNOWN for non-objects: none].
 */
export function parseEventData(data: string | null): unknown {
  if (!data) return {};
  const t = data.trimStart();
  if (t[0] !== '{') return {};
  // Deeper than HOOKLINE_MAX_JSON_DEPTH: no variables, like invalid JSON (rendering walks the value).
  if (jsonDepthExceeds(data, jsonLimits.maxDepth)) return {};
  try {
    const v = JSON.parse(data) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/**
 * The context for one event: secrets first, predefined variables over them
 * (a secret cannot be named like a predefined variable in effect), device data below.
 */
export function eventContext(ev: TemplateEvent, secrets: Readonly<Record<string, string>> = {}, parsed?: unknown): TemplateContext {
  return { data: parsed ?? parseEventData(ev.data), reserved: { ...secrets, ...predefinedVariables(ev) } };
}
