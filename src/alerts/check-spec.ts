// A check as the API takes it and as it is stored (issue 13). Two kinds, as
// InfluxDB 2 has (docs.influxdata.com/influxdb/v2/monitor-alert/checks/):
// - threshold: a query (InfluxQL or SQL) run every `every`; each series'
//   value against `levels` (crit, warn, info: first match wins, else ok);
// - deadman: a measurement (or any; optionally one field and a tag filter)
//   grouped by tags; a series silent for `staleAfter` goes to `level`, back to ok when
//   data comes again.
// `for`: a level must hold this long before it is reported; `message`: the
// integration mustache dialect over {{check}}, {{level}}, {{value}} and tags.
// Pure: validation throws CheckFieldError naming the field at fault.

import { parseDuration } from '../config/parse-values.ts';
import { compile } from '../templates/render-template.ts';
import { parseComparison } from './comparison.ts';
import { NON_OK_LEVELS, type NonOkLevel } from './levels.ts';

export interface CheckDoc {
  id: string;
  orgId: string;
  name: string;
  type: 'threshold' | 'deadman';
  /** The bucket's name as given, and the bucket it resolved to. */
  bucket: string;
  bucketId: string;
  every: string;
  for?: string;
  message?: string;
  disabled?: boolean;
  // threshold
  language?: 'influxql' | 'sql';
  query?: string;
  levels?: Partial<Record<NonOkLevel, string>>;
  // deadman
  measurement?: string;
  field?: string;
  /** Tag filter: only series with these tag values. */
  tags?: Record<string, string>;
  groupBy?: string[];
  staleAfter?: string;
  level?: NonOkLevel;
  createdAt: string;
  updatedAt: string;
}

/** A field of the body that is wrong: answered as a 400 naming it. */
export class CheckFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface CheckLimits {
  /** Shortest `every` (HOOKLINE_CHECK_MIN_EVERY), ms. */
  minEveryMs: number;
  /** Longest message template (HOOKLINE_CHECK_MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
  /** Longest query text. */
  maxQueryBytes: number;
}

/** alert/<name> must be a valid event name (1-64 characters of letters, digits, _ - /). */
export const CHECK_NAME_RE = /^[A-Za-z0-9_\-/]{1,58}$/;
const TAG_RE = /^[^\s"'\\]{1,128}$/;

/** The fields the API may set (PATCH merges these over the stored check). */
export const INPUT_FIELDS = ['name', 'type', 'bucket', 'every', 'for', 'message', 'disabled', 'language', 'query', 'levels', 'measurement', 'field', 'tags', 'groupBy', 'staleAfter', 'level'] as const;
export type CheckInput = Partial<Record<(typeof INPUT_FIELDS)[number], unknown>>;

function duration(field: string, v: unknown, minMs = 1): number {
  if (typeof v !== 'string') throw new CheckFieldError(field, 'must be a duration such as "10s", "5m" or "1h"');
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (e) {
    throw new CheckFieldError(field, (e as Error).message);
  }
  if (ms < minMs) throw new CheckFieldError(field, `must be at least ${minMs / 1000}s`);
  return ms;
}

function str(field: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') throw new CheckFieldError(field, 'is required (a non-empty string)');
  if (Buffer.byteLength(v) > max) throw new CheckFieldError(field, `is ${Buffer.byteLength(v)} bytes; at most ${max} are allowed`);
  return v;
}

/** The normalized check fields from `input`; ids, org, bucket id and dates are the caller's. */
export function validateCheck(input: CheckInput, limits: CheckLimits): Omit<CheckDoc, 'id' | 'orgId' | 'bucketId' | 'createdAt' | 'updatedAt'> {
  for (const k of Object.keys(input)) if (!(INPUT_FIELDS as readonly string[]).includes(k) && !['id', 'orgId', 'bucketId', 'createdAt', 'updatedAt', 'state', 'series'].includes(k)) throw new CheckFieldError(k, 'is not a field of a check');
  if (typeof input.name !== 'string' || !CHECK_NAME_RE.test(input.name)) throw new CheckFieldError('name', 'must be 1-58 letters, digits, underscores, dashes or slashes (the event is alert/<name>)');
  if (input.type !== 'threshold' && input.type !== 'deadman') throw new CheckFieldError('type', 'must be "threshold" or "deadman"');
  const bucket = str('bucket', input.bucket, 256);
  const every = input.every ?? '1m';
  duration('every', every, limits.minEveryMs);
  const out: ReturnType<typeof validateCheck> = { name: input.name, type: input.type, bucket, every: every as string };
  if (input.for !== undefined && input.for !== null && input.for !== '') {
    duration('for', input.for, 0);
    out.for = input.for as string;
  }
  if (input.message !== undefined && input.message !== null && input.message !== '') {
    const m = str('message', input.message, limits.maxMessageBytes);
    try {
      compile(m);
    } catch (e) {
      throw new CheckFieldError('message', (e as Error).message);
    }
    out.message = m;
  }
  if (input.disabled !== undefined && input.disabled !== null) {
    if (typeof input.disabled !== 'boolean') throw new CheckFieldError('disabled', 'must be true or false');
    out.disabled = input.disabled;
  }
  if (input.type === 'threshold') {
    for (const k of ['measurement', 'field', 'tags', 'groupBy', 'staleAfter', 'level'] as const) if (input[k] !== undefined && input[k] !== null) throw new CheckFieldError(k, 'belongs to deadman checks; a threshold check has query and levels');
    const language = input.language ?? 'influxql';
    if (language !== 'influxql' && language !== 'sql') throw new CheckFieldError('language', 'must be "influxql" or "sql"');
    out.language = language;
    out.query = str('query', input.query, limits.maxQueryBytes);
    const levels = input.levels;
    if (levels === null || typeof levels !== 'object' || Array.isArray(levels)) throw new CheckFieldError('levels', 'must be an object such as {"crit":"> 30","warn":"> 25"}');
    const l: Partial<Record<NonOkLevel, string>> = {};
    for (const [k, v] of Object.entries(levels)) {
      if (!(NON_OK_LEVELS as readonly string[]).includes(k)) throw new CheckFieldError(`levels.${k}`, 'is not a level; use crit, warn or info');
      const c = parseComparison(v);
      if (typeof c === 'string') throw new CheckFieldError(`levels.${k}`, c);
      l[k as NonOkLevel] = v as string;
    }
    if (Object.keys(l).length === 0) throw new CheckFieldError('levels', 'needs at least one of crit, warn, info');
    out.levels = l;
  } else {
    for (const k of ['language', 'query', 'levels'] as const) if (input[k] !== undefined && input[k] !== null) throw new CheckFieldError(k, 'belongs to threshold checks; a deadman check has measurement, groupBy and staleAfter');
    // No measurement: any measurement of the bucket ("tell me when any device is silent").
    if (input.measurement !== undefined && input.measurement !== null && input.measurement !== '') out.measurement = str('measurement', input.measurement, 256);
    if (input.field !== undefined && input.field !== null && input.field !== '') out.field = str('field', input.field, 256);
    if (input.tags !== undefined && input.tags !== null) {
      if (typeof input.tags !== 'object' || Array.isArray(input.tags)) throw new CheckFieldError('tags', 'must be an object of tag values, such as {"site":"north"}');
      for (const [k, v] of Object.entries(input.tags)) if (typeof v !== 'string' || !TAG_RE.test(k)) throw new CheckFieldError(`tags.${k}`, 'must be a string tag value');
      out.tags = input.tags as Record<string, string>;
    }
    const groupBy = input.groupBy ?? [];
    if (!Array.isArray(groupBy) || groupBy.some((g) => typeof g !== 'string' || !TAG_RE.test(g))) throw new CheckFieldError('groupBy', 'must be a list of tag keys, such as ["device"]');
    out.groupBy = groupBy as string[];
    out.staleAfter = (input.staleAfter ?? '10m') as string;
    duration('staleAfter', out.staleAfter, 1000);
    const level = input.level ?? 'crit';
    if (!(NON_OK_LEVELS as readonly string[]).includes(level as string)) throw new CheckFieldError('level', 'must be crit, warn or info');
    out.level = level as NonOkLevel;
  }
  return out;
}

export function durationMs(text: string | undefined): number {
  return text ? parseDuration(text) : 0;
}
