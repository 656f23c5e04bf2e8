// /ping, /health, /ready: unauthenticated, as in InfluxDB, so load balancers
// and client libraries can probe them.

import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.ts';

/** The InfluxDB version hookline answers as: /ping, /health and the X-Influxdb-Version header (create-app.ts). */
export const INFLUXDB_VERSION = '2.7.11';

const started = new Date();

const V1 = { config: { dialect: 'v1' as const, auth: { public: 'liveness probe' } } };
const V2 = { config: { dialect: 'v2' as const, auth: { public: 'health probe' } } };

export function registerPingHealth(app: FastifyInstance, _deps: AppDeps): void {
  // GET|HEAD /ping -> 204 (fastify answers HEAD from the GET route) with X-Influxdb-Version; ?verbose=true -> 200 {"version"} (1.x servePing).
  const ping = async (req: { query: unknown }, reply: import('fastify').FastifyReply) => {
    const verbose = (req.query as Record<string, string>).verbose;
    if (verbose && verbose !== 'false') return reply.code(200).send({ version: INFLUXDB_VERSION });
    return reply.code(204).send();
  };
  app.get('/ping', V1, ping);
  app.post('/ping', V1, ping);

  app.get('/health', V2, async (_req, reply) =>
    reply.code(200).send({
      name: 'hookline',
      message: 'ready for queries and writes',
      status: 'pass',
      checks: [],
      version: INFLUXDB_VERSION,
      commit: 'hookline',
    }),
  );
  app.get('/ready', V2, async (_req, reply) =>
    reply.code(200).send({ status: 'ready', started: started.toISOString(), up: `${Math.round((Date.now() - started.getTime()) / 1000)}s` }),
  );
}
