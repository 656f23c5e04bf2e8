// The event record every part of the hub passes around: what a device (or the
// API, or the cloud itself) published, stamped on arrival (docs.particle.io/reference/cloud-apis/api).

import { randomBytes } from 'node:crypto';
import type { DeviceEvent } from '../core/device-event.ts';

/** Device id of events published with an API token (docs.particle.io/reference/cloud-apis/webhooks). */
export const API_DEVICE_ID = 'api';
/** Device id of events the cloud publishes itself: hook-sent, hook-response, hook-error (docs.particle.io/reference/cloud-apis/webhooks). */
export const INTERNAL_DEVICE_ID = 'particle-internal';
/** Particle's documented default; user ttl values are accepted and ignored (docs.particle.io/reference/cloud-apis/api). */
export const DEFAULT_TTL = 60;

// DeviceEvent itself is core vocabulary (core/device-event.ts): the ports speak of it.

/**
 * PARTICLE_EVENT_ID (format UNKNOWN, docs.particle.io/reference/cloud-apis/webhooks): 24 hex digits, the first 12 the
 * millisecond clock (ids sort by arrival), then 6 random per process and a
 * 6-digit counter.
 */
export function newEventId(nowMs: number): string {
  counter = (counter + 1) % 0x1000000;
  return nowMs.toString(16).padStart(12, '0').slice(-12) + PROCESS_TAG + counter.toString(16).padStart(6, '0');
}
/** Random per process, then a counter: unique across nodes and restarts without a random draw per event. */
const PROCESS_TAG = randomBytes(3).toString('hex');
let counter = 0;

/** The one-line JSON of an SSE `data:` line (docs.particle.io/reference/cloud-apis/api): data, ttl, published_at, coreid. */
export function sseJson(ev: DeviceEvent): string {
  return JSON.stringify({ data: ev.data, ttl: ev.ttl, published_at: ev.publishedAt, coreid: ev.coreid });
}

/** The JSON form used by the history API and the bus between nodes. */
export interface EventJson {
  id: string;
  name: string;
  data: string | null;
  ttl: number;
  published_at: string;
  coreid: string;
  public: boolean;
  org_id: string;
  internal?: boolean;
  // Product fields (PRODUCT_ID etc. in templates, §2.1): present only when the
  // event has them, so events without them keep their old JSON. Without these
  // an event crossing NATS (bus, delivery queue) or a WAL replay lost them.
  product_id?: number;
  product_user_id?: string;
  product_version?: number;
}

export function toJson(ev: DeviceEvent): EventJson {
  const j: EventJson = { id: ev.id, name: ev.name, data: ev.data, ttl: ev.ttl, published_at: ev.publishedAt, coreid: ev.coreid, public: ev.public, org_id: ev.orgId };
  if (ev.internal) j.internal = true;
  if (ev.productId !== undefined) j.product_id = ev.productId;
  if (ev.productUserId !== undefined) j.product_user_id = ev.productUserId;
  if (ev.productVersion !== undefined) j.product_version = ev.productVersion;
  return j;
}

export function fromJson(j: EventJson): DeviceEvent {
  const ev: DeviceEvent = { id: j.id, name: j.name, data: j.data, ttl: j.ttl, publishedAt: j.published_at, coreid: j.coreid, public: j.public, orgId: j.org_id, internal: j.internal === true };
  // Absent stays absent (not `undefined`): templates render absent as "".
  if (j.product_id !== undefined) ev.productId = j.product_id;
  if (j.product_user_id !== undefined) ev.productUserId = j.product_user_id;
  if (j.product_version !== undefined) ev.productVersion = j.product_version;
  return ev;
}
