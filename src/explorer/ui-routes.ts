// Serving the explorer at / on the main port. index.html answers only the
// UI's own paths (the History-API routes in web/src/main.ts), so it can never
// shadow an API path: /api, /v1, /query, /write, /health, /ping, /debug and
// anything unknown keep their API answers and 404s.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Asset, WebAssets } from './web-assets.ts';

/** The UI's routes; keep in step with the Router in web/src/main.ts. */
export const UI_PATHS = [
  '/',
  '/sign-in',
  '/explore',
  '/devices',
  '/devices/:id',
  '/integrations',
  '/integrations/:id',
  '/alerts',
  '/buckets',
  '/tokens',
  '/secrets',
  '/dashboards',
  '/dashboards/:id',
] as const;

// The page loads only its own files and talks only to this server (issue 6:
// no external requests). data: for the inline favicon; blob: for CSV downloads.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function send(req: FastifyRequest, reply: FastifyReply, a: Asset, cache: string): FastifyReply {
  reply.header('Cache-Control', cache).header('ETag', a.etag).header('X-Content-Type-Options', 'nosniff');
  if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
  return reply.code(200).type(a.type).send(a.body);
}

export function registerUiRoutes(app: FastifyInstance, assets: () => WebAssets | undefined): void {
  const cfg = { config: { dialect: 'hookline' as const, auth: { public: 'the explorer page and its static files; the page signs in with a token' } } };
  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const a = assets();
    if (!a) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The explorer UI is not built. Run `npm run build:web` (or `node scripts/build-web.mjs`) and restart hookline.\n');
    }
    reply.header('Content-Security-Policy', CSP).header('Referrer-Policy', 'no-referrer').header('X-Frame-Options', 'DENY');
    // Revalidated on every load, so a new build is picked up at once.
    return send(req, reply, a.index, 'no-cache');
  };
  for (const path of UI_PATHS) app.get(path, cfg, page);

  app.get('/assets/:name', cfg, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const a = assets()?.files.get(name);
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    // Names carry a content hash (esbuild [name]-[hash]): safe to cache for good.
    return send(req, reply, a, 'public, max-age=31536000, immutable');
  });
}
