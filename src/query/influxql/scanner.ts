// The InfluxQL scanner, a port of influxdata/influxql scanner.go. It keeps the
// Go reader's position bookkeeping exactly (a rune ring buffer of 3, CR/CRLF
// read as LF, EOF counted once and then repeated one char further on), because
// parse errors print those positions: "found EOF, expected ... at line 1, char 8".

import { isDigit, isIdentChar, isLetter, isWhitespace, lookup, type Pos, type Token } from './token.ts';

export const EOF_CH = '';

/** The Go `reader`: runes with positions and up to 3 unreads. */
export class Reader {
  private readonly runes: string[];
  private idx = 0;
  private i = 0;
  private n = 0;
  private pos: Pos = { line: 0, char: 0 };
  private readonly buf: Array<{ ch: string; pos: Pos }> = [
    { ch: EOF_CH, pos: { line: 0, char: 0 } },
    { ch: EOF_CH, pos: { line: 0, char: 0 } },
    { ch: EOF_CH, pos: { line: 0, char: 0 } },
  ];
  private eof = false;

  constructor(text: string) {
    this.runes = Array.from(text.replace(/\r\n?/g, '\n'));
  }

  read(): { ch: string; pos: Pos } {
    if (this.n > 0) {
      this.n--;
      return this.curr();
    }
    const ch = this.idx < this.runes.length ? this.runes[this.idx++] : EOF_CH;
    this.i = (this.i + 1) % 3;
    this.buf[this.i] = { ch, pos: { ...this.pos } };
    if (ch === '\n') {
      this.pos.line++;
      this.pos.char = 0;
    } else if (!this.eof) {
      this.pos.char++;
    }
    if (ch === EOF_CH) this.eof = true;
    return this.curr();
  }

  unread(): void {
    this.n++;
  }

  curr(): { ch: string; pos: Pos } {
    return this.buf[(this.i - this.n + 3) % 3];
  }

  /** io.RuneScanner view used by ScanString / ScanDelimited. */
  readRune(): string {
    return this.read().ch;
  }
}

export interface Scanned {
  tok: Token;
  pos: Pos;
  lit: string;
}

class BadEscape extends Error {
  constructor(readonly lit: string) {
    super('bad escape');
  }
}
class BadString extends Error {
  constructor(readonly lit: string) {
    super('bad string');
  }
}

export class Scanner {
  constructor(readonly r: Reader) {}

  scan(): Scanned {
    const { ch: ch0, pos } = this.r.read();
    if (isWhitespace(ch0)) return this.scanWhitespace();
    if (isLetter(ch0) || ch0 === '_') {
      this.r.unread();
      return this.scanIdent(true);
    }
    if (isDigit(ch0)) return this.scanNumber();
    switch (ch0) {
      case EOF_CH:
        return { tok: 'EOF', pos, lit: '' };
      case '"':
        this.r.unread();
        return this.scanIdent(true);
      case "'":
        return this.scanString();
      case '.': {
        const ch1 = this.r.read().ch;
        this.r.unread();
        if (isDigit(ch1)) return this.scanNumber();
        return { tok: '.', pos, lit: '' };
      }
      case '$': {
        const s = this.scanIdent(false);
        if (s.tok !== 'IDENT') return { tok: s.tok, pos, lit: '$' + s.lit };
        return { tok: 'BOUNDPARAM', pos, lit: '$' + s.lit };
      }
      case '+':
        return { tok: '+', pos, lit: '' };
      case '-': {
        const ch1 = this.r.read().ch;
        if (ch1 === '-') {
          this.skipUntilNewline();
          return { tok: 'COMMENT', pos, lit: '' };
        }
        this.r.unread();
        return { tok: '-', pos, lit: '' };
      }
      case '*':
        return { tok: '*', pos, lit: '' };
      case '/': {
        const ch1 = this.r.read().ch;
        if (ch1 === '*') {
          if (!this.skipUntilEndComment()) return { tok: 'ILLEGAL', pos, lit: '' };
          return { tok: 'COMMENT', pos, lit: '' };
        }
        this.r.unread();
        return { tok: '/', pos, lit: '' };
      }
      case '%':
        return { tok: '%', pos, lit: '' };
      case '&':
        return { tok: '&', pos, lit: '' };
      case '|':
        return { tok: '|', pos, lit: '' };
      case '^':
        return { tok: '^', pos, lit: '' };
      case '=':
        if (this.r.read().ch === '~') return { tok: '=~', pos, lit: '' };
        this.r.unread();
        return { tok: '=', pos, lit: '' };
      case '!': {
        const ch1 = this.r.read().ch;
        if (ch1 === '=') return { tok: '!=', pos, lit: '' };
        if (ch1 === '~') return { tok: '!~', pos, lit: '' };
        this.r.unread();
        break;
      }
      case '>':
        if (this.r.read().ch === '=') return { tok: '>=', pos, lit: '' };
        this.r.unread();
        return { tok: '>', pos, lit: '' };
      case '<': {
        const ch1 = this.r.read().ch;
        if (ch1 === '=') return { tok: '<=', pos, lit: '' };
        if (ch1 === '>') return { tok: '!=', pos, lit: '' };
        this.r.unread();
        return { tok: '<', pos, lit: '' };
      }
      case '(':
        return { tok: '(', pos, lit: '' };
      case ')':
        return { tok: ')', pos, lit: '' };
      case ',':
        return { tok: ',', pos, lit: '' };
      case ';':
        return { tok: ';', pos, lit: '' };
      case ':':
        if (this.r.read().ch === ':') return { tok: '::', pos, lit: '' };
        this.r.unread();
        return { tok: ':', pos, lit: '' };
    }
    return { tok: 'ILLEGAL', pos, lit: ch0 };
  }

  private scanWhitespace(): Scanned {
    const { ch, pos } = this.r.curr();
    let buf = ch;
    for (;;) {
      const c = this.r.read().ch;
      if (c === EOF_CH) break;
      if (!isWhitespace(c)) {
        this.r.unread();
        break;
      }
      buf += c;
    }
    return { tok: 'WS', pos, lit: buf };
  }

  private skipUntilNewline(): void {
    for (;;) {
      const c = this.r.read().ch;
      if (c === '\n' || c === EOF_CH) return;
    }
  }

  private skipUntilEndComment(): boolean {
    for (;;) {
      const c1 = this.r.read().ch;
      if (c1 === '*') {
        for (;;) {
          const c2 = this.r.read().ch;
          if (c2 === '/') return true;
          if (c2 === '*') continue;
          if (c2 === EOF_CH) return false;
          break;
        }
      } else if (c1 === EOF_CH) return false;
    }
  }

  scanIdent(doLookup: boolean): Scanned {
    const { pos } = this.r.read();
    this.r.unread();
    let buf = '';
    for (;;) {
      const ch = this.r.read().ch;
      if (ch === EOF_CH) break;
      if (ch === '"') {
        const s = this.scanString();
        if (s.tok === 'BADSTRING' || s.tok === 'BADESCAPE') return s;
        return { tok: 'IDENT', pos, lit: s.lit };
      }
      if (isIdentChar(ch)) {
        this.r.unread();
        buf += scanBareIdent(this.r);
      } else {
        this.r.unread();
        break;
      }
    }
    if (doLookup) {
      const tok = lookup(buf);
      if (tok !== 'IDENT') return { tok, pos, lit: '' };
    }
    return { tok: 'IDENT', pos, lit: buf };
  }

  scanString(): Scanned {
    this.r.unread();
    let { pos } = this.r.curr();
    try {
      return { tok: 'STRING', pos, lit: scanQuoted(this.r) };
    } catch (e) {
      if (e instanceof BadString) return { tok: 'BADSTRING', pos, lit: e.lit };
      if (e instanceof BadEscape) {
        pos = this.r.curr().pos;
        return { tok: 'BADESCAPE', pos, lit: e.lit };
      }
      throw e;
    }
  }

  scanRegex(): Scanned {
    let { pos } = this.r.curr();
    try {
      return { tok: 'REGEX', pos, lit: scanDelimited(this.r, '/', '/') };
    } catch (e) {
      if (e instanceof BadEscape) {
        pos = this.r.curr().pos;
        return { tok: 'BADESCAPE', pos, lit: '' };
      }
      return { tok: 'BADREGEX', pos, lit: '' };
    }
  }

  private scanNumber(): Scanned {
    let buf = '';
    const { ch, pos } = this.r.curr();
    if (ch === '.') {
      const ch1 = this.r.read().ch;
      this.r.unread();
      if (!isDigit(ch1)) return { tok: 'ILLEGAL', pos, lit: '.' };
      this.r.unread();
    } else {
      this.r.unread();
    }
    buf += this.scanDigits();
    let isDecimal = false;
    const ch0 = this.r.read().ch;
    if (ch0 === '.') {
      isDecimal = true;
      const ch1 = this.r.read().ch;
      if (isDigit(ch1)) {
        buf += ch0 + ch1 + this.scanDigits();
      } else {
        this.r.unread();
      }
    } else {
      this.r.unread();
    }
    if (!isDecimal) {
      const c0 = this.r.read().ch;
      if (isLetter(c0) || c0 === 'µ') {
        buf += c0;
        for (;;) {
          const c1 = this.r.read().ch;
          if (!isLetter(c1) && c1 !== 'µ') {
            this.r.unread();
            break;
          }
          buf += c1;
        }
        for (;;) {
          const c = this.r.read().ch;
          if (isLetter(c) || c === 'µ' || isDigit(c)) buf += c;
          else {
            this.r.unread();
            break;
          }
        }
        return { tok: 'DURATIONVAL', pos, lit: buf };
      }
      this.r.unread();
      return { tok: 'INTEGER', pos, lit: buf };
    }
    return { tok: 'NUMBER', pos, lit: buf };
  }

  private scanDigits(): string {
    let buf = '';
    for (;;) {
      const ch = this.r.read().ch;
      if (!isDigit(ch)) {
        this.r.unread();
        break;
      }
      buf += ch;
    }
    return buf;
  }
}

function scanBareIdent(r: Reader): string {
  let buf = '';
  for (;;) {
    const ch = r.readRune();
    if (ch === EOF_CH) break;
    if (!isIdentChar(ch)) {
      r.unread();
      break;
    }
    buf += ch;
  }
  return buf;
}

/** ScanString: a quoted string with \n \\ \" \' escapes. */
function scanQuoted(r: Reader): string {
  const ending = r.readRune();
  if (ending === EOF_CH) throw new BadString('');
  let buf = '';
  for (;;) {
    const ch0 = r.readRune();
    if (ch0 === ending) return buf;
    if (ch0 === EOF_CH || ch0 === '\n') throw new BadString(buf);
    if (ch0 === '\\') {
      const ch1 = r.readRune();
      if (ch1 === 'n') buf += '\n';
      else if (ch1 === '\\') buf += '\\';
      else if (ch1 === '"') buf += '"';
      else if (ch1 === "'") buf += "'";
      else throw new BadEscape(ch0 + ch1);
    } else buf += ch0;
  }
}

/** ScanDelimited for regexes: only \/ is an escape; other backslashes pass through. */
function scanDelimited(r: Reader, start: string, end: string): string {
  const ch = r.readRune();
  if (ch === EOF_CH) throw new Error('EOF');
  if (ch !== start) throw new Error(`expected ${start}; found ${ch}`);
  let buf = '';
  for (;;) {
    const ch0 = r.readRune();
    if (ch0 === end) return buf;
    if (ch0 === EOF_CH) throw new Error('EOF');
    if (ch0 === '\n') throw new Error('delimited text contains new line');
    if (ch0 === '\\') {
      const ch1 = r.readRune();
      if (ch1 === EOF_CH) throw new Error('EOF');
      if (ch1 === '/') buf += '/';
      else {
        r.unread();
        buf += ch0;
      }
    } else buf += ch0;
  }
}

/** bufScanner: the parser's view, with up to 3 tokens of Unscan. */
export class BufScanner {
  readonly s: Scanner;
  private i = 0;
  private n = 0;
  private readonly buf: Scanned[] = [
    { tok: 'EOF', pos: { line: 0, char: 0 }, lit: '' },
    { tok: 'EOF', pos: { line: 0, char: 0 }, lit: '' },
    { tok: 'EOF', pos: { line: 0, char: 0 }, lit: '' },
  ];

  constructor(text: string) {
    this.s = new Scanner(new Reader(text));
  }

  scan(): Scanned {
    return this.scanFunc(() => this.s.scan());
  }
  scanRegex(): Scanned {
    return this.scanFunc(() => this.s.scanRegex());
  }
  private scanFunc(fn: () => Scanned): Scanned {
    if (this.n > 0) {
      this.n--;
      return this.curr();
    }
    this.i = (this.i + 1) % 3;
    this.buf[this.i] = fn();
    return this.curr();
  }
  unscan(): void {
    this.n++;
  }
  curr(): Scanned {
    return this.buf[(this.i - this.n + 3) % 3];
  }
}
