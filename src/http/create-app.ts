// createApp(deps) builds the HTTP API without listening (server.ts listens;
// tests use inject() or port 0). Every route declares its dialect, and every
// error leaves in that dialect (dialect.ts).

import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ERRORS, HooklineError, hooklineError } from '../core/errors.ts';
import { CommitLogFailedError } from '../storage/wal/commit-log.ts';
import { OverloadedError } from '../storage/store.ts';
import { TenancyError } from '../tenancy/tenancy.ts';
import { sendError, type Dialect } from './dialect.ts';
import type { AppDeps } from './deps.ts';
import { registerPingHealth } from './routes/ping-health.ts';
import { registerV2Write } from './routes/influx-v2-write.ts';
import { registerV1Write } from './routes/influx-v1-write.ts';
import { registerV3Write } from './routes/influx-v3-write.ts';
import { registerV3Query } from './routes/influx-v3-query.ts';
import { registerV2Orgs } from './routes/influx-v2-orgs.ts';
import { registerV2Buckets } from './routes/influx-v2-buckets.ts';
import { registerV2Authorizations } from './routes/influx-v2-authorizations.ts';
import { registerV2Misc } from './routes/influx-v2-misc.ts';
import { registerDebug } from './routes/debug.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    dialect?: Dialect;
  }
  interface FastifyInstance {
    /** Every method + URL registered, in order (the authorization matrix test checks each has an entry). */
    registeredRoutes: Array<{ method: string; url: string }>;
  }
}

export const INFLUXDB_VERSION = '2.7.11';

/** The dialect of a route, or a guess from the path for unmatched requests. */
function dialectOf(req: FastifyRequest): Dialect {
  const d = req.routeOptions?.config?.dialect;
  if (d) return d;
  const url = req.url;
  if (url.startsWith('/api/v2')) return 'v2';
  if (url.startsWith('/api/v3')) return 'v3';
  if (url.startsWith('/v1/')) return 'particle';
  if (url.startsWith('/api/')) return 'opentsdb';
  return 'v1';
}

/** Query parameters that carry secrets are masked in logs. */
function redactUrl(url: string): string {
  return url.replace(/([?&](?:p|password|token|access_token)=)[^&]*/gi, '$1[[SENSITIVE]]');
}

export function toHooklineError(err: unknown): HooklineError {
  if (err instanceof HooklineError) return err;
  if (err instanceof OverloadedError) return hooklineError('OVERLOADED', err.message, { retryAfter: err.retryAfterSeconds });
  if (err instanceof CommitLogFailedError) return hooklineError('WAL_FAILED', err.message);
  if (err instanceof TenancyError) {
    return new HooklineError(err.kind === 'conflict' ? ERRORS.CONFLICT : err.kind === 'not-found' ? ERRORS.NOT_FOUND : ERRORS.BAD_REQUEST, err.message);
  }
  const fe = err as FastifyError;
  if (fe && fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return hooklineError('BODY_TOO_LARGE');
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return hooklineError('BAD_REQUEST', fe.message);
  }
  return hooklineError('INTERNAL', undefined, { cause: err });
}

export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.https ? { https: { key: deps.https.key, cert: deps.https.cert } } : {}),
    logger: deps.logger ?? false,
    bodyLimit: deps.config.maxBodyBytes,
    // Per-request logs at ingest rates are noise; onResponse logs failures and debug detail.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => String(req.headers['request-id'] ?? req.headers['x-request-id'] ?? randomUUID()),
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Recorded before any route exists, so routes added by concerns (extraRoutes) are listed too.
  const registeredRoutes: Array<{ method: string; url: string }> = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) registeredRoutes.push({ method, url: r.url });
  });

  // Every body arrives as raw bytes; routes decode it (gzip, JSON, forms, line protocol) themselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    // InfluxDB sets these on every response; clients use X-Influxdb-Version to detect the server.
    reply.header('X-Influxdb-Version', INFLUXDB_VERSION);
    reply.header('X-Influxdb-Build', 'OSS');
    reply.header('Request-Id', req.id);
    reply.header('X-Request-Id', req.id);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) req.log.error({ url: redactUrl(req.url), status: reply.statusCode }, 'request failed');
    else req.log.debug({ method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  app.setErrorHandler((err, req, reply: FastifyReply) => {
    const he = toHooklineError(err);
    if (he.status >= 500) req.log.error({ err: he.cause ?? he, url: redactUrl(req.url) }, he.message);
    return sendError(reply, dialectOf(req), he);
  });

  app.setNotFoundHandler((req, reply) => {
    const d = dialectOf(req);
    if (d === 'v3') return reply.code(404).type('text/plain').send('Not found');
    return sendError(reply, d, hooklineError('NOT_FOUND', d === 'v2' ? 'path not found' : '404 page not found'));
  });

  registerPingHealth(app, deps);
  registerV2Write(app, deps);
  registerV1Write(app, deps);
  registerV3Write(app, deps);
  registerV3Query(app, deps);
  registerV2Orgs(app, deps);
  registerV2Buckets(app, deps);
  registerV2Authorizations(app, deps);
  registerV2Misc(app, deps);
  registerDebug(app, deps);
  for (const register of deps.extraRoutes ?? []) register(app);
  return app;
}
