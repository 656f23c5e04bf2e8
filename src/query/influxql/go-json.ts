// The syntax errors Go's encoding/json Decoder reports (scanner.go), so a bad
// `params=` answers as 1.x's handler does ("error parsing query parameters:
// invalid character 'o' in literal null (expecting 'u')"). The Decoder reads
// one value: what follows it is not looked at.

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class SyntaxError extends Error {}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Checks that `text` starts with one JSON value; returns Go's error message or undefined. */
export function goJsonError(text: string): string | undefined {
  let i = 0;
  const eof = () => new SyntaxError('unexpected EOF');
  const bad = (c: string, ctx: string) => new SyntaxError(`invalid character ${quoteChar(c)} ${ctx}`);
  const skip = () => {
    while (i < text.length && isSpace(text[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      if (i + k >= text.length) throw eof();
      if (text[i + k] !== word[k]) throw bad(text[i + k], `in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    i += word.length;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) throw eof();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= text.length) throw eof();
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= text.length) throw eof();
            if (!/[0-9a-fA-F]/.test(text[i + k])) throw bad(text[i + k], 'in \\u hexadecimal character escape');
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) throw bad(e, 'in string escape code');
        i++;
        continue;
      }
      if (c < ' ') throw bad(c, 'in string literal');
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= text.length) throw eof();
      if (!isDigit(text[i])) throw bad(text[i], 'in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < text.length && isDigit(text[i])) i++;
    if (i < text.length && text[i] === '.') {
      i++;
      if (i >= text.length) throw eof();
      if (!isDigit(text[i])) throw bad(text[i], 'after decimal point in numeric literal');
      while (i < text.length && isDigit(text[i])) i++;
    }
    if (i < text.length && (text[i] === 'e' || text[i] === 'E')) {
      i++;
      if (i < text.length && (text[i] === '+' || text[i] === '-')) i++;
      if (i >= text.length) throw eof();
      if (!isDigit(text[i])) throw bad(text[i], 'in exponent of numeric literal');
      while (i < text.length && isDigit(text[i])) i++;
    }
  };
  const value = (): void => {
    skip();
    if (i >= text.length) throw eof();
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      if (i >= text.length) throw eof();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (i >= text.length) throw eof();
        if (text[i] !== '"') throw bad(text[i], 'looking for beginning of object key string');
        string();
        skip();
        if (i >= text.length) throw eof();
        if (text[i] !== ':') throw bad(text[i], 'after object key');
        i++;
        value();
        skip();
        if (i >= text.length) throw eof();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad(text[i], 'after object key:value pair');
        i++;
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (i >= text.length) throw eof();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        if (i >= text.length) throw eof();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad(text[i], 'after array element');
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || isDigit(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    throw bad(c, 'looking for beginning of value');
  };
  skip();
  if (i >= text.length) return 'EOF';
  try {
    value();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return e.message;
    throw e;
  }
}

/** The first value's text (the Decoder ignores what follows it). */
export function firstJsonValue(text: string): string {
  // Re-scan to find where the first value ends: reuse the checker on growing prefixes is costly;
  // a value ends where a fresh scan of the remainder would start, so track depth instead.
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  const start = i;
  let depth = 0;
  let inStr = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') {
        inStr = false;
        if (depth === 0) return text.slice(start, i + 1);
      }
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    } else if (depth === 0 && (isSpace(c) || c === ',')) return text.slice(start, i);
  }
  return text.slice(start);
}
