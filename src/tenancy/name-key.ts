// A key for a record named by free text (a database or query name): NATS KV
// keys allow only [-/_=.A-Za-z0-9] (docs.nats.io, "Key/Value Store"), so
// composite names are hashed; the document itself keeps the names.

import { createHash } from 'node:crypto';

export function nameKey(...parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
}
