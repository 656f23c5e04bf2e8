// OpenTSDB ingest and query. Being built (issue 5).
import type { Concern, ConcernDeps } from '../http/concern.ts';

export async function createOpenTsdb(_deps: ConcernDeps): Promise<Concern> {
  return { close: async () => undefined };
}
