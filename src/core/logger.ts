// The logging sink every part writes through (server.ts builds it over the
// same stream as fastify's logger), so that a part need not import the store
// or fastify to log.

export interface Logger {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}
