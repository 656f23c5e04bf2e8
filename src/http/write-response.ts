// What a write answers, per InfluxDB version, given what the ingest pipeline
// reports (the PointStore port's WriteResult: parse errors and drops per line).
// References: InfluxDB's API docs for POST /api/v2/write
// (https://docs.influxdata.com/influxdb/v2/api/#operation/PostWrite), POST
// /write (https://docs.influxdata.com/influxdb/v1/tools/api/#write-http-endpoint)
// and POST /api/v3/write_lp (https://docs.influxdata.com/influxdb3/core/api/v3/).

import { formatGoDurationSeconds } from '../core/go-duration.ts';
import { hooklineError, type HooklineError } from '../core/errors.ts';
import { formatRfc3339Nano } from '../core/time.ts';
import type { DroppedPoint, RefusedLine, WriteResult } from '../core/ports/point-store.ts';

export interface RetentionContext {
  retentionSeconds: number;
  /** Lower bound applied, unix seconds. */
  cutoffSec: number;
  database: string;
  retentionPolicy: string;
}

/**
 * tsdb.PartialWriteError's text for points the storage layer refused. Points
 * past retention get the points writer's summary (coordinator SummariseDropped);
 * otherwise the first reason with the count of dropped points.
 */
export function partialWriteMessage(drops: DroppedPoint[], ctx: RetentionContext, withDatabase: boolean): string {
  const retention = drops.filter((d) => d.reason === 'retention');
  if (retention.length > 0) {
    const byTime = [...retention].sort((a, b) => a.sec! - b.sec! || a.nsec! - b.nsec!);
    const oldest = byTime[0];
    const newest = byTime[byTime.length - 1];
    const bound = formatRfc3339Nano(ctx.cutoffSec, 0);
    const point = (which: string, d: DroppedPoint) =>
      `${which} point ${d.key} at ${formatRfc3339Nano(d.sec!, d.nsec!)} dropped because it violates a Retention Policy Lower Bound at ${bound}`;
    return (
      `partial write: dropped ${retention.length} points outside retention policy of duration ${formatGoDurationSeconds(ctx.retentionSeconds)} - ` +
      `${point('oldest', oldest)}, ${point('newest', newest)} dropped=${retention.length} for database: ${ctx.database} for retention policy: ${ctx.retentionPolicy}`
    );
  }
  const base = `partial write: ${drops[0].message} dropped=${drops.length}`;
  return withDatabase ? `${base} for database: ${ctx.database} for retention policy: ${ctx.retentionPolicy}` : base;
}

function joinedParseErrors(errors: RefusedLine[]): string {
  return errors.map((e) => e.message).join('\n');
}

/** InfluxDB 2.x /api/v2/write: 400 on any parse error (nothing written), 422 on storage drops. */
export function v2WriteError(outcome: WriteResult, ctx: RetentionContext): HooklineError | undefined {
  if (outcome.parseErrors.length > 0) {
    return hooklineError('LINE_PROTOCOL', joinedParseErrors(outcome.parseErrors), { line: outcome.parseErrors[0].line });
  }
  if (outcome.drops.length > 0) {
    return hooklineError('PARTIAL_WRITE', `failure writing points to database: ${partialWriteMessage(outcome.drops, ctx, false)}`, {
      line: outcome.drops[0].line,
    });
  }
  return undefined;
}

/** InfluxDB 1.x /write: good points are kept; any refusal is a 400 {"error"}. */
export function v1WriteError(outcome: WriteResult, ctx: RetentionContext, rpParam: string): HooklineError | undefined {
  if (outcome.drops.length > 0) {
    return hooklineError('PARTIAL_WRITE_V1', partialWriteMessage(outcome.drops, ctx, true), { line: outcome.drops[0].line });
  }
  if (outcome.parseErrors.length > 0) {
    const reason = joinedParseErrors(outcome.parseErrors);
    const line = outcome.parseErrors[0].line;
    if (outcome.written === 0 && outcome.drops.length === 0) return hooklineError('LINE_PROTOCOL', reason, { line });
    let msg = `partial write: ${reason} dropped=0 for database: ${ctx.database}`;
    if (rpParam) msg += ` for retention policy: ${rpParam}`;
    return hooklineError('PARTIAL_WRITE_V1', msg, { line });
  }
  return undefined;
}

/** InfluxDB 3 names a refused line with its number among the data lines and its first 20 characters. */
interface V3LineError {
  error_message: string;
  line_number: number;
  original_line: string;
}

function v3Message(e: RefusedLine): string {
  // InfluxDB 3's parser words the common cases differently (influxdb_line_protocol lib.rs).
  switch (e.kind) {
    case 'missing-measurement':
      return 'Invalid measurement was provided';
    case 'missing-fields':
      return 'Expected at least one space character, got end of input';
    case 'missing-field-key':
    case 'missing-field-value':
    case 'invalid-field-format':
      return 'No fields were provided';
    case 'duplicate-tags':
      return `Must not contain duplicate tags`;
    case 'bad-timestamp':
    case 'timestamp-range':
      return `Unable to parse timestamp value`;
    default:
      return e.reason;
  }
}

export function v3WriteError(outcome: WriteResult, body: Buffer, acceptPartial: boolean): HooklineError | undefined {
  const lines = body.toString('utf8').split('\n');
  const entries: Array<V3LineError & { physical: number }> = [];
  for (const e of outcome.parseErrors) {
    entries.push({ error_message: v3Message(e), line_number: e.ordinal, original_line: e.text.slice(0, 20), physical: e.line });
  }
  for (const d of outcome.drops) {
    const text = (lines[d.line - 1] ?? '').replace(/\r$/, '').trimStart();
    const message =
      d.reason === 'type-conflict'
        ? `invalid column type for column '${d.field}', expected ${d.stored}, got ${d.offered}`
        : d.reason === 'time-field'
          ? `'time' is a reserved column`
          : d.message;
    entries.push({ error_message: message, line_number: d.ordinal, original_line: text.slice(0, 20), physical: d.line });
  }
  if (entries.length === 0) return undefined;
  entries.sort((a, b) => a.physical - b.physical);
  const data = entries.map(({ physical: _p, ...rest }) => rest);
  if (!acceptPartial) return hooklineError('LINE_PROTOCOL', 'line protocol parsing error', { data: data[0], line: entries[0].physical });
  return hooklineError('LINE_PROTOCOL', 'partial write of line protocol occurred', { data, line: entries[0].physical });
}
