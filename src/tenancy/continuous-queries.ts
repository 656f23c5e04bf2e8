// InfluxDB 1.x continuous queries as the catalog keeps them: per org and
// database, a name and the statement text (normalized: every source and the
// INTO target name their database and retention policy), in creation order.
// Parsing and running them is the query layer's (query/influxql/cq-*.ts).

import type { SerialConnection } from '../storage/duck/duck.ts';

export interface ContinuousQuery {
  orgID: string;
  db: string;
  name: string;
  /** The CREATE CONTINUOUS QUERY statement as SHOW CONTINUOUS QUERIES prints it. */
  query: string;
  seq: number;
}

const DDL = `CREATE TABLE IF NOT EXISTS hl_continuous_queries (org_id VARCHAR NOT NULL, db VARCHAR NOT NULL, name VARCHAR NOT NULL, query VARCHAR NOT NULL, seq BIGINT NOT NULL)`;

export class ContinuousQueries {
  private readonly cqs: ContinuousQuery[] = [];
  private seq = 0;
  /** Called after any change (the runner reloads its schedule). */
  onChange: () => void = () => undefined;

  private constructor(private readonly db: SerialConnection) {}

  static async open(db: SerialConnection): Promise<ContinuousQueries> {
    const c = new ContinuousQueries(db);
    await db.exec(DDL);
    for (const r of await db.rows<Record<string, string | bigint>>(`SELECT * FROM hl_continuous_queries ORDER BY seq`)) {
      c.cqs.push({ orgID: String(r.org_id), db: String(r.db), name: String(r.name), query: String(r.query), seq: Number(r.seq) });
      c.seq = Math.max(c.seq, Number(r.seq));
    }
    return c;
  }

  list(orgID?: string, db?: string): ContinuousQuery[] {
    return this.cqs.filter((c) => (orgID === undefined || c.orgID === orgID) && (db === undefined || c.db === db));
  }

  /** meta/data.go CreateContinuousQuery: the same name and text again is not an error. */
  async create(orgID: string, db: string, name: string, query: string): Promise<void> {
    const existing = this.cqs.find((c) => c.orgID === orgID && c.db === db && c.name === name);
    if (existing) {
      if (existing.query === query) return;
      throw new Error('continuous query already exists');
    }
    const cq = { orgID, db, name, query, seq: ++this.seq };
    await this.db.exec(`INSERT INTO hl_continuous_queries VALUES (?, ?, ?, ?, ?)`, [orgID, db, name, query, cq.seq]);
    this.cqs.push(cq);
    this.onChange();
  }

  /** 1.6 answers a DROP of a query (or database) that does not exist without an error. */
  async drop(orgID: string, db: string, name: string): Promise<void> {
    const i = this.cqs.findIndex((c) => c.orgID === orgID && c.db === db && c.name === name);
    if (i < 0) return;
    await this.db.exec(`DELETE FROM hl_continuous_queries WHERE org_id = ? AND db = ? AND name = ?`, [orgID, db, name]);
    this.cqs.splice(i, 1);
    this.onChange();
  }

  /** DROP DATABASE drops its continuous queries (meta/data.go DropDatabase). */
  async forgetDatabase(orgID: string, db: string): Promise<void> {
    for (const c of this.list(orgID, db)) await this.drop(orgID, db, c.name);
  }
}
