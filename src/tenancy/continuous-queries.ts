// InfluxDB 1.x continuous queries as the catalog keeps them: per org and
// database, a name and the statement text (normalized: every source and the
// INTO target name their database and retention policy), in creation order.
// Parsing and running them is the query layer's (query/influxql/cq-*.ts).

import type { Collection } from '../core/ports/collection.ts';
import { nameKey } from './name-key.ts';

export interface ContinuousQuery {
  orgID: string;
  db: string;
  name: string;
  /** The CREATE CONTINUOUS QUERY statement as SHOW CONTINUOUS QUERIES prints it. */
  query: string;
  seq: number;
}

export class ContinuousQueries {
  /** Called after any change, made here or by another node (the runner reloads its schedule). */
  onChange: () => void = () => undefined;

  constructor(private readonly docs: Collection<ContinuousQuery>) {
    docs.onChange = () => this.onChange();
  }

  /** In creation order. */
  list(orgID?: string, db?: string): ContinuousQuery[] {
    return [...this.docs.values()].filter((c) => (orgID === undefined || c.orgID === orgID) && (db === undefined || c.db === db)).sort((a, b) => a.seq - b.seq);
  }

  /** meta/data.go CreateContinuousQuery: the same name and text again is not an error. */
  async create(orgID: string, db: string, name: string, query: string): Promise<void> {
    const existing = this.docs.get(nameKey(orgID, db, name));
    if (existing) {
      if (existing.query === query) return;
      throw new Error('continuous query already exists');
    }
    // Creation order across nodes: a time-based sequence (SHOW CONTINUOUS QUERIES lists in it).
    const last = Math.max(0, ...[...this.docs.values()].map((c) => c.seq));
    await this.docs.put(nameKey(orgID, db, name), { orgID, db, name, query, seq: Math.max(last + 1, Date.now()) });
  }

  /** 1.6 answers a DROP of a query (or database) that does not exist without an error. */
  async drop(orgID: string, db: string, name: string): Promise<void> {
    if (!this.docs.get(nameKey(orgID, db, name))) return;
    await this.docs.delete(nameKey(orgID, db, name));
  }

  /** DROP DATABASE drops its continuous queries (meta/data.go DropDatabase). */
  async forgetDatabase(orgID: string, db: string): Promise<void> {
    for (const c of this.list(orgID, db)) await this.drop(orgID, db, c.name);
  }
}
