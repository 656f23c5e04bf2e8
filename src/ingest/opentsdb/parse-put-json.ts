// The body of POST /api/put, read the way OpenTSDB 2.4 reads it
// (HttpJsonSerializer.parsePutV1 -> Jackson -> IncomingDataPoint):
//   - the trimmed body starts with '{' (one point) or '[' (an array of points);
//     anything else: "The JSON must start as an object or an array";
//   - a syntax error anywhere discards every point: "Unable to parse the given
//     JSON" (the doc's NOTE), with the parser's complaint as details;
//   - the fields are Strings (metric, value), a primitive long (timestamp) and
//     a Map<String,String> (tags), so Jackson coerces scalars: a number value
//     keeps its text ("42.00"), true becomes "true", a missing or null
//     timestamp is 0; a wrong shape (an object for a value) is a syntax error;
//   - unknown fields are ignored (@JsonIgnoreProperties(ignoreUnknown = true));
//   - NaN, +INF, -INF, Infinity, +Infinity, -Infinity are numbers
//     (ALLOW_NON_NUMERIC_NUMBERS; TestPutRpc ValueNaN, ValueINF...), while
//     Nan, INF and +inf are syntax errors (ValueNaNCase, ValueINFUnsigned).
// Pure: text in, raw points or one body-level error out. Validation of each
// point (which depends on the mode) is validate-point.ts.

import { JsonError, JsonReader } from './json-reader.ts';

export interface RawPoint {
  metric: string | null;
  /** Jackson's primitive long: 0 when missing or null. */
  timestamp: number;
  /** The value's text as sent (a number keeps its spelling), null when missing or null. */
  value: string | null;
  /** null when missing or null; a tag value may be JSON null. */
  tags: Array<[string, string | null]> | null;
}

export type PutJsonResult =
  | { ok: true; points: RawPoint[] }
  | { ok: false; message: string; details?: string };

export function parsePutJson(body: string): PutJsonResult {
  const text = body.trim();
  if (text.length === 0) return { ok: false, message: 'Missing request content' };
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return { ok: false, message: 'The JSON must start as an object or an array' };
  const r = new PutReader(text);
  let points: RawPoint[];
  try {
    if (first === 0x7b) points = [r.point()];
    else {
      points = [];
      r.pos++;
      r.ws();
      if (r.peek() === 0x5d) r.pos++;
      else {
        for (;;) {
          r.ws();
          if (r.peek() !== 0x7b) r.fail(r.peek() === 0x6e && text.startsWith('null', r.pos) ? 'null element in the array of data points' : 'expected an object');
          points.push(r.point());
          r.ws();
          const c = r.peek();
          r.pos++;
          if (c === 0x5d) break;
          if (c !== 0x2c) r.fail("was expecting comma to separate Array entries", r.pos - 1);
        }
      }
    }
    // Jackson ignores what follows the first value (FAIL_ON_TRAILING_TOKENS is off).
  } catch (e) {
    if (e instanceof JsonError) return { ok: false, message: 'Unable to parse the given JSON', details: e.message };
    throw e;
  }
  if (points.length === 0) return { ok: false, message: 'No datapoints found in content' };
  return { ok: true, points };
}

/** The put body's shape over the Jackson-like reader: IncomingDataPoint's properties. */
class PutReader extends JsonReader {

  point(): RawPoint {
    const p: RawPoint = { metric: null, timestamp: 0, value: null, tags: null };
    this.pos++; // '{'
    this.ws();
    if (this.peek() === 0x7d) {
      this.pos++;
      return p;
    }
    for (;;) {
      this.ws();
      if (this.peek() !== 0x22) this.fail('was expecting double-quote to start field name');
      const key = this.string();
      this.expect(0x3a, "was expecting a colon to separate field name and value");
      this.ws();
      switch (key) {
        case 'metric':
          p.metric = this.stringField('metric');
          break;
        case 'value':
          p.value = this.stringField('value');
          break;
        case 'timestamp':
          p.timestamp = this.longField();
          break;
        case 'tags':
          p.tags = this.tagsField();
          break;
        default:
          this.skipValue();
      }
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c === 0x7d) return p;
      if (c !== 0x2c) this.fail('was expecting comma to separate Object entries', this.pos - 1);
    }
  }

  /** A String property: scalars are coerced to their text, null stays null. */
  stringField(name: string): string | null {
    const v = this.scalar(name);
    return v.kind === 'null' ? null : v.text;
  }

  /** A primitive long: numbers (fractions truncated), numeric strings, null = 0. */
  longField(): number {
    const at = this.pos;
    const v = this.scalar('timestamp');
    if (v.kind === 'null') return 0;
    if (v.kind === 'bool') this.fail('Cannot deserialize value of type `long` from Boolean value', at);
    const t = v.text.trim();
    if (v.kind === 'string' && t === '') return 0;
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) this.fail(`Cannot deserialize value of type \`long\` from String "${v.text}": not a valid representation`, at);
    const n = Math.trunc(Number(t));
    if (!Number.isFinite(n) || Math.abs(n) > 9223372036854775807) this.fail(`Numeric value (${v.text}) out of range of long`, at);
    return n;
  }

  tagsField(): Array<[string, string | null]> | null {
    const c = this.peek();
    if (c === 0x6e && this.s.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    if (c !== 0x7b) this.fail('Cannot deserialize value of type `java.util.HashMap<java.lang.String,java.lang.String>` from a non-object');
    this.pos++;
    const tags: Array<[string, string | null]> = [];
    this.ws();
    if (this.peek() === 0x7d) {
      this.pos++;
      return tags;
    }
    for (;;) {
      this.ws();
      if (this.peek() !== 0x22) this.fail('was expecting double-quote to start field name');
      const k = this.string();
      this.expect(0x3a, 'was expecting a colon to separate field name and value');
      this.ws();
      const v = this.stringField('tag value');
      // HashMap.put: a repeated key keeps its first position and the last value.
      const i = tags.findIndex((t) => t[0] === k);
      if (i >= 0) tags[i][1] = v;
      else tags.push([k, v]);
      this.ws();
      const d = this.peek();
      this.pos++;
      if (d === 0x7d) return tags;
      if (d !== 0x2c) this.fail('was expecting comma to separate Object entries', this.pos - 1);
    }
  }
}
