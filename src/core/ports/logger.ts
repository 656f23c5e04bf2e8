// The structured log every part writes to: storage, continuous queries, the
// event hub. server.ts builds the one sink (the same as HTTP's, without
// depending on fastify); tests pass a silent one.

export interface Logger {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}
