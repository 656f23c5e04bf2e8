// The web explorer and demo mode. Being built (issue 6).
import type { Concern, ConcernDeps } from '../http/concern.ts';

export async function createExplorer(_deps: ConcernDeps): Promise<Concern> {
  return { close: async () => undefined };
}
