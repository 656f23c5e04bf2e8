// Checks of every org (issue 13): their definitions and states in two
// collections (DuckDB alone, NATS key-value in a cluster), each evaluated
// every `every` on its own timer. A change of level is persisted first, then
// published as the event `alert/<check name>` (which triggers integrations)
// and written as a point of `statuses` in the org's `_monitoring` bucket, as
// InfluxDB 2 writes statuses (docs.influxdata.com/influxdb/v2/monitor-alert/,
// "_monitoring bucket"). Persisting before publishing means a restart never
// sends a reported state again; a crash between the two can lose one report,
// never repeat it. On start every check runs once (one evaluation covers the
// downtime), its start spread over the first seconds, then on its period.

import { randomBytes } from 'node:crypto';
import { ERRORS, HooklineError } from '../core/errors.ts';
import type { Point } from '../core/point.ts';
import { render } from '../templates/render-template.ts';
import { CheckFieldError, durationMs, validateCheck, type CheckDoc, type CheckInput } from './check-spec.ts';
import { evaluateDeadman, evaluateError, evaluateThreshold, thresholdLevels, deadmanSeen, type Evaluation, type Notification } from './evaluate-check.ts';
import type { Level } from './levels.ts';
import type { AlertsDeps, CheckStateDoc } from './ports.ts';
import { rebuildLastValues } from './rebuild-last-values.ts';
import { fromInfluxQl, fromSql, type SeriesValue } from './series-values.ts';
import { lastFromCache, parseLastQuery, type LastQuery } from './last-value-query.ts';

export const DEFAULT_MESSAGE = '{{check}} is {{level}}{{#device}} on {{device}}{{/device}} (value {{value}})';
/** Spread of the first evaluations after start (ms): calm, not a storm. */
const START_SPREAD_MS = 2000;

/** A limit reached (checks per org): a 4xx naming it. */
export class CheckLimitError extends Error {}

export interface CheckView extends CheckDoc {
  state: {
    level: Level | 'error';
    error: string | null;
    lastRun: string | null;
    series: Array<{ tags: Record<string, string>; level: string; value: number | null; since: string; pending: { level: string; since: string } | null; lastSeen: string | null }>;
  };
}

const SEVERITY: Record<string, number> = { error: 4, crit: 3, warn: 2, info: 1, ok: 0 };

export class AlertsService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly lags: number[] = [];
  private stopped = false;
  private ready: Promise<void> = Promise.resolve();
  /** Runs, query failures, and periods skipped because the previous run was still going or the query gate was full. */
  readonly evaluations = { count: 0, errors: 0, skipped: 0 };
  /** Evaluations running at once: fewer than the query gate's slots, so checks queue here and users' queries still get through. */
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly deps: AlertsDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Rebuilds the last-value cache, then runs every check once (spread) and on its period. */
  start(): void {
    this.ready = rebuildLastValues({
      lvc: this.deps.lastValues,
      queries: this.deps.queries,
      buckets: this.deps.buckets(),
      measurements: (b) => this.deps.measurements(b),
      lookbackMs: this.deps.lookbackMs,
      log: this.deps.log,
      stopped: () => this.stopped,
    }).then(
      () => undefined,
      (e) => this.deps.log.error('last-value cache rebuild failed', { error: String(e) }),
    );
    const all = [...this.deps.checks.values()];
    all.forEach((c, i) => this.schedule(c, Math.floor((START_SPREAD_MS * i) / Math.max(1, all.length))));
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  // ---- definitions

  list(orgId: string): CheckView[] {
    return [...this.deps.checks.values()].filter((c) => c.orgId === orgId).sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => this.view(c));
  }

  get(orgId: string, id: string): CheckView | undefined {
    const c = this.deps.checks.get(id);
    return c && c.orgId === orgId ? this.view(c) : undefined;
  }

  doc(orgId: string, id: string): CheckDoc | undefined {
    const c = this.deps.checks.get(id);
    return c && c.orgId === orgId ? c : undefined;
  }

  async create(orgId: string, bucketId: string, input: CheckInput): Promise<CheckView> {
    const fields = validateCheck(input, this.deps.limits);
    const mine = [...this.deps.checks.values()].filter((c) => c.orgId === orgId);
    if (mine.length >= this.deps.limits.maxChecksPerOrg) throw new CheckLimitError(`the org has ${mine.length} checks, the most HOOKLINE_MAX_CHECKS allows; delete one or raise the setting`);
    if (mine.some((c) => c.name === fields.name)) throw new CheckFieldError('name', `a check named ${fields.name} already exists`);
    const at = new Date(this.now()).toISOString();
    const doc: CheckDoc = { ...fields, id: randomBytes(8).toString('hex'), orgId, bucketId, createdAt: at, updatedAt: at };
    await this.deps.checks.put(doc.id, doc);
    this.schedule(doc, 0);
    return this.view(doc);
  }

  async update(orgId: string, id: string, bucketId: string, input: CheckInput): Promise<CheckView> {
    const cur = this.doc(orgId, id)!;
    const merged: CheckInput = {};
    for (const [k, v] of Object.entries(cur)) if (!['id', 'orgId', 'bucketId', 'createdAt', 'updatedAt'].includes(k)) (merged as Record<string, unknown>)[k] = v;
    for (const [k, v] of Object.entries(input)) (merged as Record<string, unknown>)[k] = v;
    // Switching kind drops the other kind's fields.
    if (input.type && input.type !== cur.type) for (const k of cur.type === 'threshold' ? ['language', 'query', 'levels'] : ['measurement', 'field', 'tags', 'groupBy', 'staleAfter', 'level']) if (!(k in input)) delete (merged as Record<string, unknown>)[k];
    const fields = validateCheck(merged, this.deps.limits);
    if (fields.name !== cur.name && [...this.deps.checks.values()].some((c) => c.orgId === orgId && c.name === fields.name)) throw new CheckFieldError('name', `a check named ${fields.name} already exists`);
    const doc: CheckDoc = { ...fields, id, orgId, bucketId, createdAt: cur.createdAt, updatedAt: new Date(this.now()).toISOString() };
    await this.deps.checks.put(id, doc);
    // A new query or kind starts from fresh series (what they measure changed).
    if (doc.type !== cur.type || doc.query !== cur.query || doc.measurement !== cur.measurement || doc.bucketId !== cur.bucketId || JSON.stringify(doc.groupBy) !== JSON.stringify(cur.groupBy)) {
      this.memo.delete(id);
      await this.deps.states.delete(id);
    }
    this.schedule(doc, 0);
    return this.view(doc);
  }

  async remove(orgId: string, id: string): Promise<boolean> {
    if (!this.doc(orgId, id)) return false;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    await this.running.get(id);
    await this.deps.checks.delete(id);
    this.memo.delete(id);
    await this.deps.states.delete(id);
    return true;
  }

  /** What the check (not saved) would report now, series by series: runs its query once, changes nothing. */
  async preview(orgId: string, bucketId: string, input: CheckInput): Promise<{ series: Array<{ tags: Record<string, string>; value: number | null; level: string }> }> {
    const fields = validateCheck(input, this.deps.limits);
    const check: CheckDoc = { ...fields, id: 'preview', orgId, bucketId, createdAt: '', updatedAt: '' };
    if (check.type === 'threshold') return { series: thresholdLevels(check, await this.observe(check)) };
    await this.ready;
    const now = this.now();
    const stale = durationMs(check.staleAfter);
    return { series: [...deadmanSeen(check, this.deps.lastValues, undefined).values()].map((s) => ({ tags: s.tags, value: Math.round(now - s.lastSeen) / 1000, level: now - s.lastSeen > stale ? check.level! : 'ok' })) };
  }

  /** Status changes of a check from `_monitoring`, newest first. */
  async statuses(orgId: string, id: string, limit: number): Promise<Array<Record<string, unknown>>> {
    const c = this.doc(orgId, id)!;
    const bucket = this.deps.monitoringBucket(orgId);
    if (!bucket) return [];
    const name = c.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const res = await this.deps.queries.influxql(orgId, bucket, `SELECT * FROM "statuses" WHERE "check" = '${name}' ORDER BY time DESC LIMIT ${limit}`);
    const out: Array<Record<string, unknown>> = [];
    for (const s of res) for (const row of s.values) out.push(Object.fromEntries(s.columns.map((col, i) => [col, row[i]])));
    return out;
  }

  /** Evaluation lag (ms between when a run was due and when it started), for the bench. */
  lagSamples(): number[] {
    return this.lags.splice(0);
  }

  // ---- evaluation

  private schedule(check: CheckDoc, delay: number): void {
    clearTimeout(this.timers.get(check.id));
    if (this.stopped || check.disabled || !this.deps.limits.run) return;
    const due = this.now() + delay;
    const t = setTimeout(() => this.tick(check.id, due), delay);
    t.unref();
    this.timers.set(check.id, t);
  }

  private tick(id: string, due: number): void {
    const check = this.deps.checks.get(id);
    if (!check || this.stopped) return;
    const every = durationMs(check.every);
    // A run still going or waiting (a slow query) is not doubled: this period is skipped.
    if (!this.running.has(id)) {
      const p = this.slot()
        .then(async (release) => {
          try {
            const latest = this.deps.checks.get(id);
            if (!latest || this.stopped) return;
            // Another node of the cluster holds the scheduler lease: it evaluates, this one keeps the schedule.
            if (this.deps.limits.runsHere && !this.deps.limits.runsHere()) return;
            this.lags.push(this.now() - due);
            if (this.lags.length > 100_000) this.lags.splice(0, 50_000);
            await this.evaluate(latest);
          } finally {
            release();
          }
        })
        .catch((e) => this.deps.log.error('check evaluation failed', { check: check.id, error: String(e) }))
        .finally(() => this.running.delete(id));
      this.running.set(id, p);
    } else this.evaluations.skipped++;
    const next = Math.max(due + every, this.now() + 1);
    this.schedule(check, next - this.now());
  }

  private slot(): Promise<() => void> {
    const release = () => {
      this.active--;
      const next = this.waiting.shift();
      if (next) next();
    };
    return new Promise((resolve) => {
      const take = () => {
        this.active++;
        resolve(release);
      };
      if (this.active < this.deps.limits.concurrency) take();
      else this.waiting.push(take);
    });
  }

  private readonly lastQueries = new Map<string, LastQuery | null>();

  private async observe(check: CheckDoc): Promise<SeriesValue[]> {
    const q = this.deps.queries;
    // `SELECT last(f) FROM m WHERE time > now() - D GROUP BY tags` is what the last-value cache holds: no query.
    let lq = this.lastQueries.get(check.query!);
    if (lq === undefined && check.language !== 'sql') {
      lq = parseLastQuery(check.query!) ?? null;
      if (this.lastQueries.size > 10_000) this.lastQueries.clear();
      this.lastQueries.set(check.query!, lq);
    }
    if (lq && check.language !== 'sql' && lq.windowMs <= this.deps.lookbackMs) {
      await this.ready;
      const values = lastFromCache(this.deps.lastValues, check.bucketId, lq, this.now());
      if (values.length > this.deps.limits.maxSeriesPerCheck) throw new Error(`the query returned ${values.length} series; a check may watch at most ${this.deps.limits.maxSeriesPerCheck} (HOOKLINE_CHECK_MAX_SERIES)`);
      return values;
    }
    const values = check.language === 'sql' ? fromSql(await q.sql(check.orgId, check.bucketId, check.query!)) : fromInfluxQl(await q.influxql(check.orgId, check.bucketId, check.query!));
    if (values.length > this.deps.limits.maxSeriesPerCheck) throw new Error(`the query returned ${values.length} series; a check may watch at most ${this.deps.limits.maxSeriesPerCheck} (HOOKLINE_CHECK_MAX_SERIES)`);
    return values;
  }

  /** One evaluation: observe, compute, persist what must survive, then report the changes. */
  async evaluate(check: CheckDoc): Promise<Evaluation> {
    const prev = this.memo.get(check.id) ?? this.deps.states.get(check.id);
    let ev: Evaluation;
    if (check.type === 'deadman') {
      await this.ready;
      ev = evaluateDeadman(check, this.deps.lastValues, prev, this.now());
    } else {
      try {
        const values = await this.observe(check);
        ev = evaluateThreshold(check, values, prev, this.now());
      } catch (e) {
        // The query gate full (users' queries): a busy period, not the check's failure.
        if (e instanceof HooklineError && e.def === ERRORS.TOO_MANY_QUERIES) {
          this.evaluations.skipped++;
          return { state: prev ?? { checkId: check.id, orgId: check.orgId, series: {} }, changes: [], dirty: false };
        }
        this.evaluations.errors++;
        ev = evaluateError(check, prev, (e as Error).message, this.now());
      }
    }
    this.evaluations.count++;
    // A check deleted or changed while its query ran: its result is dropped.
    if (this.deps.checks.get(check.id)?.updatedAt !== check.updatedAt) return ev;
    if (ev.dirty) {
      this.memo.delete(check.id);
      await this.deps.states.put(check.id, ev.state);
    } else this.memo.set(check.id, ev.state);
    if (ev.changes.length > 0) await this.report(check, ev.changes, ev.state);
    return ev;
  }

  /** States not persisted (only values and run times moved): served by the API from here. */
  private readonly memo = new Map<string, CheckStateDoc>();

  private async report(check: CheckDoc, changes: Notification[], state: CheckStateDoc): Promise<void> {
    const at = this.now();
    const time = new Date(at).toISOString();
    const points: Point[] = [];
    for (const c of changes) {
      const message = this.message(check, c, time, state);
      const data = { check: check.name, checkId: check.id, level: c.level, previous: c.previous, value: c.value, tags: c.tags, time, message };
      try {
        await this.deps.publish(check.orgId, `alert/${check.name}`, JSON.stringify(data));
      } catch (e) {
        this.deps.log.error('alert event not published', { check: check.id, error: String(e) });
      }
      const tags: Array<[string, string]> = [['check', check.name], ['level', c.level]];
      for (const [k, v] of Object.entries(c.tags)) if (k !== 'check' && k !== 'level' && v !== '') tags.push([k, v]);
      tags.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const fields: Point['fields'] = [
        ['message', { type: 'string', value: message }],
        ['previous', { type: 'string', value: c.previous }],
      ];
      if (c.value !== null) fields.push(['value', { type: 'float', value: c.value }]);
      points.push({ measurement: 'statuses', tags, fields: fields.sort(([a], [b]) => (a < b ? -1 : 1)), sec: Math.floor(at / 1000), nsec: (at % 1000) * 1e6 + (points.length % 1e6) });
    }
    try {
      await this.deps.writeStatuses(check.orgId, points);
    } catch (e) {
      this.deps.log.error('statuses not written to _monitoring', { check: check.id, error: String(e) });
    }
  }

  private message(check: CheckDoc, c: Notification, time: string, state: CheckStateDoc): string {
    const template = c.level === 'error' ? '{{check}} failed: {{error}}' : (check.message ?? DEFAULT_MESSAGE);
    let text: string;
    try {
      text = render(template, { data: c.tags, reserved: { check: check.name, checkId: check.id, level: c.level, previous: c.previous, value: c.value ?? '', time, error: state.error?.message ?? '' } });
    } catch (e) {
      text = `${check.name} is ${c.level} (message template: ${(e as Error).message})`;
    }
    const max = this.deps.limits.maxMessageBytes;
    return Buffer.byteLength(text) > max ? Buffer.from(text).subarray(0, max).toString('utf8').replace(/\uFFFD$/, '') : text;
  }

  private view(c: CheckDoc): CheckView {
    const s = this.memo.get(c.id) ?? this.deps.states.get(c.id);
    const iso = (n: number | undefined) => (n === undefined ? null : new Date(n).toISOString());
    const series = Object.values(s?.series ?? {}).map((x) => ({ tags: x.tags, level: x.level, value: x.value, since: new Date(x.since).toISOString(), pending: x.pending ? { level: x.pending.level, since: new Date(x.pending.since).toISOString() } : null, lastSeen: iso(x.lastSeen) }));
    let level: Level | 'error' = 'ok';
    for (const x of series) if (SEVERITY[x.level] > SEVERITY[level]) level = x.level as Level;
    if (s?.error) level = 'error';
    return { ...c, state: { level, error: s?.error?.message ?? null, lastRun: iso(s?.lastRun), series } };
  }
}
