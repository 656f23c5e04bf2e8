// Runs parsed InfluxQL statements for one request, as influxdb 1.x's query
// executor does: one result per statement (statement_id), the first failing
// statement stops the rest ("not executed"), write statements on a read-only
// (GET) request run with a deprecation warning.

import type { MeasurementSource, SelectStatement, Source, Statement } from './ast.ts';
import { isUserStatement, isWriteStatement, statementString } from './ast.ts';
import { QueryError } from './condition.ts';
import { byCreation, databaseBuckets, dbOfBucket, policyBucket } from './databases.ts';
import { runDdl } from './meta/ddl.ts';
import { runShow } from './meta/show.ts';
import type { ShowRow } from './meta/series-set.ts';
import { adminAnswer } from './meta/admin.ts';
import { runUserStatement } from './meta/users.ts';
import { runSelect, type SelectContext } from './select/run-select.ts';
import { intoSource, writeInto } from './select/into.ts';
import { TimeCell, type OutCell } from './select/values.ts';
import { storedMeasurement, type StoreView } from '../store-view.ts';
import { isWriteUnavailable, type IngestPipeline } from '../../ingest/pipeline.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import type { Authorization, Bucket } from '../../tenancy/model.ts';
import { can, canBucket } from '../../tenancy/permissions.ts';
import { compileRegex } from './regex.ts';
import { SelectBudget, UNLIMITED, type SelectLimits } from './select/budget.ts';
import { HooklineError } from '../../core/errors.ts';

export interface ResultSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: OutCell[][];
  partial?: boolean;
}

export interface StatementResult {
  statementId: number;
  series?: ResultSeries[];
  messages?: Array<{ level: string; text: string }>;
  partial?: boolean;
  error?: string;
}

export interface ExecEnv {
  /** The store through its ports (query/store-view.ts). */
  store: StoreView;
  /** Where SELECT INTO writes: the one ingest call. */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  auth: Authorization;
  orgID: string;
  db: string;
  rp: string;
  now: bigint;
  readOnly: boolean;
  timeoutMs: number;
  /** max-select-buckets/-point/-series (budget.ts); unlimited when absent, as InfluxDB's 0. */
  limits?: SelectLimits;
}

export class AuthorizationError extends Error {}

/** The databases a statement reads or changes, and how (InfluxDB authorizes a whole query first). */
/**
 * `rp` is set when the statement names one retention policy of `db` ('' = its
 * default): a database is several buckets (one per policy) and a token's
 * rights are per bucket, so that bucket is the one checked.
 */
type Need = { db: string; rp?: string; action: 'read' | 'write' | 'admin' | 'users' };

function needs(s: Statement, db: string, rp = ''): Need[] {
  if (isUserStatement(s)) return [{ db: '', action: 'users' }];
  switch (s.kind) {
    case 'select': {
      const out: Need[] = [];
      const walk = (srcs: Source[]) => {
        for (const x of srcs) {
          if (x.kind === 'subquery') walk(x.statement.sources);
          // As selectContext().resolve picks the bucket: the request's rp applies to sources that name no database.
          else out.push({ db: x.database || db, rp: x.retentionPolicy || (x.database ? '' : rp), action: 'read' });
        }
      };
      walk(s.sources);
      // SELECT INTO also writes its target.
      if (s.target) out.push({ db: s.target.database || db, rp: s.target.retentionPolicy, action: 'write' });
      return out;
    }
    case 'create-database':
    case 'drop-database':
    case 'create-retention-policy':
    case 'alter-retention-policy':
    case 'drop-retention-policy':
      return [{ db: '', action: 'admin' }];
    case 'drop-measurement':
    case 'drop-series':
    case 'delete':
      return [{ db, action: 'write' }];
    case 'create-cq': {
      // It runs later as the org: so its creator must be able to read what it reads and write its target.
      const out: Need[] = [];
      const walk = (srcs: Source[]) => {
        for (const x of srcs) {
          if (x.kind === 'subquery') walk(x.statement.sources);
          else out.push({ db: x.database || db || s.database, rp: x.retentionPolicy, action: 'read' });
        }
      };
      walk(s.source.sources);
      return [...out, { db: s.source.target?.database || db || s.database, rp: s.source.target?.retentionPolicy ?? '', action: 'write' }];
    }
    case 'drop-cq':
      return [{ db: s.database, action: 'write' }];
    // The schema of a database is read access to it (1.x RequiredPrivileges: READ).
    case 'show-retention-policies':
    case 'show-measurements':
    case 'show-tag-keys':
    case 'show-tag-values':
    case 'show-field-keys':
    case 'show-series':
    case 'show-cardinality': {
      const out: Need[] = [{ db: s.database || db, action: 'read' }];
      // FROM "db"."rp"."m" reads that policy's bucket.
      for (const x of ('sources' in s ? s.sources : undefined) ?? []) if (x.kind === 'measurement' && (x.database || x.retentionPolicy)) out.push({ db: x.database || s.database || db, rp: x.retentionPolicy, action: 'read' });
      return out;
    }
    default:
      return [];
  }
}

export class Executor {
  /**
   * One budget for the whole request, shared by all its statements (and their
   * subqueries): each statement consumes from it, so `q=A;A;A...` cannot
   * multiply max-select-* by the number of statements.
   */
  private readonly budget: SelectBudget;

  constructor(private readonly env: ExecEnv) {
    this.budget = new SelectBudget(env.limits ?? UNLIMITED, env.timeoutMs);
  }

  /** Throws AuthorizationError when the token may not run some statement (1.x: 403 before anything runs). */
  authorize(statements: Statement[]): void {
    const { auth, orgID, tenancy } = this.env;
    for (const s of statements) {
      for (const n of needs(s, this.env.db, this.env.rp)) {
        if (n.action === 'users') {
          // 1.x: user management needs an admin user; here a token (or admin user) that may manage the org's users.
          if (!can(auth, 'write', 'users', orgID)) throw new AuthorizationError(`error authorizing query: ${auth.v1User ?? 'token'} not authorized to execute statement '${statementString(s)}', requires admin privilege`);
          continue;
        }
        if (n.action === 'admin') {
          if (!can(auth, 'write', 'buckets', orgID)) {
            // A 1.x user is told in 1.x's words; a token in terms of its permissions.
            const why = auth.v1User ? 'requires admin privilege' : "requires write on the organization's buckets";
            throw new AuthorizationError(`error authorizing query: ${auth.v1User ?? 'token'} not authorized to execute statement '${statementString(s)}', ${why}`);
          }
          continue;
        }
        if (!n.db) continue;
        const exact = n.rp === undefined ? undefined : policyBucket(tenancy, orgID, n.db, n.rp);
        if (exact && !canBucket(auth, n.action as 'read' | 'write', exact)) {
          throw new AuthorizationError(`error authorizing query: ${auth.v1User ?? 'token'} not authorized to execute statement '${statementString(s)}', requires ${n.action.toUpperCase()} on ${exact.name}`);
        }
        const buckets = databaseBuckets(tenancy, orgID, n.db);
        if (buckets.length > 0 && !buckets.some((b) => canBucket(auth, n.action as 'read' | 'write', b))) {
          throw new AuthorizationError(`error authorizing query: ${auth.v1User ?? 'token'} not authorized to execute statement '${statementString(s)}', requires ${n.action.toUpperCase()} on ${n.db}`);
        }
      }
    }
  }

  async run(statements: Statement[]): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    let i = 0;
    for (; i < statements.length; i++) {
      const r: StatementResult = { statementId: i };
      let s = statements[i];
      if (s.kind === 'create-cq') {
        // 1.x normalizes the statement (sources and target get their database and policy) before it runs or is
        // printed; the default database is the request's `db` when there is one, else the query's ON database.
        try {
          s = { ...s, source: this.normalizeSelect(s.source, this.env.db || s.database) };
        } catch (e) {
          results.push({ statementId: i, error: (e as Error).message });
          break;
        }
      }
      if (this.env.readOnly && isWriteStatement(s)) {
        r.messages = [{ level: 'warning', text: `deprecated use of '${statementString(s)}' in a read only context, please use a POST request instead` }];
      }
      try {
        const series = await this.execute(s);
        if (series.length > 0) r.series = series;
        results.push(r);
      } catch (e) {
        // The ingest pipeline's refusals of a whole write (SELECT INTO: HL_OVERLOADED,
        // HL_WAL_FAILED) stay statement errors, as before; other 5xx are the request's.
        if (e instanceof HooklineError && e.status >= 500 && !isWriteUnavailable(e)) throw e;
        results.push({ statementId: i, error: e instanceof QueryError ? e.message : (e as Error).message });
        break;
      }
    }
    // influxdb 1.x query/executor.go: the statements after a failure are
    // reported "not executed", counting from the failed statement's id.
    for (; i < statements.length - 1; i++) results.push({ statementId: i, error: 'not executed' });
    return results;
  }

  /** query.NormalizeStatement for a continuous query's SELECT: default database and policy on every source and the target. */
  private normalizeSelect(sel: SelectStatement, db: string): SelectStatement {
    const { tenancy, orgID } = this.env;
    const rpOf = (d: string) => {
      this.databaseBucketsOrThrow(d);
      return tenancy.defaultRp(orgID, d);
    };
    const sources = sel.sources.map((x): Source => {
      if (x.kind === 'subquery') return { ...x, statement: this.normalizeSelect(x.statement, db) };
      const d = x.database || db;
      return { ...x, database: d, retentionPolicy: x.retentionPolicy || rpOf(d) };
    });
    const t = sel.target;
    const target = t && { ...t, database: t.database || db, retentionPolicy: t.retentionPolicy || rpOf(t.database || db) };
    return { ...sel, sources, ...(target ? { target } : {}) };
  }

  private readBuckets(): Bucket[] {
    return this.env.tenancy.listBuckets({ orgID: this.env.orgID }).filter((b) => canBucket(this.env.auth, 'read', b));
  }

  /** authorize() checked the statement; this keeps a bucket the token may not read out of any result regardless. */
  private readableOrThrow(b: Bucket): Bucket {
    if (!canBucket(this.env.auth, 'read', b)) throw new QueryError(`not authorized to read ${b.name}`);
    return b;
  }

  private readable(buckets: Bucket[]): Bucket[] {
    return buckets.filter((b) => canBucket(this.env.auth, 'read', b));
  }

  private databaseBucketsOrThrow(db: string): Bucket[] {
    const buckets = databaseBuckets(this.env.tenancy, this.env.orgID, db);
    if (buckets.length === 0) throw new QueryError(`database not found: ${db}`);
    return buckets;
  }

  private policyOrThrow(db: string, rp: string): Bucket {
    const b = policyBucket(this.env.tenancy, this.env.orgID, db, rp);
    if (b) return b;
    this.databaseBucketsOrThrow(db);
    throw new QueryError(`retention policy not found: ${rp || this.env.tenancy.defaultRp(this.env.orgID, db)}`);
  }

  private selectContext(): SelectContext {
    const env = this.env;
    return {
      store: env.store,
      now: env.now,
      // The request's budget: every statement and its subqueries count against it.
      budget: this.budget,
      timeoutMs: env.timeoutMs,
      resolve: (src: MeasurementSource) => {
        const db = src.database || env.db;
        if (!db) throw new QueryError('database name required');
        const bucket = this.readableOrThrow(this.policyOrThrow(db, src.retentionPolicy || (src.database ? '' : env.rp)));
        if (src.regex !== undefined) {
          const re = compileRegex(src.regex);
          return env.store
            .measurements(bucket.id)
            .filter((name) => re.test(name))
            .flatMap((name) => storedMeasurement(env.store, bucket.id, name) ?? []);
        }
        const m = storedMeasurement(env.store, bucket.id, src.name);
        return m ? [m] : [];
      },
    };
  }

  /** Databases the token may read, oldest first. */
  private databaseNames(): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const b of byCreation(this.readBuckets())) {
      const { db } = dbOfBucket(b.name);
      if (!seen.has(db)) {
        seen.add(db);
        out.push(db);
      }
    }
    return out;
  }

  private async execute(s: Statement): Promise<ResultSeries[]> {
    const env = this.env;
    switch (s.kind) {
      case 'select': {
        if (s.target) {
          // normalizeMeasurement: the target's database and default policy.
          const db = s.target.database || env.db;
          if (!db) throw new QueryError('database name required');
          const bucket = this.policyOrThrow(db, s.target.retentionPolicy);
          if (!canBucket(env.auth, 'write', bucket)) throw new QueryError(`not authorized to write ${bucket.name}`);
          const res = await runSelect(intoSource(s), this.selectContext());
          return [{ name: 'result', columns: ['time', 'written'], values: await writeInto(env.ingest, s, bucket, res) }];
        }
        const ctx = this.selectContext();
        const res = await runSelect(s, ctx);
        const sl = ctx.budget.slicer;
        const out: ResultSeries[] = [];
        for (const x of res.series) {
          const values: ResultSeries['values'] = new Array(x.rows.length);
          for (let i = 0; i < x.rows.length; i++) {
            if (sl.due()) await sl.next();
            const [t, ...vals] = x.rows[i];
            values[i] = [new TimeCell(t, res.tz), ...vals];
          }
          out.push({ name: x.name, ...(x.tags ? { tags: x.tags } : {}), columns: res.columns, values });
        }
        return out;
      }
      case 'explain':
        throw new QueryError('EXPLAIN is not supported by hookline');
      case 'unsupported': {
        const rows = adminAnswer(s.name, () => this.databaseNames());
        if (rows) return rows.map((r) => ({ ...(r.name !== undefined ? { name: r.name } : {}), columns: r.columns, values: r.values }));
        throw new QueryError(`${s.name} is not supported by hookline`);
      }
      case 'create-database':
      case 'drop-database':
      case 'create-retention-policy':
      case 'alter-retention-policy':
      case 'drop-retention-policy':
      case 'drop-measurement':
      case 'drop-series':
      case 'delete':
        await runDdl(s, { store: env.store, tenancy: env.tenancy, orgID: env.orgID, now: env.now, writable: (b) => canBucket(env.auth, 'write', b) }, env.db);
        // meta/data.go DropDatabase: users keep no privilege on a dropped database.
        if (s.kind === 'drop-database') {
          await env.tenancy.v1Users.forgetDatabase(env.orgID, s.name);
          await env.tenancy.continuousQueries.forgetDatabase(env.orgID, s.name);
        }
        return [];
      case 'create-cq':
        this.databaseBucketsOrThrow(s.database);
        try {
          await env.tenancy.continuousQueries.create(env.orgID, s.database, s.name, statementString(s));
        } catch (e) {
          throw new QueryError((e as Error).message);
        }
        return [];
      case 'drop-cq':
        await env.tenancy.continuousQueries.drop(env.orgID, s.database, s.name);
        return [];
      case 'show-cqs':
        // executeShowContinuousQueriesStatement: a row per database, with or without queries.
        return this.databaseNames().map((db) => ({
          name: db,
          columns: ['name', 'query'],
          values: env.tenancy.continuousQueries.list(env.orgID, db).map((c) => [c.name, c.query]),
        }));
      case 'create-user':
      case 'drop-user':
      case 'set-password':
      case 'grant':
      case 'revoke':
      case 'show-users':
      case 'show-grants': {
        const users = { users: env.tenancy.v1Users, orgID: env.orgID, databaseExists: (db: string) => databaseBuckets(env.tenancy, env.orgID, db).length > 0 };
        return (await runUserStatement(s, users)).map((r) => ({ columns: r.columns, values: r.values }));
      }
      default: {
        const rows: ShowRow[] = await runShow(
          s,
          {
            store: env.store,
            timeoutMs: env.timeoutMs,
            now: env.now,
            // A database's retention policies are buckets; a SHOW sees only those the token may read.
            buckets: (db) => this.readable(this.databaseBucketsOrThrow(db)),
            maybeBuckets: (db) => this.readable(databaseBuckets(env.tenancy, env.orgID, db)),
            policy: (db, rp) => this.readableOrThrow(this.policyOrThrow(db, rp)),
            databases: () => this.databaseNames(),
            defaultRp: (db) => env.tenancy.defaultRp(env.orgID, db),
          },
          env.db,
        );
        return rows.map((r) => ({ ...(r.name !== undefined ? { name: r.name } : {}), ...(r.tags ? { tags: r.tags } : {}), columns: r.columns, values: r.values }));
      }
    }
  }
}
