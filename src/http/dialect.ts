// Errors leave hookline in the dialect of the API that was called: the same
// HooklineError is an InfluxDB 2 {"code","message"}, an InfluxDB 1.x
// {"error"}, an InfluxDB 3 {"error","data"}, a Particle {"ok":false,"error"}
// or an OpenTSDB {"error":{...}} body.

import type { FastifyReply } from 'fastify';
import type { HooklineError } from '../core/errors.ts';

export type Dialect = 'v1' | 'v2' | 'v3' | 'particle' | 'opentsdb' | 'hookline';

export function sendError(reply: FastifyReply, dialect: Dialect, err: HooklineError): FastifyReply {
  const status = err.status;
  reply.code(status);
  if (err.retryAfter !== undefined) reply.header('Retry-After', String(err.retryAfter));
  switch (dialect) {
    case 'v1':
      // InfluxDB 1.x repeats the message in X-InfluxDB-Error (handler.go httpError), capped at 1 KiB.
      reply.header('X-InfluxDB-Error', headerSafe(err.message).slice(0, 1024));
      if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="InfluxDB"');
      return reply.type('application/json').send({ error: err.message });
    case 'v3':
      return reply.type('application/json').send(err.data !== undefined ? { error: err.message, data: err.data } : { error: err.message });
    case 'particle':
      return reply.type('application/json').send({ ok: false, error: err.message, ...(err.data as object | undefined) });
    case 'opentsdb':
      return reply.type('application/json').send({ error: { code: status, message: err.message, ...(err.data as object | undefined) } });
    default: {
      reply.header('X-Platform-Error-Code', err.def.v2);
      const body: Record<string, unknown> = { code: err.def.v2, message: err.message };
      if (err.line !== undefined) body.line = err.line;
      // The field of the body at fault (checks: "levels.crit"; dashboards: "panels[2].gridPos.w"), for a client that highlights it.
      const field = (err.data as { field?: unknown } | undefined)?.field;
      if (typeof field === 'string') body.field = field;
      return reply.type('application/json; charset=utf-8').send(body);
    }
  }
}

function headerSafe(s: string): string {
  // Header values cannot hold newlines; InfluxDB's Go client would reject them too.
  return s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
}
