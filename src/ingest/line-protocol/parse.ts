// Line protocol parser. Pure: bytes in, a columnar LineBatch out; the clock is
// passed in. Acceptance and error words follow the InfluxDB 2.x server parser
// (models/points.go, ParsePointsWithPrecision), see
// https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/, with two deliberate
// extensions documented in docs/line-protocol.md: a "\r" before "\n" (or at the
// end of the body) ends the line, as the lp2 grammar allows, and unsigned `u`
// integers are always accepted (as InfluxDB 2 and 3 do).

import { truncateTo, type Precision, type SecNsec } from '../../core/time.ts';
import { type LineBatch, type LineError, createBatch } from './batch.ts';
import { CH_BACKSLASH, CH_COMMA, CH_CR, CH_EQ, CH_HASH, CH_NL, CH_NUL, CH_QUOTE, CH_SPACE, CH_TAB, LineFailure, Scratch } from './parse-core.ts';
import { parsePoint } from './parse-exact.ts';
import { parsePlain } from './parse-plain.ts';

export interface ParseOptions {
  /** Unit of the timestamps in the body; `auto` guesses per value as InfluxDB 3 does. */
  precision: Precision | 'auto';
  /** Time given to points without a timestamp (truncated to the precision). */
  now: SecNsec;
  /** InfluxDB 2 refuses the tag keys `_measurement`, `_field` and `time`. Default true. */
  rejectReservedTags?: boolean;
  /** Tests: skip the fast path, to compare both. */
  exactOnly?: boolean;
}

export function parseLineProtocol(input: Uint8Array, options: ParseOptions): LineBatch {
  // A Buffer view (no copy) so consumers can use Buffer's fast latin1/utf8 slicing.
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // Capacity from the number of newlines (a fast native scan) and a generous
  // fields-per-point guess; the arrays grow if a body has more.
  let newlines = 0;
  for (let p = buf.indexOf(CH_NL); p >= 0; p = buf.indexOf(CH_NL, p + 1)) newlines++;
  const estimate = newlines + 2;
  const batch = createBatch(buf, estimate, estimate * 4);
  const scratch = new Scratch();
  const rejectReserved = options.rejectReservedTags !== false;
  const nowDefault =
    options.precision === 'auto' ? options.now : truncateTo(options.now, options.precision);
  const len = buf.length;
  let pos = 0;
  let lineNo = 1;
  let nextQuote = -2; // position of the next '"' at or after pos; -1 when none is left
  let nextBackslash = -2; // likewise for '\\'
  const fast = options.exactOnly !== true;
  while (pos < len) {
    const blockStart = pos;
    swallowedNewline = false;
    // Fast path: the newline found natively ends the line unless a quote in
    // the line could hide it or a backslash right before it escapes it; then
    // Go's exact scanLine decides.
    let nl = buf.indexOf(CH_NL, pos);
    if (nl < 0) nl = len;
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(CH_QUOTE, pos);
    const blockEnd = (nextQuote === -1 || nextQuote >= nl) && (nl === pos || buf[nl - 1] !== CH_BACKSLASH) ? nl : scanLine(buf, pos, len);
    const startLine = lineNo;
    if (swallowedNewline) for (let k = blockStart; k < blockEnd && k < len; k++) if (buf[k] === CH_NL) lineNo++;
    pos = blockEnd + 1;
    if (blockEnd < len) lineNo++;

    let s = blockStart;
    let e = blockEnd;
    // A block closed by EOF inside a quote may end in the newline; Go strips one.
    if (e > s && buf[e - 1] === CH_NL) e--;
    // lp2 grammar: lines = line { [ "\r" ] "\n" line } [ "\r" ].
    if (e > s && buf[e - 1] === CH_CR) e--;
    while (s < e && (buf[s] === CH_SPACE || buf[s] === CH_TAB || buf[s] === CH_NUL)) s++;
    if (s >= e || buf[s] === CH_HASH) continue;
    batch.lines++;
    // Lines without escapes or quotes take the fast path; it declines (or
    // throws) on anything unusual, and the exact path then decides.
    if (fast) {
      if (nextBackslash !== -1 && nextBackslash < s) nextBackslash = buf.indexOf(CH_BACKSLASH, s);
      if ((nextQuote === -1 || nextQuote >= e) && (nextBackslash === -1 || nextBackslash >= e)) {
        let done = false;
        try {
          done = parsePlain(batch, scratch, s, e, startLine, options.precision, nowDefault, rejectReserved);
        } catch (err) {
          if (!(err instanceof LineFailure)) throw err;
          rollbackFields(batch);
        }
        if (done) continue;
      }
    }
    try {
      parsePoint(batch, scratch, s, e, startLine, options.precision, nowDefault, rejectReserved);
    } catch (err) {
      if (!(err instanceof LineFailure)) throw err;
      rollbackFields(batch);
      batch.errors.push(lineError(buf, s, e, startLine, batch.lines, err));
    }
  }
  return batch;
}

function rollbackFields(b: LineBatch): void {
  const keep = b.fieldStart[b.n];
  for (let f = keep; f < b.fieldCount; f++) b.big.delete(f);
  b.fieldCount = keep;
}

function lineError(buf: Uint8Array, s: number, e: number, line: number, ordinal: number, f: LineFailure): LineError {
  const text = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
  return { line, ordinal, text, kind: f.kind, reason: f.message, message: `unable to parse '${text}': ${f.message}` };
}

/** Set by scanLine when a block holds a newline (quoted or escaped), so line numbers must be recounted. */
let swallowedNewline = false;

/** Go scanLine: a line ends at a '\n' that is not inside a quoted field value. */
function scanLine(buf: Uint8Array, i: number, len: number): number {
  let quoted = false;
  let fields = false;
  let equals = 0;
  let commas = 0;
  while (i < len) {
    const c = buf[i];
    if (c === CH_BACKSLASH) {
      if (buf[i + 1] === CH_NL) swallowedNewline = true;
      i += 2;
      continue;
    }
    if (c === CH_SPACE) fields = true;
    if (fields) {
      if (!quoted && c === CH_EQ) {
        i++;
        equals++;
        continue;
      } else if (!quoted && c === CH_COMMA) {
        i++;
        commas++;
        continue;
      } else if (c === CH_QUOTE && equals > commas) {
        i++;
        quoted = !quoted;
        continue;
      }
    }
    if (c === CH_NL) {
      if (!quoted) break;
      swallowedNewline = true;
    }
    i++;
  }
  return i < len ? i : len;
}

