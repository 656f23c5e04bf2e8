// Module: one part of hookline that server.ts (the composition root) builds,
// starts and closes: InfluxQL, device events and webhooks, OpenTSDB, the
// explorer. It replaced http/concern.ts's Concern. The dependency bag
// (src/concern-deps.ts) still hands every module the concrete Store, the raw
// Duck handle and Tenancy: issue 11's next steps give a module narrow services
// (ports) from server.ts instead, and have the HTTP layer register its routes,
// so a feature never imports http/.
//
// `Routes` is the HTTP layer's registrar (a FastifyInstance today); core does
// not name fastify, so a module that serves no HTTP (MQTT, a worker) and tests
// need not load it.

export interface ModuleStartInfo {
  /** Base URL of the main HTTP listener, once it listens. */
  url: string;
}

export interface Module<Routes = unknown> {
  /** Registers this module's routes on the main HTTP server. */
  routes?(app: Routes): void;
  /** Runs once the main HTTP server listens (side listeners, background work). */
  start?(info: ModuleStartInfo): Promise<void>;
  /** Stops background work and releases what start() took; called once, in reverse start order. */
  close(): Promise<void>;
}
