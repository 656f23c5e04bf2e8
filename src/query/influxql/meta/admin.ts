// User, continuous query and subscription statements. hookline has tokens,
// not 1.x users, and neither continuous queries nor subscriptions, so the
// statements that only read them answer as an InfluxDB 1.6 without any
// (coordinator/statement_executor.go); the rest are refused.

import { QueryError } from '../condition.ts';
import type { ShowRow } from './show.ts';

/** The empty-server answer of a read-only admin statement, or undefined when hookline refuses it. */
export function adminAnswer(name: string, databases: () => string[]): ShowRow[] | undefined {
  switch (name) {
    case 'SHOW USERS':
      // executeShowUsersStatement: one row, even without users.
      return [{ columns: ['user', 'admin'], values: [] }];
    case 'SHOW CONTINUOUS QUERIES':
      // executeShowContinuousQueriesStatement: a row per database.
      return databases().map((db) => ({ name: db, columns: ['name', 'query'], values: [] }));
    case 'SHOW SUBSCRIPTIONS':
      // A row per database that has subscriptions: none.
      return [];
    case 'SHOW GRANTS':
    case 'DROP USER':
      throw new QueryError('user not found');
    default:
      return undefined;
  }
}
