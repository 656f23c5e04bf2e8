// Who may call a route, declared with the route (`config: { auth }`) and
// checked in onRequest, before a byte of the body is read (issue 10, finding
// 6: 40 unauthenticated 24 MiB POSTs cost 1.28 GB when the token was checked
// after the body). InfluxDB does the same: its handlers authenticate from the
// headers and the query string, then read the body (httpd/handler.go
// authenticate wraps serveWrite). A route that declares nothing does not
// start (checkRouteAuth): a new route cannot forget.

import type { FastifyRequest, RouteOptions } from 'fastify';
import { hooklineError, type HooklineError } from '../core/errors.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';
import { authenticate, authenticateV1, extractToken, type TokenSources } from './auth.ts';

/** A route anyone may call; `why` says why it is safe, for reviewers. Its body is read only up to HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES. */
export interface PublicAuth {
  public: string;
}

/** A route that needs a token, found in headers or the query string. */
export interface TokenAuth {
  sources?: TokenSources;
  /** InfluxDB 1.x endpoints: a 1.x user's name and password also sign in (authenticateV1). */
  v1?: boolean;
  /** Messages of the 401 for a missing and for a wrong token (each dialect has its own words). */
  missing?: string;
  invalid?: string;
  /** Checks credentials other than tenancy tokens too (Particle device tokens); the handler then authorizes. */
  verify?: (token: string) => boolean;
  /**
   * The token may come in the body instead (Particle's deprecated access_token
   * form field, docs.particle.io/reference/cloud-apis/api/): without one in headers or query, a body of
   * at most HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES is read and the handler
   * authenticates from it.
   */
  bodyToken?: boolean;
  /** The 401 in the route's own words, when the dialect's generic one is not enough. */
  unauthorized?: (kind: 'missing' | 'invalid') => HooklineError;
}

export type RouteAuth = PublicAuth | TokenAuth;

// FastifyRequest.hooklineAuth / hooklineBodyLimit are declared in auth.ts, which reads them.
declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

export const isPublic = (a: RouteAuth): a is PublicAuth => 'public' in a;

/** onRoute: every route declares its auth, or the server does not start. */
export function checkRouteAuth(route: RouteOptions): void {
  if (route.config?.auth === undefined) {
    const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
    throw new Error(`route ${methods} ${route.url} declares no auth: add config.auth (a TokenAuth, or { public: 'why' }) - see src/http/route-auth.ts`);
  }
}

export interface AuthLimits {
  /** Body bytes an authenticated request may send (HOOKLINE_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Body bytes before authentication (HOOKLINE_MAX_UNAUTHENTICATED_BODY_BYTES). */
  maxUnauthenticatedBodyBytes: number;
}

/** The onRequest hook: authenticates from headers and query, sets the body limit; throws 401s. */
export function authBeforeBody(tenancy: Tenancy, limits: AuthLimits) {
  return async (req: FastifyRequest): Promise<void> => {
    req.hooklineBodyLimit = limits.maxUnauthenticatedBodyBytes;
    // A gzip body inflates too: a stranger's stays within the same small bound
    // after decompression (a 64 KiB bomb would otherwise inflate to
    // HOOKLINE_MAX_DECOMPRESSED_BYTES before a body token is even looked at).
    req.hooklineInflateLimit = limits.maxUnauthenticatedBodyBytes;
    // Unmatched paths (404) have no config: they are strangers too.
    const spec = req.routeOptions?.config?.auth;
    if (spec === undefined || isPublic(spec)) return;
    if (spec.verify || spec.bodyToken) {
      const token = extractToken(req, spec.sources);
      if (!token) {
        if (spec.bodyToken) return;
        throw spec.unauthorized?.('missing') ?? hooklineError('UNAUTHORIZED', spec.missing);
      }
      const ok = spec.verify ? spec.verify(token) : tenancy.authenticate(token)?.status === 'active';
      if (!ok) throw spec.unauthorized?.('invalid') ?? hooklineError('UNAUTHORIZED', spec.invalid);
      req.hooklineBodyLimit = limits.maxBodyBytes;
      req.hooklineInflateLimit = undefined;
      return;
    }
    try {
      req.hooklineAuth = spec.v1 ? await authenticateV1(req, tenancy, spec.missing, spec.invalid) : authenticate(req, tenancy, spec.sources, spec.missing, spec.invalid);
    } catch (e) {
      throw spec.unauthorized ? spec.unauthorized(extractToken(req, spec.sources) ? 'invalid' : 'missing') : e;
    }
    req.hooklineBodyLimit = limits.maxBodyBytes;
    req.hooklineInflateLimit = undefined;
  };
}
