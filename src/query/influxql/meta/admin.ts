// Continuous query and subscription statements. hookline has neither, so the
// statements that only read them answer as an InfluxDB 1.6 without any
// (coordinator/statement_executor.go); the rest are refused. (Users:
// meta/users.ts.)

import type { ShowRow } from './show.ts';

/** The empty-server answer of a read-only admin statement, or undefined when hookline refuses it. */
export function adminAnswer(name: string, databases: () => string[]): ShowRow[] | undefined {
  switch (name) {
    case 'SHOW CONTINUOUS QUERIES':
      // executeShowContinuousQueriesStatement: a row per database.
      return databases().map((db) => ({ name: db, columns: ['name', 'query'], values: [] }));
    case 'SHOW SUBSCRIPTIONS':
      // A row per database that has subscriptions: none.
      return [];
    default:
      return undefined;
  }
}
