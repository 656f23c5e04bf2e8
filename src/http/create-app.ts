// createApp(deps) builds the HTTP API without listening (server.ts listens;
// tests use inject() or port 0). Every route declares its dialect, and every
// error leaves in that dialect (dialect.ts).

import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { HooklineError, hooklineError } from '../core/errors.ts';
import { sendError, type Dialect } from './dialect.ts';
import type { AppDeps } from './deps.ts';
import { collectBody } from './read-body.ts';
import { authBeforeBody, checkRouteAuth, type RouteAuth } from './route-auth.ts';
import { dualProtocolServerFactory } from '../tls/dual-protocol-server.ts';
import { INFLUXDB_VERSION, registerPingHealth } from './routes/ping-health.ts';
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
  interface FastifyRequest {
    /** Several nodes: the written entry's position in the cluster's write log (answered as X-Hookline-Position). */
    writePosition?: number;
  }
  interface FastifyInstance {
    /** Every route with its declared auth (the authorization matrix test walks it). */
    hooklineRoutes: Array<{ method: string; url: string; auth: RouteAuth }>;
    /** The same list as hooklineRoutes without auth (the authorization matrix test checks each has an entry). */
    registeredRoutes: Array<{ method: string; url: string }>;
  }
}

const UNREAD_BODY_LINGER_MS = 2000;

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
  // Errors are coded where they are raised (storage's OverloadedError and
  // CommitLogFailedError, TenancyError, QueryError are HooklineErrors).
  if (err instanceof HooklineError) return err;
  const fe = err as FastifyError;
  if (fe && fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return hooklineError('BODY_TOO_LARGE');
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return hooklineError('BAD_REQUEST', fe.message);
  }
  return hooklineError('INTERNAL', undefined, { cause: err });
}

export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    // With TLS, each port serves HTTPS and (unless HOOKLINE_TLS_PLAIN_HTTP=false) plain HTTP: docs/tls.md.
    ...(deps.https ? { serverFactory: dualProtocolServerFactory(deps.https, deps.config.tlsPlainHttp) } : {}),
    logger: deps.logger ?? false,
    bodyLimit: deps.config.maxBodyBytes,
    // Per-request logs at ingest rates are noise; onResponse logs failures and debug detail.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => String(req.headers['request-id'] ?? req.headers['x-request-id'] ?? randomUUID()),
    routerOptions: { ignoreTrailingSlash: true },
    // Headers alone are bounded by Node's headersTimeout (60 s); the body by the hook below.
    requestTimeout: deps.config.requestTimeout,
    // A malformed URL (bad percent-encoding) is the client's 400, in the route family's dialect.
    frameworkErrors: (err, req, reply) => sendError(reply, dialectOf(req), hooklineError('BAD_REQUEST', err.message)),
  });

  // Every body arrives as raw bytes; routes decode it (gzip, JSON, forms, line
  // protocol) themselves. The limit is per request: small until route-auth.ts
  // has seen a valid token (fastify's bodyLimit is per route only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    collectBody(payload, req.hooklineBodyLimit ?? deps.config.maxUnauthenticatedBodyBytes, req.headers['content-length']).then(
      (body) => done(null, body),
      (err) => done(err),
    );
  });

  // Every route says who may call it; one that does not is a startup error.
  app.decorate('hooklineRoutes', [] as FastifyInstance['hooklineRoutes']);
  app.decorate('registeredRoutes', app.hooklineRoutes);
  app.addHook('onRoute', (route) => {
    checkRouteAuth(route);
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) app.hooklineRoutes.push({ method: m, url: route.url, auth: route.config!.auth! });
  });

  // A client trickling a body (slowloris) holds a socket and a buffer. Node's
  // own requestTimeout did not fire for such a request here (checked with a
  // 1-byte-per-500-ms body), so each request still receiving a body gets a
  // timer that cuts the connection at HOOKLINE_REQUEST_TIMEOUT.
  app.addHook('onRequest', (req, _reply, done) => {
    const raw = req.raw;
    if (!raw.complete) {
      const timer = setTimeout(() => {
        if (!raw.complete) raw.socket?.destroy();
      }, deps.config.requestTimeout);
      timer.unref();
      const clear = () => clearTimeout(timer);
      raw.once('end', clear);
      raw.once('close', clear);
    }
    done();
  });

  app.addHook('onRequest', async (req, reply) => {
    // InfluxDB's Go 1.x client sends `Content-Type:` empty on every query and
    // write (influxdb1-client v2/client.go); net/http treats it as absent.
    if (req.headers['content-type']?.trim() === '') delete req.headers['content-type'];
    // InfluxDB sets these on every response; clients use X-Influxdb-Version to detect the server.
    reply.header('X-Influxdb-Version', INFLUXDB_VERSION);
    reply.header('X-Influxdb-Build', 'OSS');
    reply.header('Request-Id', req.id);
    reply.header('X-Request-Id', req.id);
  });
  // The token is checked before the body is read: a stranger's 401 costs no body.
  app.addHook('onRequest', authBeforeBody(deps.tenancy, deps.config));
  // Read your writes across nodes: a write answered by another node carries
  // X-Hookline-Position; a request that passes it back as
  // X-Hookline-Min-Position waits (after its token was checked) until this
  // node applied that far (docs/cluster.md).
  app.addHook('onRequest', async (req) => {
    const want = req.headers['x-hookline-min-position'];
    if (want === undefined || !deps.writePositions) return;
    const n = Number(want);
    if (typeof want !== 'string' || !/^\d+$/.test(want) || !Number.isSafeInteger(n)) throw hooklineError('BAD_REQUEST', 'X-Hookline-Min-Position: expected the non-negative integer a write answered with in X-Hookline-Position');
    if (!(await deps.writePositions.waitApplied(n, deps.config.readYourWritesTimeout))) throw hooklineError('NOT_CAUGHT_UP', `this node has not yet applied write-log position ${n}; retry, or read through the node that took the write`, { retryAfter: 1 });
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.writePosition !== undefined) reply.header('X-Hookline-Position', String(req.writePosition));
  });

  app.addHook('onResponse', async (req, reply) => {
    // Answered before the body was read (401, 413): Node discards the rest as
    // it arrives; the client gets UNREAD_BODY_LINGER_MS to read the answer,
    // then the connection is cut rather than drained for up to 25 MiB (Go's
    // net/http closes such connections too; an immediate close could lose
    // the answer to a TCP reset, hence the linger, as nginx's lingering_close).
    if (!req.raw.complete) {
      const socket = req.raw.socket;
      // inject() (light-my-request) hands a stand-in socket without destroy().
      if (typeof socket?.destroy !== 'function') return;
      const cut = setTimeout(() => socket.destroy(), UNREAD_BODY_LINGER_MS);
      cut.unref();
      req.raw.once('end', () => clearTimeout(cut));
    }
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
