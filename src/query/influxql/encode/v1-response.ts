// InfluxDB 1.x /query response bodies (services/httpd/handler.go,
// response_writer.go): compact JSON + "\n" (or indented with pretty=true),
// times as RFC3339Nano UTC or epoch integers, floats as Go's encoding/json
// prints them, integers with all their digits; CSV for Accept: text/csv.

import type { ResultSeries, StatementResult } from '../executor.ts';
import { TimeCell, type OutCell } from '../select/values.ts';
import { formatInZone } from '../select/zone.ts';
import type { TimeSlicer } from '../../time-slice.ts';

export type Epoch = '' | 'ns' | 'u' | 'ms' | 's' | 'm' | 'h';

// handler.go convertToEpoch knows only "u" for microseconds; "µ" falls through to nanoseconds.
const DIVISORS: Record<string, bigint> = { u: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** convertToEpoch: unknown units mean nanoseconds. Go's integer division truncates toward zero. */
export function epochDivisor(epoch: string): bigint {
  return DIVISORS[epoch] ?? 1n;
}

/** time.Time in RFC3339Nano, UTC: "2009-11-10T23:00:00Z", fraction without trailing zeros. */
export function rfc3339Nano(ns: bigint): string {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const d = new Date(Number(sec) * 1000);
  let iso = d.toISOString();
  // toISOString: YYYY-MM-DDTHH:mm:ss.sssZ (or ±YYYYYY for far years)
  iso = iso.replace(/\.\d{3}Z$/, '');
  const f = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return iso + f + 'Z';
}

/** Go encoding/json float64: shortest round-trip digits; exponent form below 1e-6 and from 1e21 (as JavaScript's). */
export function goJsonFloat(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Object.is(v, -0)) return '-0';
  return JSON.stringify(v);
}

/** strconv.FormatFloat(v, 'f', -1, 64): never an exponent. */
export function goFloatF(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const [mant, expStr] = s.split(/e/i);
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const intLen = mant.replace('-', '').split('.')[0].length;
  const point = intLen + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

export interface EncodeOptions {
  epoch: string;
  pretty: boolean;
}

function cellJson(c: OutCell, o: EncodeOptions): string {
  if (c === null) return 'null';
  if (c instanceof TimeCell) {
    if (o.epoch) return (c.ns / epochDivisor(o.epoch)).toString();
    return JSON.stringify(c.tz ? formatInZone(c.ns, c.tz) : rfc3339Nano(c.ns));
  }
  if (typeof c === 'bigint') return c.toString();
  if (typeof c === 'number') return goJsonFloat(c);
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  return goString(c);
}

/** encoding/json string escaping (HTML-safe: <, >, & as \u003c...). */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A series' rows, encoded one row at a time (so the encoding can yield between rows). */
class RowsJ {
  constructor(
    readonly rows: OutCell[][],
    readonly o: EncodeOptions,
  ) {}
}

type J = { raw: string } | RowsJ | J[] | { [k: string]: J };

function seriesJ(s: ResultSeries, o: EncodeOptions): J {
  const out: Record<string, J> = {};
  if (s.name) out.name = { raw: goString(s.name) };
  if (s.tags && Object.keys(s.tags).length > 0) {
    const t: Record<string, J> = {};
    for (const k of Object.keys(s.tags).sort()) t[k] = { raw: goString(s.tags[k]) };
    out.tags = t;
  }
  if (s.columns.length > 0) out.columns = s.columns.map((c) => ({ raw: goString(c) }));
  if (s.values.length > 0) out.values = new RowsJ(s.values, o);
  if (s.partial) out.partial = { raw: 'true' };
  return out;
}

export function resultJ(r: StatementResult, o: EncodeOptions): J {
  const out: Record<string, J> = { statement_id: { raw: String(r.statementId) } };
  if (r.series && r.series.length > 0) out.series = r.series.map((s) => seriesJ(s, o));
  if (r.messages && r.messages.length > 0) out.messages = r.messages.map((m) => ({ level: { raw: goString(m.level) }, text: { raw: goString(m.text) } }));
  if (r.partial) out.partial = { raw: 'true' };
  if (r.error) out.error = { raw: goString(r.error) };
  return out;
}

function isRaw(j: J): j is { raw: string } {
  // Objects of J are keyed by field names, never by `raw` alone.
  return typeof (j as { raw?: unknown }).raw === 'string' && !Array.isArray(j) && !(j instanceof RowsJ) && Object.keys(j).length === 1;
}

/**
 * Serialises compactly, or as json.MarshalIndent(v, "", "    ") does, in
 * pieces: a series' values one row per piece, so a caller may yield between
 * them (encodeJsonSliced). stringifyJ joins the same pieces.
 */
function* pieces(j: J, pretty: boolean, indent = ''): Generator<string, void, undefined> {
  const inner = indent + '    ';
  if (j instanceof RowsJ) {
    const { rows, o } = j;
    if (rows.length === 0) return void (yield '[]');
    // A few rows are one piece: a thousand small series would otherwise cost a piece per row.
    let piece = pretty ? '[\n' : '[';
    for (let i = 0; i < rows.length; i++) {
      piece += (i > 0 ? (pretty ? ',\n' + inner : ',') : pretty ? inner : '') + rowJson(rows[i], o, pretty, inner);
      if (piece.length >= PIECE_CHARS) {
        yield piece;
        piece = '';
      }
    }
    return void (yield piece + (pretty ? '\n' + indent + ']' : ']'));
  }
  if (isRaw(j)) return void (yield j.raw);
  if (Array.isArray(j)) {
    if (j.length === 0) return void (yield '[]');
    yield pretty ? '[\n' : '[';
    for (let i = 0; i < j.length; i++) {
      const sep = i > 0 ? (pretty ? ',\n' + inner : ',') : pretty ? inner : '';
      const c = j[i];
      // Leaves inline: no generator per column name or tag value.
      if (isRaw(c)) yield sep + c.raw;
      else {
        yield sep;
        yield* pieces(c, pretty, inner);
      }
    }
    return void (yield pretty ? '\n' + indent + ']' : ']');
  }
  const keys = Object.keys(j);
  if (keys.length === 0) return void (yield '{}');
  yield pretty ? '{\n' : '{';
  for (let i = 0; i < keys.length; i++) {
    const k = JSON.stringify(keys[i]);
    const head = (i > 0 ? ',' : '') + (pretty ? `${i > 0 ? '\n' : ''}${inner}${k}: ` : `${k}:`);
    const c = j[keys[i]];
    if (isRaw(c)) yield head + c.raw;
    else {
      yield head;
      yield* pieces(c, pretty, inner);
    }
  }
  yield pretty ? '\n' + indent + '}' : '}';
}

/** Characters of rows gathered into one piece before a caller may yield (a few hundred µs of encoding). */
const PIECE_CHARS = 16_384;

/** One row as an array of raw values would serialise (the row's own indent is `indent`). */
function rowJson(row: OutCell[], o: EncodeOptions, pretty: boolean, indent: string): string {
  if (row.length === 0) return '[]';
  if (!pretty) {
    let out = '[' + cellJson(row[0], o);
    for (let i = 1; i < row.length; i++) out += ',' + cellJson(row[i], o);
    return out + ']';
  }
  const inner = indent + '    ';
  return '[\n' + row.map((c) => inner + cellJson(c, o)).join(',\n') + '\n' + indent + ']';
}

export function stringifyJ(j: J, pretty: boolean, indent = ''): string {
  if (isRaw(j)) return j.raw;
  let out = '';
  for (const p of pieces(j, pretty, indent)) out += p;
  return out;
}

/**
 * encoding/json refuses ±Inf and NaN; handler.go's jsonFormatter then writes
 * the marshalling error instead of the body (status 200 already sent).
 */
function* unsupportedFloat(results: StatementResult[]): Generator<undefined, string | undefined, undefined> {
  for (const r of results) {
    for (const s of r.series ?? []) {
      for (const row of s.values) {
        yield;
        for (const c of row) {
          if (typeof c === 'number' && !Number.isFinite(c)) {
            const v = Number.isNaN(c) ? 'NaN' : c > 0 ? '+Inf' : '-Inf';
            return `json: error calling MarshalJSON for type httpd.Response: json: error calling MarshalJSON for type *query.Result: json: unsupported value: ${v}`;
          }
        }
      }
    }
  }
  return undefined;
}

/** Drains a generator, yielding the event loop between slices when a slicer is given. */
async function drain<T, R>(g: Generator<T, R, undefined>, each: (x: T) => void, sl?: TimeSlicer): Promise<R> {
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
    each(n.value);
    if (sl?.due()) await sl.next();
  }
}

function drainSync<T, R>(g: Generator<T, R, undefined>, each: (x: T) => void): R {
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
    each(n.value);
  }
}

function topJ(results: StatementResult[], o: EncodeOptions, error?: string): J {
  const top: Record<string, J> = { results: results.map((r) => resultJ(r, o)) };
  if (results.length === 0) delete top.results;
  if (error) top.error = { raw: goString(error) };
  return top;
}

export function encodeJson(results: StatementResult[], o: EncodeOptions, error?: string): string {
  const bad = drainSync(unsupportedFloat(results), () => {});
  if (bad) return bad + '\n';
  return stringifyJ(topJ(results, o, error), o.pretty) + '\n';
}

/**
 * encodeJson, byte for byte, in slices: the float check and the rows are
 * walked a few ms at a time with the event loop let in between (time-slice.ts),
 * so 100 000 rows (about 3 MB) never hold it in one piece.
 */
export async function encodeJsonSliced(results: StatementResult[], o: EncodeOptions, sl: TimeSlicer, error?: string): Promise<string> {
  const bad = await drain(unsupportedFloat(results), () => {}, sl);
  if (bad) return bad + '\n';
  const parts: string[] = [];
  await drain(pieces(topJ(results, o, error), o.pretty), (p) => parts.push(p), sl);
  parts.push('\n');
  return parts.join('');
}

/**
 * services/httpd/handler.go, non-chunked: results for the same statement are
 * merged, and a later error replaces what came before (so the "not executed"
 * that 1.x's executor sends with the failed statement's id wins).
 */
export function mergeResults(results: StatementResult[]): StatementResult[] {
  const out: StatementResult[] = [];
  for (const r0 of results) {
    // The emitter cuts rows at the default chunk size (10000) even when the
    // response is not chunked; the merge appends the later pieces to the
    // first one, which keeps its "partial": true (query/emitter.go).
    const r = r0.series?.some((s) => s.values.length > DEFAULT_CHUNK_SIZE) ? { ...r0, series: r0.series.map((s) => (s.values.length > DEFAULT_CHUNK_SIZE ? { ...s, partial: true } : s)) } : r0;
    const last = out[out.length - 1];
    if (last && last.statementId === r.statementId) {
      if (r.error) out[out.length - 1] = r;
      else if (r.series) last.series = [...(last.series ?? []), ...r.series];
      continue;
    }
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------- chunking

/** services/httpd/handler.go DefaultChunkSize. */
export const DEFAULT_CHUNK_SIZE = 10000;

/**
 * Chunked responses as 1.x's emitter cuts them (query/emitter.go): each
 * chunk holds one series and at most `size` of its rows; a series that goes
 * on is "partial", and every chunk but a statement's last one is "partial".
 */
export function chunkResults(results: StatementResult[], size: number): StatementResult[] {
  const out: StatementResult[] = [];
  for (const r of results) {
    if (!r.series || r.series.length === 0) {
      out.push(r);
      continue;
    }
    const pieces: ResultSeries[] = [];
    for (const s of r.series) {
      if (s.values.length === 0) pieces.push(s);
      for (let start = 0; start < s.values.length; start += size) {
        const piece: ResultSeries = { ...s, values: s.values.slice(start, start + size) };
        if (start + size < s.values.length) piece.partial = true;
        pieces.push(piece);
      }
    }
    pieces.forEach((piece, i) => {
      out.push({ statementId: r.statementId, series: [piece], ...(r.messages && i === 0 ? { messages: r.messages } : {}), ...(i < pieces.length - 1 ? { partial: true } : {}) });
    });
  }
  return out;
}

// ---------------------------------------------------------------- CSV

function csvField(s: string): string {
  return s === '' ? '' : /[",\r\n]/.test(s) || s[0] === ' ' || s[0] === '\t' ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellCsv(c: OutCell, o: EncodeOptions): string {
  if (c === null) return '';
  if (c instanceof TimeCell) return (o.epoch ? c.ns / epochDivisor(o.epoch) : c.ns).toString();
  if (typeof c === 'number') return goFloatF(c);
  if (typeof c === 'bigint') return c.toString();
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  return c;
}

function tagsKey(tags: Record<string, string> | undefined): string {
  if (!tags) return '';
  const esc = (s: string) => s.replace(/[,= ]/g, (ch) => '\\' + ch);
  return Object.keys(tags)
    .sort()
    .filter((k) => tags[k] !== '')
    .map((k) => `${esc(k)}=${esc(tags[k])}`)
    .join(',');
}

/** response_writer.go csvFormatter, one line per piece. */
function* csvPieces(results: StatementResult[], o: EncodeOptions): Generator<string, void, undefined> {
  let statementId = -1;
  const line = (fields: string[]) => fields.map(csvField).join(',') + '\n';
  for (const r of results) {
    if (r.statementId !== statementId) {
      if (!r.series || r.series.length === 0) continue;
      if (statementId >= 0) yield '\n';
      statementId = r.statementId;
      yield line(['name', 'tags', ...r.series[0].columns]);
    }
    const series = r.series ?? [];
    for (let i = 0; i < series.length; i++) {
      const s = series[i];
      if (i > 0 && series[i - 1].columns.join('\u0000') !== s.columns.join('\u0000')) {
        yield '\n';
        yield line(['name', 'tags', ...s.columns]);
      }
      for (const row of s.values) yield line([s.name ?? '', tagsKey(s.tags), ...row.map((c) => cellCsv(c, o))]);
    }
  }
}

export function encodeCsv(results: StatementResult[], o: EncodeOptions): string {
  let out = '';
  for (const p of csvPieces(results, o)) out += p;
  return out;
}

/** encodeCsv, byte for byte, in slices (as encodeJsonSliced). */
export async function encodeCsvSliced(results: StatementResult[], o: EncodeOptions, sl: TimeSlicer): Promise<string> {
  const parts: string[] = [];
  await drain(csvPieces(results, o), (p) => parts.push(p), sl);
  return parts.join('');
}
