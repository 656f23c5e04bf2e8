// What every Particle-compatible route shares: tokens (Bearer header or the
// deprecated access_token query/form field, docs.particle.io/reference/cloud-apis/webhooks, docs.particle.io/reference/cloud-apis/api), the token's
// org and permissions, bodies as JSON or forms, and errors in Particle's shape
// ({"ok":false,"error"}, plus error_description, which particle-api-js shows).

import type { FastifyRequest } from 'fastify';
import { ERRORS, HooklineError, hooklineError, type ErrorName } from '../../core/errors.ts';
import { parseJsonBounded } from '../../core/parse-json-bounded.ts';
import type { DeviceDoc } from '../../devices/device-registry.ts';
import type { HubParts } from '../../hub/hub-parts.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can } from '../../tenancy/permissions.ts';
import { extractToken } from '../auth.ts';
import type { TokenAuth } from '../route-auth.ts';
import { readBody } from '../read-body.ts';

/**
 * Route options of the Particle API (`PARTICLE`) and hookline's own event API
 * (`HOOKLINE`): a token in the Authorization header or access_token query is
 * checked before the body (route-auth.ts): an API token, or on publish a
 * device token; a token sent only in the body gets a small body
 * (HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES) and is checked by the handler.
 */
export function particleRouteConfigs(parts: HubParts) {
  const auth: TokenAuth = {
    sources: { accessToken: true },
    bodyToken: true,
    verify: (token) => parts.devices.byToken(token) !== undefined || parts.deps.tenancy.authenticate(token)?.status === 'active',
    unauthorized: (kind) =>
      kind === 'missing' ? particleError('UNAUTHORIZED', 'The access token was not found', { error: 'invalid_request' }) : particleError('UNAUTHORIZED', INVALID, { error: 'invalid_token' }),
  };
  return {
    PARTICLE: { config: { dialect: 'particle' as const, auth } },
    HOOKLINE: { config: { dialect: 'hookline' as const, auth: { ...auth, bodyToken: false } } },
  };
}

export function particleError(name: ErrorName, message: string, extra: Record<string, unknown> = {}): HooklineError {
  return hooklineError(name, message, { data: { error_description: message, ...extra } });
}

/** Parsed body: JSON or application/x-www-form-urlencoded (Particle accepts both). */
export async function readParticleBody(req: FastifyRequest, maxBytes: number): Promise<Record<string, unknown>> {
  const raw = await readBody(req, maxBytes);
  if (raw.length === 0) return {};
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const text = raw.toString('utf8');
  if (type.includes('application/x-www-form-urlencoded') || (!type.includes('json') && !/^\s*[{[]/.test(text))) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  let v: unknown;
  try {
    v = parseJsonBounded(text, 'request body');
  } catch (e) {
    throw e instanceof HooklineError ? particleError(e.def === ERRORS.JSON_TOO_DEEP ? 'JSON_TOO_DEEP' : 'BAD_REQUEST', e.message) : e;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw particleError('BAD_REQUEST', 'the request body must be a JSON object');
  return v as Record<string, unknown>;
}

function tokenOf(req: FastifyRequest, body?: Record<string, unknown>): string | undefined {
  return extractToken(req, { accessToken: true }) ?? (typeof body?.access_token === 'string' ? body.access_token : undefined);
}

const INVALID = 'The access token provided is invalid.';

/** An API token (a hookline token) with `action` on `type` in its org; answers the org id. */
export function apiAuth(parts: HubParts, req: FastifyRequest, action: 'read' | 'write', type: string, body?: Record<string, unknown>): { auth: Authorization; orgId: string } {
  const token = tokenOf(req, body);
  if (!token) throw particleError('UNAUTHORIZED', 'The access token was not found', { error: 'invalid_request' });
  const auth = parts.deps.tenancy.authenticate(token);
  if (!auth || auth.status !== 'active') throw particleError('UNAUTHORIZED', INVALID, { error: 'invalid_token' });
  if (!can(auth, action, type, auth.orgID)) throw particleError('FORBIDDEN', `this token may not ${action} ${type}`);
  return { auth, orgId: auth.orgID };
}

/** A device token (the event comes from that device) or an API token allowed to write events (device "api"). */
export function publisherAuth(parts: HubParts, req: FastifyRequest, body: Record<string, unknown>): { device: DeviceDoc } | { orgId: string } {
  const token = tokenOf(req, body);
  if (!token) throw particleError('UNAUTHORIZED', 'The access token was not found', { error: 'invalid_request' });
  const device = parts.devices.byToken(token);
  if (device) return { device };
  const auth = parts.deps.tenancy.authenticate(token);
  if (!auth || auth.status !== 'active') throw particleError('UNAUTHORIZED', INVALID, { error: 'invalid_token' });
  if (!can(auth, 'write', 'events', auth.orgID)) throw particleError('FORBIDDEN', 'this token may not publish events');
  return { orgId: auth.orgID };
}

/** Who made a change, for created_by/updated_by. */
export function actor(auth: Authorization): string {
  return auth.description || `token ${auth.id}`;
}

export function intParam(v: unknown, dflt: number, max: number): number {
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : dflt;
}
