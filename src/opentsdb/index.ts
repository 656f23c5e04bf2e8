// OpenTSDB ingest and query (issue 5): the HTTP API on the main port
// (/api/put, /api/query, /api/suggest, /api/search/lookup, /api/aggregators,
// /api/config/filters, /api/version) and, on HOOKLINE_OPENTSDB_PORT (4242,
// 0 = off), OpenTSDB's own port serving the same HTTP routes and telnet on
// one socket. See docs/opentsdb.md. The HTTP routes (http/routes/opentsdb-*.ts)
// are registered by server.ts, right after routes() here has taken the app
// for the OpenTSDB port, so this module does not import http/.

import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../concern-deps.ts';
import type { Module } from '../core/ports/module.ts';
import { fingerprints } from '../tls/fingerprint.ts';
import { OpenTsdbListener } from './listener.ts';
import { isDefaultSetting } from '../config/load-config.ts';

export interface OpenTsdbConcern extends Module<FastifyInstance> {
  /** The OpenTSDB port actually listened on (after start), undefined when off. */
  port(): number | undefined;
}

export async function createOpenTsdb(deps: ConcernDeps): Promise<OpenTsdbConcern> {
  let app: FastifyInstance | undefined;
  let listener: OpenTsdbListener | undefined;
  let port: number | undefined;
  return {
    routes(a) {
      app = a;
    },
    async start() {
      // Devices pin the certificate: say which one is served (hookline tls fingerprint prints it too).
      if (deps.tls) {
        try {
          const fp = fingerprints(deps.tls.cert);
          deps.logger.info('TLS certificate', { sha1: fp.sha1, sha256: fp.sha256, validTo: fp.validTo });
        } catch {
          // not PEM: the HTTPS server reports it
        }
      }
      if (deps.config.opentsdbPort === 0 || !app) return;
      const routing = app.routing.bind(app);
      listener = new OpenTsdbListener({ ...deps, route: (req, res) => routing(req, res), plainHttp: deps.config.tlsPlainHttp });
      try {
        port = await listener.listen(deps.config.opentsdbPort, deps.config.host);
      } catch (e) {
        listener = undefined;
        // The default port taken by another program: run without the OpenTSDB port (/api/put stays on the main port).
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && isDefaultSetting(deps.config, 'opentsdbPort')) {
          deps.logger.warn(`OpenTSDB port is off: ${deps.config.opentsdbPort} is in use by another program; /api/put still works on the main port; set HOOKLINE_OPENTSDB_PORT to a free port to turn it on`);
          return;
        }
        throw new Error(`OpenTSDB port ${deps.config.host}:${deps.config.opentsdbPort}: ${(e as Error).message} (HOOKLINE_OPENTSDB_PORT=0 turns it off)`);
      }
      deps.logger.info('OpenTSDB listener started', { port, tls: deps.tls !== undefined, plainHttp: !deps.tls || deps.config.tlsPlainHttp });
    },
    port: () => port,
    async close() {
      await listener?.close();
      listener = undefined;
    },
  };
}
