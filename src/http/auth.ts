// Finding the token in a request, the ways InfluxDB clients send it:
//   Authorization: Token <token> | Bearer <token> | Basic base64(user:token)
//   Authorization: Token user:token (InfluxDB 1.x style, 1.x endpoints)
//   u=<user>&p=<token> query parameters (1.x endpoints)
// and checking it against the tenancy. On the 1.x endpoints the user part may
// name an InfluxDB 1.x user (CREATE USER), whose password is then checked
// instead. Failures are HooklineErrors rendered per dialect (401 unauthorized
// / 403 forbidden).

import type { FastifyRequest } from 'fastify';
import { hooklineError } from '../core/errors.ts';
import type { Authorization } from '../tenancy/model.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authorization resolved before the body (routes with a TokenAuth and no `verify`; set in route-auth.ts). */
    hooklineAuth?: Authorization;
    /** The most body bytes this request may send: the full limit once authenticated, a small one before. */
    hooklineBodyLimit?: number;
    /** Most bytes the body may inflate to while no token has been seen (readBody); unset once one has. */
    hooklineInflateLimit?: number;
  }
}

export interface TokenSources {
  /** Accept `p=` (and `u=`) query parameters (InfluxDB 1.x /write and /query). */
  queryParams?: boolean;
  /** Accept `access_token=` (Particle API). */
  accessToken?: boolean;
}

export function extractToken(req: FastifyRequest, sources: TokenSources = {}): string | undefined {
  const q = req.query as Record<string, string | undefined>;
  if (sources.queryParams && q.p) return q.p;
  const header = req.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'token') {
      // 1.x clients send "Token user:password"; the password is the token.
      const colon = value.indexOf(':');
      return sources.queryParams && colon >= 0 ? value.slice(colon + 1) : value;
    }
    if (scheme === 'bearer') return value;
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
  }
  if (sources.accessToken && q.access_token) return q.access_token;
  return undefined;
}

/** The token's authorization; the one route-auth.ts resolved before the body, when it did. */
export function authenticate(req: FastifyRequest, tenancy: Tenancy, sources: TokenSources = {}, missingMessage?: string, invalidMessage?: string): Authorization {
  if (req.hooklineAuth) return req.hooklineAuth;
  const token = extractToken(req, sources);
  if (!token) throw hooklineError('UNAUTHORIZED', missingMessage);
  const auth = tenancy.authenticate(token);
  if (!auth || auth.status !== 'active') throw hooklineError('UNAUTHORIZED', invalidMessage);
  return auth;
}

/** The user and password of a 1.x request: u/p parameters, `Token user:password` or Basic. */
function v1Credentials(req: FastifyRequest): { user: string; password: string } | undefined {
  const q = req.query as Record<string, string | undefined>;
  if (q.u) return { user: q.u, password: q.p ?? '' };
  const header = req.headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  const pair = scheme === 'basic' ? Buffer.from(value, 'base64').toString('utf8') : scheme === 'token' ? value : '';
  const colon = pair.indexOf(':');
  return colon > 0 ? { user: pair.slice(0, colon), password: pair.slice(colon + 1) } : undefined;
}

/**
 * authenticate() for InfluxDB 1.x endpoints (/query, /write): a user name that
 * belongs to a 1.x user is checked with its password; any other name is only
 * a label and the password is a token (InfluxDB 2's 1.x compatibility).
 */
export async function authenticateV1(req: FastifyRequest, tenancy: Tenancy, missingMessage?: string, invalidMessage?: string): Promise<Authorization> {
  if (req.hooklineAuth) return req.hooklineAuth;
  const cred = v1Credentials(req);
  if (cred && tenancy.v1Users.exists(cred.user)) {
    const auth = await tenancy.authenticateUser(cred.user, cred.password);
    if (!auth) throw hooklineError('UNAUTHORIZED', invalidMessage);
    return auth;
  }
  return authenticate(req, tenancy, { queryParams: true }, missingMessage, invalidMessage);
}
