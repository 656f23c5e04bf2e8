// Module: one part of hookline that server.ts (the composition root) builds,
// starts and closes: InfluxQL, device events and webhooks, OpenTSDB, the
// explorer. It replaces http/concern.ts's Concern, whose dependency bag hands
// every feature the concrete Store, the raw Duck handle and Tenancy: a module
// receives narrow services (ports) from server.ts instead, and its routes are
// registered by the HTTP layer, so a feature never imports http/.
//
// `Routes` is the HTTP layer's registrar (a FastifyInstance today); core does
// not name fastify, so a module that serves no HTTP (MQTT, a worker) and tests
// need not load it. http/concern.ts's Concern satisfies Module<FastifyInstance>
// (test/contracts/port-shapes.test.ts).

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
