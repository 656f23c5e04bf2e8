// SHOW statements over a database's buckets: measurements, tag keys and
// values, field keys, series, retention policies, cardinalities. Shapes and
// orders follow influxdb 1.x coordinator/statement_executor.go.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Expr, MeasurementSource, Source, Statement } from '../ast.ts';
import { filterSql, mentionsTime, QueryError } from '../condition.ts';
import { toJsRegExp } from '../regex.ts';
import { canonicalSeriesKey, type Measurement } from '../../../storage/measurement.ts';
import { FieldType } from '../../../ingest/line-protocol/batch.ts';
import type { Store } from '../../../storage/store.ts';
import { toCell, type Cell } from '../../sql/result-values.ts';
import { cleanDuckError } from '../../sql/run-sql.ts';
import { formatGoDuration } from '../../../core/go-duration.ts';
import type { Value } from '../select/values.ts';
import type { Bucket } from '../../../tenancy/model.ts';

export interface ShowRow {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Value[][];
}

export interface ShowContext {
  store: Store;
  timeoutMs: number;
  /** Buckets of the statement's database, all policies (throws for an unknown database). */
  buckets(db: string): Bucket[];
  /** The bucket of one policy. */
  policy(db: string, rp: string): Bucket;
  databases(): string[];
  defaultRp(db: string): string;
}

const TYPE_NAMES: Record<number, string> = {
  [FieldType.Float]: 'float',
  [FieldType.Integer]: 'integer',
  [FieldType.Unsigned]: 'unsigned',
  [FieldType.String]: 'string',
  [FieldType.Boolean]: 'boolean',
};

async function rows(conn: DuckDBConnection, sql: string): Promise<Cell[][]> {
  try {
    const r = await conn.runAndReadAll(sql);
    return r.getRows().map((x) => x.map(toCell));
  } catch (e) {
    throw new QueryError(cleanDuckError((e as Error).message));
  }
}

function page<T>(list: T[], limit: number, offset: number): T[] {
  return list.slice(offset, limit > 0 ? offset + limit : undefined);
}

/** Measurements a SHOW statement covers: FROM sources (names, regexes, rp-qualified) or all. */
function measurementsFor(ctx: ShowContext, db: string, sources: Source[] | undefined): Measurement[] {
  const out: Measurement[] = [];
  const add = (m: Measurement | undefined) => m && !out.includes(m) && out.push(m);
  if (!sources) {
    for (const b of ctx.buckets(db)) for (const m of ctx.store.measurementsOf(b.id)) add(m);
  } else {
    for (const s of sources) {
      if (s.kind !== 'measurement') throw new QueryError('subqueries are not supported in SHOW statements');
      const buckets = s.retentionPolicy ? [ctx.policy(s.database || db, s.retentionPolicy)] : ctx.buckets(s.database || db);
      for (const b of buckets) {
        if (s.regex !== undefined) {
          const re = toJsRegExp(s.regex);
          for (const m of ctx.store.measurementsOf(b.id)) if (re.test(m.name)) add(m);
        } else add(ctx.store.measurementOf(b.id, s.name));
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function tagFilter(cond: Expr | undefined, m: Measurement, what: string): string | undefined {
  if (!cond) return undefined;
  if (mentionsTime(cond)) throw new QueryError(`${what} doesn't support time in WHERE clause`);
  return filterSql(cond, m, true);
}

async function withConn<T>(ctx: ShowContext, ms: Measurement[], fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return ctx.store.read(ms, async () => {
    const conn = await ctx.store.duck.connect();
    const timer = setTimeout(() => conn.interrupt(), ctx.timeoutMs);
    try {
      return await fn(conn);
    } finally {
      clearTimeout(timer);
      conn.closeSync();
    }
  });
}

function uniqueByName(ms: Measurement[]): Map<string, Measurement[]> {
  const by = new Map<string, Measurement[]>();
  for (const m of ms) {
    const l = by.get(m.name) ?? [];
    l.push(m);
    by.set(m.name, l);
  }
  return by;
}

export async function runShow(stmt: Statement, ctx: ShowContext, db: string): Promise<ShowRow[]> {
  switch (stmt.kind) {
    case 'show-databases': {
      return [{ name: 'databases', columns: ['name'], values: ctx.databases().map((d) => [d]) }];
    }
    case 'show-retention-policies': {
      const name = stmt.database || db;
      if (!name) throw new QueryError('database name required');
      const buckets = ctx.buckets(name);
      const def = ctx.defaultRp(name);
      return [
        {
          // InfluxDB 1.6's columns (checked against influxd 1.6.7); 1.11 added futureWriteLimit/pastWriteLimit.
          columns: ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'],
          values: buckets.map((b) => {
            const rp = b.name === name ? 'autogen' : b.name.slice(name.length + 1);
            return [rp, formatGoDuration(BigInt(b.retentionSeconds) * 1_000_000_000n), formatGoDuration(BigInt(b.shardGroupSeconds) * 1_000_000_000n), 1n, rp === def];
          }),
        },
      ];
    }
    case 'show-measurements': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      if (stmt.condition && mentionsTime(stmt.condition)) throw new QueryError("SHOW MEASUREMENTS doesn't support time in WHERE clause");
      let ms = measurementsFor(ctx, dbName, undefined);
      if (stmt.retentionPolicy && stmt.retentionPolicy !== '*') ms = ctx.store.measurementsOf(ctx.policy(dbName, stmt.retentionPolicy).id);
      const src = stmt.source as MeasurementSource | undefined;
      if (src) ms = ms.filter((m) => (src.regex !== undefined ? toJsRegExp(src.regex).test(m.name) : m.name === src.name));
      if (stmt.condition) {
        const keep: Measurement[] = [];
        await withConn(ctx, ms, async (conn) => {
          for (const m of ms) {
            const r = await rows(conn, `SELECT 1 FROM (${ctx.store.physicalRelation(m)}) WHERE ${tagFilter(stmt.condition, m, 'SHOW MEASUREMENTS')} LIMIT 1`);
            if (r.length > 0) keep.push(m);
          }
        });
        ms = keep;
      }
      const names = page([...new Set(ms.map((m) => m.name))].sort(), stmt.limit, stmt.offset);
      if (names.length === 0) return [];
      return [{ name: 'measurements', columns: ['name'], values: names.map((n) => [n]) }];
    }
    case 'show-tag-keys': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      const ms = measurementsFor(ctx, dbName, stmt.sources);
      const out: ShowRow[] = [];
      await withConn(ctx, ms, async (conn) => {
        for (const [name, group] of uniqueByName(ms)) {
          const keys = new Set<string>();
          for (const m of group) {
            if (m.tagKeys.length === 0) continue;
            const f = tagFilter(stmt.condition, m, 'SHOW TAG KEYS');
            const r = await rows(conn, `SELECT ${m.tagKeys.map((_, o) => `count(t${o})`).join(', ')} FROM (${ctx.store.physicalRelation(m)})${f ? ` WHERE ${f}` : ''}`);
            m.tagKeys.forEach((k, o) => Number(r[0]?.[o] ?? 0) > 0 && keys.add(k));
          }
          const list = page([...keys].sort(), stmt.limit, stmt.offset);
          if (list.length > 0) out.push({ name, columns: ['tagKey'], values: list.map((k) => [k]) });
        }
      });
      return page(out, stmt.slimit, stmt.soffset);
    }
    case 'show-tag-values': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      const ms = measurementsFor(ctx, dbName, stmt.sources);
      const match = keyMatcher(stmt.op, stmt.tagKeyExpr);
      const out: ShowRow[] = [];
      await withConn(ctx, ms, async (conn) => {
        for (const [name, group] of uniqueByName(ms)) {
          const pairs = new Map<string, [string, string]>();
          for (const m of group) {
            const keys = m.tagKeys.map((k, o) => [k, o] as const).filter(([k]) => match(k));
            if (keys.length === 0) continue;
            const f = tagFilter(stmt.condition, m, 'SHOW TAG VALUES');
            const union = keys
              .map(([k, o]) => `SELECT ${sqlStr(k)} AS k, t${o} AS v FROM (${ctx.store.physicalRelation(m)}) WHERE t${o} IS NOT NULL${f ? ` AND ${f}` : ''}`)
              .join(' UNION ');
            for (const r of await rows(conn, `SELECT DISTINCT k, v FROM (${union})`)) pairs.set(`${r[0]}\u0000${r[1]}`, [String(r[0]), String(r[1])]);
          }
          const list = page(
            [...pairs.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)),
            stmt.limit,
            stmt.offset,
          );
          if (list.length > 0) out.push({ name, columns: ['key', 'value'], values: list });
        }
      });
      return out;
    }
    case 'show-field-keys': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      const ms = measurementsFor(ctx, dbName, stmt.sources);
      const out: ShowRow[] = [];
      for (const [name, group] of uniqueByName(ms)) {
        const fields = new Map<string, string>();
        for (const m of group) for (const f of m.fields) if (!fields.has(f.name)) fields.set(f.name, TYPE_NAMES[f.type]);
        const list = page([...fields.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), stmt.limit, stmt.offset);
        if (list.length > 0) out.push({ name, columns: ['fieldKey', 'fieldType'], values: list });
      }
      return out;
    }
    case 'show-series': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      const ms = measurementsFor(ctx, dbName, stmt.sources);
      const keys = new Set<string>();
      await withConn(ctx, ms, async (conn) => {
        for (const m of ms) {
          const f = tagFilter(stmt.condition, m, 'SHOW SERIES');
          const cols = m.tagKeys.map((_, o) => `t${o}`);
          const sql = `SELECT DISTINCT ${cols.length ? cols.join(', ') : '1'} FROM (${ctx.store.physicalRelation(m)})${f ? ` WHERE ${f}` : ''}`;
          for (const r of await rows(conn, sql)) {
            const tags: Array<[string, string]> = [];
            m.tagKeys.forEach((k, o) => r[o] !== null && r[o] !== undefined && cols.length && tags.push([k, String(r[o])]));
            tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            keys.add(canonicalSeriesKey(m.name, tags));
          }
        }
      });
      const list = page([...keys].sort(), stmt.limit, stmt.offset);
      if (list.length === 0) return [];
      return [{ columns: ['key'], values: list.map((k) => [k]) }];
    }
    case 'show-cardinality': {
      const dbName = stmt.database || db;
      if (!dbName) throw new QueryError('database name required');
      const ms = measurementsFor(ctx, dbName, stmt.sources);
      if (stmt.what === 'measurement') {
        const n = BigInt(new Set(ms.map((m) => m.name)).size);
        return [{ columns: [stmt.exact ? 'count' : 'cardinality estimation'], values: [[n]] }];
      }
      const out: ShowRow[] = [];
      let total = 0n;
      await withConn(ctx, ms, async (conn) => {
        for (const [name, group] of uniqueByName(ms)) {
          let n = 0n;
          for (const m of group) {
            const rel = ctx.store.physicalRelation(m);
            const f = tagFilter(stmt.condition, m, 'SHOW CARDINALITY');
            const where = f ? ` WHERE ${f}` : '';
            if (stmt.what === 'series') {
              const cols = m.tagKeys.map((_, o) => `t${o}`);
              const r = await rows(conn, `SELECT count(*) FROM (SELECT DISTINCT ${cols.length ? cols.join(', ') : '1'} FROM (${rel})${where})`);
              n += BigInt(r[0][0] as bigint);
            } else if (stmt.what === 'field-key') n += BigInt(m.fields.length);
            else if (stmt.what === 'tag-key') n += BigInt(m.tagKeys.length);
            else {
              const match = keyMatcher(stmt.op ?? '=~', stmt.tagKeyExpr ?? { kind: 'regex', source: '.*' });
              for (const [k, o] of m.tagKeys.map((k, o) => [k, o] as const)) {
                if (!match(k)) continue;
                const r = await rows(conn, `SELECT count(DISTINCT t${o}) FROM (${rel})${where}`);
                n += BigInt(r[0][0] as bigint);
              }
            }
          }
          total += n;
          if (n > 0n) out.push({ name, columns: ['count'], values: [[n]] });
        }
      });
      if (stmt.what === 'series' && !stmt.exact) return [{ columns: ['cardinality estimation'], values: [[total]] }];
      return out;
    }
    default:
      throw new QueryError(`unsupported statement: ${stmt.kind}`);
  }
}

function sqlStr(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

function keyMatcher(op: string, e: Expr): (k: string) => boolean {
  switch (op) {
    case '=':
      return (k) => e.kind === 'string' && k === e.val;
    case '!=':
      return (k) => e.kind === 'string' && k !== e.val;
    case '=~':
      return (k) => e.kind === 'regex' && toJsRegExp(e.source).test(k);
    case '!~':
      return (k) => e.kind === 'regex' && !toJsRegExp(e.source).test(k);
    case 'IN':
      return (k) => e.kind === 'list' && e.vals.includes(k);
  }
  return () => false;
}
