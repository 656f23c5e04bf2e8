// Turning a received data point into one hookline stores, or the reason it is
// refused, in either mode:
//
// strict  = OpenTSDB 2.4 exactly: IncomingDataPoint.validate() (metric,
//           timestamp, value, tags, in that order), the value parsed as
//           PutDataPointRpc does (Tags.looksLikeInteger -> parseLong, else
//           Double.parseDouble), then TSDB.addPoint's checks (NaN/Infinite,
//           the timestamp range, 1 to 8 tags, Tags.validateString's alphabet).
// lenient = what OVH Metrics accepted (OVH Metrics' open-source ingester, github.com/ovh/catalyst catalyser/opentsdb.go):
//           a missing or 0 timestamp is "now", tags may be missing or empty,
//           names are not restricted to OpenTSDB's alphabet.
//
// Both modes also refuse what the store cannot hold (line protocol, which is
// the write-ahead log's format): a reserved tag key (time, _measurement,
// _field), a name with a line break or NUL, a metric starting with '#', a
// name ending in a backslash. Timestamps: OpenTSDB's rule, seconds below 2^32,
// milliseconds from 2^32 up to 9999999999999 (13 digits), larger refused.
// Pure: `nowMs` is passed in.

import type { RawPoint } from './parse-put-json.ts';
import { javaMapString, javaNumberString, looksLikeInteger, NumberFormatError, parseJavaDouble, parseJavaLong } from './java-text.ts';

export type OpenTsdbMode = 'lenient' | 'strict';

/** A point ready to store: metric -> measurement, value -> float field `value`, time in ms. */
export interface ValidPoint {
  metric: string;
  ms: number;
  value: number;
  tags: Array<[string, string]>;
}

/** tsd.storage.max_tags default (Const.MAX_NUM_TAGS). */
export const MAX_TAGS = 8;
const SECOND_LIMIT = 4294967296; // 2^32: timestamps at or above are milliseconds (Const.SECOND_MASK)
const MAX_MS = 9999999999999;

/** Validates one JSON point; returns the point to store or the error text OpenTSDB reports for it. */
export function validateJsonPoint(p: RawPoint, mode: OpenTsdbMode, nowMs: number): ValidPoint | string {
  // IncomingDataPoint.validate(), in its order.
  if (p.metric === null || p.metric === '') return 'Metric name was empty';
  const strict = mode === 'strict';
  let ts = p.timestamp;
  if (strict ? ts <= 0 : ts < 0) return 'Invalid timestamp';
  if (p.value === null || p.value === '') return 'Empty value';
  if (strict && (p.tags === null || p.tags.length < 1)) return 'Missing tags';
  // PutDataPointRpc: NumberFormatException -> one fixed message.
  let value: number;
  try {
    value = parseValue(p.value, mode);
  } catch (e) {
    if (e instanceof NumberFormatError) return 'Unable to parse value to a number';
    throw e;
  }
  if (ts === 0) ts = nowMs; // lenient only: OVH's int64toTime(0) = now
  const tags: Array<[string, string]> = [];
  for (const [k, v] of p.tags ?? []) {
    if (v === null) {
      if (strict) return `Invalid tag value with key [${k}]: null`;
      continue;
    }
    // Lenient: an empty key or value cannot be a series tag; skipped as VictoriaMetrics does.
    if (!strict && (k === '' || v === '')) continue;
    tags.push([k, v]);
  }
  const err = checkPoint(p.metric, ts, value, tags, mode);
  if (err) return err;
  return { metric: p.metric, ms: ts < SECOND_LIMIT ? ts * 1000 : ts, value, tags };
}

/**
 * The value as a number. Strict: OpenTSDB's parse (integers as a Java long,
 * others as a double). Lenient: any decimal or scientific number. Throws
 * NumberFormatError with Java's message.
 */
export function parseValue(text: string, mode: OpenTsdbMode): number {
  if (mode === 'strict' && looksLikeInteger(text)) return Number(parseJavaLong(text));
  if (mode === 'lenient' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) {
    throw new NumberFormatError(`For input string: "${text}"`);
  }
  return parseJavaDouble(text);
}

/**
 * TSDB.addPoint's checks after parsing (value, then timestamp, then tags and
 * names), plus what line protocol cannot carry. Returns the message or undefined.
 */
export function checkPoint(metric: string, ts: number, value: number, tags: Array<[string, string]>, mode: OpenTsdbMode): string | undefined {
  if (!Number.isFinite(value)) return `value is NaN or Infinite: ${javaNumberString(value)} for metric=${metric} timestamp=${ts}`;
  if (ts >= SECOND_LIMIT && ts > MAX_MS) {
    return `bad timestamp=${ts} when trying to add value=${javaNumberString(value)} to metric=${metric}, tags=${javaMapString(tags)}`;
  }
  if (mode === 'strict') {
    if (tags.length < 1) return `Need at least one tag (metric=${metric}, tags=${javaMapString(tags)})`;
    if (tags.length > MAX_TAGS) return `Too many tags: ${tags.length} maximum allowed: ${MAX_TAGS}, tags: ${javaMapString(tags)}`;
    const bad = invalidChar(metric);
    if (bad !== undefined) return `Invalid metric name ("${metric}"): illegal character: ${bad}`;
    for (const [k, v] of tags) {
      const bk = invalidChar(k);
      if (bk !== undefined) return `Invalid tag name ("${k}"): illegal character: ${bk}`;
      const bv = invalidChar(v);
      if (bv !== undefined) return `Invalid tag value with key [${k}] ("${v}"): illegal character: ${bv}`;
    }
  }
  return storable(metric, tags);
}

/**
 * Tags.validateString: a-z A-Z 0-9 - _ . / and any Unicode letter
 * (Character.isLetter, per UTF-16 unit); tsd.core.tag.allow_specialchars is empty.
 */
function invalidChar(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46 || c === 47) continue;
    if (c > 127 && LETTER.test(s[i])) continue;
    return s[i];
  }
  return undefined;
}
const LETTER = /^\p{L}$/u;

const RESERVED_TAG_KEYS = new Set(['time', '_measurement', '_field']);
const UNSTORABLE = /[\n\r\0]/;

/** What line protocol (the WAL's format) cannot represent, in OpenTSDB's wording style. */
function storable(metric: string, tags: Array<[string, string]>): string | undefined {
  if (UNSTORABLE.test(metric)) return `Invalid metric name ("${metric}"): illegal character: ${JSON.stringify(metric.match(UNSTORABLE)![0]).slice(1, -1)}`;
  if (metric.charCodeAt(0) === 35) return `Invalid metric name ("${metric}"): must not start with #`;
  if (metric.endsWith('\\')) return `Invalid metric name ("${metric}"): must not end with a backslash`;
  for (const [k, v] of tags) {
    if (RESERVED_TAG_KEYS.has(k)) return `Invalid tag name ("${k}"): reserved by the storage`;
    for (const [what, s] of [['tag name', k], [`tag value with key [${k}]`, v]] as const) {
      if (UNSTORABLE.test(s)) return `Invalid ${what} ("${s}"): illegal character: ${JSON.stringify(s.match(UNSTORABLE)![0]).slice(1, -1)}`;
      if (s.endsWith('\\')) return `Invalid ${what} ("${s}"): must not end with a backslash`;
    }
  }
  return undefined;
}
