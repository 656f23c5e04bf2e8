// A JSON reader with Jackson's tolerances, for OpenTSDB request bodies:
// ALLOW_NON_NUMERIC_NUMBERS (NaN, +INF, -INF, Infinity, +Infinity, -Infinity
// are numbers; "Nan", "INF", "+inf" are not: TestPutRpc ValueNaN, ValueINF...),
// numbers keep their spelling (getText), scalars can be read as text (a
// String property coerces numbers and booleans). Errors carry a message in
// Jackson's style, used as OpenTSDB's "details".

export class JsonError extends Error {}

export type Scalar = { kind: 'string' | 'number' | 'bool'; text: string } | { kind: 'null' };

const NON_NUMERIC = ['NaN', '+INF', '-INF', 'Infinity', '+Infinity', '-Infinity'];

export class JsonReader {
  pos = 0;
  constructor(readonly s: string) {}

  peek(): number {
    return this.pos < this.s.length ? this.s.charCodeAt(this.pos) : -1;
  }

  ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  fail(what: string, at = this.pos): never {
    const c = at < this.s.length ? `'${this.s[at]}'` : 'end-of-input';
    throw new JsonError(`Unexpected ${c} at character ${at + 1}: ${what}`);
  }

  expect(c: number, what: string): void {
    this.ws();
    if (this.peek() !== c) this.fail(what);
    this.pos++;
  }

  scalar(name: string): Scalar {
    const c = this.peek();
    if (c === 0x22) return { kind: 'string', text: this.string() };
    if (c === 0x7b || c === 0x5b) this.fail(`Cannot deserialize ${name} from ${c === 0x7b ? 'an object' : 'an array'}`);
    const s = this.s;
    if (s.startsWith('true', this.pos)) return this.word('true', 'bool');
    if (s.startsWith('false', this.pos)) return this.word('false', 'bool');
    if (s.startsWith('null', this.pos)) {
      this.pos += 4;
      this.literalEnd();
      return { kind: 'null' };
    }
    for (const w of NON_NUMERIC) if (s.startsWith(w, this.pos)) return this.word(w, 'number');
    return { kind: 'number', text: this.number() };
  }

  word(w: string, kind: 'bool' | 'number'): Scalar {
    this.pos += w.length;
    this.literalEnd();
    return { kind, text: w };
  }

  /** A literal must be followed by a separator, not more letters ("Nan", "nullx"). */
  literalEnd(): void {
    const c = this.peek();
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) this.fail('unrecognized token');
  }

  number(): string {
    const s = this.s;
    const start = this.pos;
    let p = start;
    if (s.charCodeAt(p) === 0x2d) p++;
    const intStart = p;
    while (isDigit(s.charCodeAt(p))) p++;
    if (p === intStart) this.fail('expected a value', start);
    if (p - intStart > 1 && s.charCodeAt(intStart) === 0x30) this.fail('Invalid numeric value: Leading zeroes not allowed', start);
    if (s.charCodeAt(p) === 0x2e) {
      p++;
      const f = p;
      while (isDigit(s.charCodeAt(p))) p++;
      if (p === f) this.fail('Decimal point not followed by a digit', p);
    }
    const e = s.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      const sign = s.charCodeAt(p);
      if (sign === 0x2b || sign === 0x2d) p++;
      const f = p;
      while (isDigit(s.charCodeAt(p))) p++;
      if (p === f) this.fail('Exponent indicator not followed by a digit', p);
    }
    this.pos = p;
    this.literalEnd();
    return s.slice(start, p);
  }

  string(): string {
    const s = this.s;
    let p = this.pos + 1;
    const start = p;
    // Fast path: no escapes.
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return s.slice(start, p);
      }
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break;
      p++;
    }
    let out = s.slice(start, p);
    for (;;) {
      if (p >= s.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value', p);
      const c = s.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return out;
      }
      if (c < 0x20) this.fail('Illegal unquoted character: has to be escaped using backslash to be included in string value', p);
      if (c !== 0x5c) {
        out += s[p++];
        continue;
      }
      const e = s[p + 1];
      p += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = s.slice(p, p + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character in a \\u escape', p);
          out += String.fromCharCode(parseInt(hex, 16));
          p += 4;
          break;
        }
        default:
          this.fail(`Unrecognized character escape '${e ?? ''}'`, p - 1);
      }
    }
  }

  /** Any JSON value of an ignored property, checked for syntax. */
  skipValue(depth = 0): void {
    if (depth > 512) this.fail('nesting too deep');
    this.ws();
    const c = this.peek();
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      this.pos++;
      this.ws();
      if (this.peek() === close) {
        this.pos++;
        return;
      }
      for (;;) {
        this.ws();
        if (c === 0x7b) {
          if (this.peek() !== 0x22) this.fail('was expecting double-quote to start field name');
          this.string();
          this.expect(0x3a, 'was expecting a colon to separate field name and value');
        }
        this.skipValue(depth + 1);
        this.ws();
        const d = this.peek();
        this.pos++;
        if (d === close) return;
        if (d !== 0x2c) this.fail('was expecting comma to separate entries', this.pos - 1);
      }
    }
    this.scalar('value');
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
