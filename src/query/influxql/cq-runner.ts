// Runs InfluxDB 1.x continuous queries (services/continuous_querier, and
// https://docs.influxdata.com/influxdb/v1/query_language/continuous_queries/):
// a check every second; a query runs when `now` crosses a boundary of its
// RESAMPLE EVERY (default: its GROUP BY interval) and covers
//   end   = truncate(now + interval - min(every, interval), interval) (+ offset)
//   start = end - FOR (default: the larger of interval and EVERY)
// i.e. by default the interval that just ended (a late check also covers the
// intervals it missed: start is then taken from when the run was due). Its SELECT ... INTO runs with
// that time range added to its WHERE, as the org (it was authorized when
// created). Results are idempotent (same series and times), so running again
// after a restart, or on several nodes, rewrites the same points.

import type { Expr, SelectStatement } from './ast.ts';
import { Executor } from './executor.ts';
import { ERRORS, HooklineError } from '../../core/errors.ts';
import { groupByInterval, groupByOffset } from './parse-cq.ts';
import { parseQuery } from './parse-statements.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { StoreView } from '../store-view.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import type { ContinuousQuery } from '../../tenancy/continuous-queries.ts';
import { allAccess } from '../../tenancy/permissions.ts';
import type { QueryLimiter } from '../query-limiter.ts';
import type { SelectLimits } from './select/budget.ts';

export interface CqRunnerDeps {
  store: StoreView;
  /** Where the queries' INTO writes: the one ingest call. */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  timeoutMs: number;
  logger: Logger;
  /** max-select-* apply to a continuous query as to any other. */
  limits?: SelectLimits;
  /**
   * The query gate. Continuous queries pass it as 1.x's do (the continuous
   * querier runs them through the QueryExecutor, whose TaskManager enforces
   * max-concurrent-queries): they read as much as a dashboard's queries and
   * must not add to a burst. They wait in the queue; a refused run is retried
   * at the next check, with its start where the refused one was due.
   */
  gate?: QueryLimiter;
  /** Several nodes: false while another node holds the scheduler lease (it runs the queries). */
  runsHere?: () => boolean;
}

interface Parsed {
  source: SelectStatement;
  interval: bigint;
  offset: bigint;
  every: bigint;
  for: bigint;
}

const mod = (a: bigint, b: bigint) => ((a % b) + b) % b;
const truncate = (t: bigint, d: bigint) => t - mod(t, d);

/** The time range a run at `now` covers, or undefined when the query does not run then. */
export function cqWindow(p: Parsed, now: bigint, lastRun: bigint | undefined): { start: bigint; end: bigint; boundary: bigint } | undefined {
  if (p.interval === 0n) return undefined; // a raw (non-aggregate) query never runs, as in 1.x
  const every = p.every || p.interval;
  // Boundaries move with the GROUP BY offset, so a query runs as soon as its offset window closes.
  const boundary = truncate(now - p.offset, every) + p.offset;
  if (lastRun !== undefined && boundary <= lastRun) return undefined;
  const resampleFor = p.for || (p.interval > every ? p.interval : every);
  const endEvery = every < p.interval ? every : p.interval;
  const windowEnd = (t: bigint) => truncate(t - p.offset + p.interval - endEvery, p.interval) + p.offset;
  // The start comes from when this run was due, not from now, so intervals a late check missed are
  // covered too (continuous_querier: "just in case any time intervals were missed").
  const due = lastRun === undefined ? now : lastRun + every;
  return { start: windowEnd(due) - resampleFor, end: windowEnd(now), boundary };
}

function withTimeRange(s: SelectStatement, start: bigint, end: bigint): SelectStatement {
  const time: Expr = { kind: 'varref', name: 'time' };
  const range: Expr = {
    kind: 'binary',
    op: 'AND',
    lhs: { kind: 'binary', op: '>=', lhs: time, rhs: { kind: 'integer', val: start } },
    rhs: { kind: 'binary', op: '<', lhs: time, rhs: { kind: 'integer', val: end } },
  };
  return { ...s, condition: s.condition ? { kind: 'binary', op: 'AND', lhs: { kind: 'paren', expr: s.condition }, rhs: range } : range };
}

export class ContinuousQueryRunner {
  private timer?: NodeJS.Timeout;
  private readonly lastRun = new Map<string, bigint>();
  private readonly parsed = new Map<string, Parsed | null>();
  private busy?: Promise<void>;

  constructor(private readonly deps: CqRunnerDeps) {}

  start(tickMs = 1000): void {
    this.timer = setInterval(() => {
      if (!this.busy) this.busy = this.tick().finally(() => (this.busy = undefined));
    }, tickMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
  }

  /** One check: runs every query that is due at `nowMs`. */
  async tick(nowMs = Date.now()): Promise<void> {
    if (this.deps.runsHere && !this.deps.runsHere()) return;
    const now = BigInt(nowMs) * 1_000_000n;
    for (const cq of this.deps.tenancy.continuousQueries.list()) {
      const p = this.parse(cq);
      if (!p) continue;
      const key = `${cq.orgID}\u0000${cq.db}\u0000${cq.name}`;
      const w = cqWindow(p, now, this.lastRun.get(key));
      if (!w) continue;
      const before = this.lastRun.get(key);
      this.lastRun.set(key, w.boundary);
      const refused = await this.run(cq, withTimeRange(p.source, w.start, w.end), now);
      if (refused) {
        if (before === undefined) this.lastRun.delete(key);
        else this.lastRun.set(key, before);
      }
    }
  }

  /** Runs one continuous query; true when the query gate refused it (it is then retried). */
  private async run(cq: ContinuousQuery, stmt: SelectStatement, now: bigint): Promise<boolean> {
    const at = new Date().toISOString();
    const auth = { id: `cq:${cq.name}`, tokenHash: '', description: `continuous query ${cq.name}`, status: 'active' as const, orgID: cq.orgID, userID: '', permissions: allAccess(cq.orgID), createdAt: at, updatedAt: at };
    const ex = new Executor({ store: this.deps.store, ingest: this.deps.ingest, tenancy: this.deps.tenancy, auth, orgID: cq.orgID, db: cq.db, rp: '', now, readOnly: false, timeoutMs: this.deps.timeoutMs, limits: this.deps.limits });
    const gate = this.deps.gate;
    try {
      const [r] = await (gate ? gate.run(() => ex.run([stmt])) : ex.run([stmt]));
      if (r?.error) this.deps.logger.warn('continuous query failed', { cq: cq.name, db: cq.db, error: r.error });
    } catch (e) {
      this.deps.logger.warn('continuous query failed', { cq: cq.name, db: cq.db, error: String(e) });
      return e instanceof HooklineError && e.def === ERRORS.TOO_MANY_QUERIES;
    }
    return false;
  }

  private parse(cq: ContinuousQuery): Parsed | undefined {
    let p = this.parsed.get(cq.query);
    if (p === undefined) {
      try {
        const [s] = parseQuery(cq.query);
        p = s?.kind === 'create-cq' ? { source: s.source, interval: groupByInterval(s.source), offset: groupByOffset(s.source), every: s.every, for: s.for } : null;
      } catch (e) {
        this.deps.logger.warn('continuous query does not parse', { cq: cq.name, error: String(e) });
        p = null;
      }
      this.parsed.set(cq.query, p);
    }
    return p ?? undefined;
  }
}
