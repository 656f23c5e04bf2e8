// Subscription statements. hookline has none, so SHOW SUBSCRIPTIONS answers
// as an InfluxDB 1.6 without any (coordinator/statement_executor.go); the
// others (and KILL QUERY, SHOW STATS ...) are refused. (Users: meta/users.ts;
// continuous queries: executor.ts and cq-runner.ts.)

import type { ShowRow } from './series-set.ts';

/** The empty-server answer of a read-only admin statement, or undefined when hookline refuses it. */
export function adminAnswer(name: string, databases: () => string[]): ShowRow[] | undefined {
  switch (name) {
    case 'SHOW SUBSCRIPTIONS':
      // A row per database that has subscriptions: none.
      return [];
    default:
      return undefined;
  }
}
