// Simulated Particle devices get real device records and tokens through
// /v1/devices. Their IDs are derived from their names, so a second run
// reuses the same IDs (the same series in the store): the old record is
// deleted and created again, because a device token is shown only once.

import { createHash } from 'node:crypto';
import { HttpError, type Client } from './http-client.ts';

export interface SimDevice {
  id: string;
  name: string;
  token: string;
}

/** 24 hex characters, like a Particle device ID, stable for a name. */
export function deviceIdFor(name: string): string {
  return createHash('sha256').update(`hookline-simulated-device:${name}`).digest('hex').slice(0, 24);
}

export async function provisionDevices(client: Client, names: string[]): Promise<SimDevice[]> {
  const out: SimDevice[] = [];
  for (const name of names) {
    const id = deviceIdFor(name);
    try {
      await client.call(`/v1/devices/${id}`, { method: 'DELETE' });
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 404)) throw e;
    }
    const created = await client.call<{ id: string; name?: string; token: string }>('/v1/devices', { json: { id, name } });
    out.push({ id: created.id, name: created.name ?? name, token: created.token });
  }
  return out;
}
