// The parser's error type, apart from parser.ts so that modules the parser
// uses (regex.ts) can raise it without importing the parser back.

import type { Pos } from './token.ts';

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** influxql.ParseError's text: "<message> at line L, char C" (1-based). */
export function messageAt(message: string, pos: Pos): ParseError {
  return new ParseError(`${message} at line ${pos.line + 1}, char ${pos.char + 1}`);
}
