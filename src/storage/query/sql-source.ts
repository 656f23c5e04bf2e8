// What the SQL front end (query/sql/run-sql.ts) may ask of the store: whether
// a measurement exists, a connection to parse a statement with, and a
// snapshot of measurements for the sandbox. Nothing else of the store, and no
// physical column names, reach the SQL front end.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Store } from '../store.ts';
import type { SqlSnapshotView } from './sql-snapshot.ts';

export interface SqlSourceOfStore {
  hasMeasurement(bucketId: string, name: string): boolean;
  parserConnection(): Promise<DuckDBConnection>;
  exportSqlSnapshot(bucketId: string, names: string[], dir: string): Promise<SqlSnapshotView[]>;
}

export function sqlSourceOf(store: Store): SqlSourceOfStore {
  return {
    hasMeasurement: (bucketId, name) => store.measurementOf(bucketId, name) !== undefined,
    parserConnection: () => store.duck.connect(),
    exportSqlSnapshot: (bucketId, names, dir) => store.exportSqlSnapshot(bucketId, names, dir),
  };
}
