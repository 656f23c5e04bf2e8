// Device events, MQTT and Particle-compatible integrations. Being built (issue 4).
import type { Concern, ConcernDeps } from '../http/concern.ts';

export async function createEventHub(_deps: ConcernDeps): Promise<Concern> {
  return { close: async () => undefined };
}
