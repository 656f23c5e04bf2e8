// The InfluxQL parser: a port of influxdata/influxql parser.go (statement
// dispatch in parse-statements.ts). Pure: text (and bound parameters) in,
// statements or a ParseError with InfluxDB's exact message out.

import { KEYWORDS, tokstr, type Pos, type Token } from './token.ts';
import { BufScanner, EOF_CH, type Scanned } from './scanner.ts';
import { registerKeywords, type Expr, type Field, type FillOption, type SelectStatement, type Source, type MeasurementSource, quoteIdent } from './ast.ts';
import { parseDuration } from './duration.ts';
import { bindValue, type BoundValue } from './params.ts';
import { parseExpr, parseRegex, parseUnaryExpr, parseVarRef } from './parse-expr.ts';

registerKeywords(KEYWORDS);

import { ParseError, messageAt } from './parse-error.ts';

export { ParseError, messageAt } from './parse-error.ts';

export function parseErrorAt(found: string, expected: string[], pos: Pos): ParseError {
  return new ParseError(`found ${found}, expected ${expected.join(', ')} at line ${pos.line + 1}, char ${pos.char + 1}`);
}


/**
 * Deepest nesting of parentheses, calls and subqueries a query may have. Go's
 * growable stacks let InfluxDB recurse without a bound; a JavaScript stack
 * overflows (a RangeError) after a few thousand levels here or in the stages
 * that walk the tree after, so a query this deep is refused as a parse error.
 * Real queries nest a handful of levels.
 */
export const MAX_NESTING = 200;

/**
 * Most binary operators one query may hold. A chain `a OR b OR ...` is a tree
 * as deep as it is long, and the stages after the parser walk it recursively:
 * 30,000 terms overflowed the stack (8,000 in a SELECT field); 4,000 operators run.
 */
export const MAX_OPERATORS = 4000;

export type TargetRequirement = 'required' | 'not-required' | 'subquery';

export class Parser {
  readonly s: BufScanner;
  private readonly params: Map<string, BoundValue>;

  constructor(text: string, params: Record<string, unknown> = {}) {
    this.s = new BufScanner(text);
    this.params = new Map(Object.entries(params).map(([k, v]) => [k, bindValue(v)]));
  }

  // ---------------------------------------------------------------- scanning

  scan(): Scanned {
    return this.replaceParam(this.s.scan());
  }
  scanRegex(): Scanned {
    return this.replaceParam(this.s.scanRegex());
  }
  private replaceParam(t: Scanned): Scanned {
    if (t.tok === 'BOUNDPARAM') {
      const k = t.lit.slice(1);
      const v = k.length > 0 ? this.params.get(k) : undefined;
      if (v && v.tok !== 'ERROR') return { tok: v.tok, pos: t.pos, lit: v.lit };
    }
    return t;
  }
  scanIgnoreWhitespace(): Scanned {
    for (;;) {
      const t = this.scan();
      if (t.tok === 'WS' || t.tok === 'COMMENT') continue;
      return t;
    }
  }
  consumeWhitespace(): void {
    if (this.scan().tok !== 'WS') this.unscan();
  }
  unscan(): void {
    this.s.unscan();
  }
  peekRune(): string {
    const r = this.s.s.r.read().ch;
    if (r !== EOF_CH) this.s.s.r.unread();
    return r;
  }
  errorAt(t: Scanned, expected: string[]): ParseError {
    return parseErrorAt(tokstr(t.tok, t.lit), expected, t.pos);
  }
  expect(tok: Token): Scanned {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== tok) throw this.errorAt(t, [tok]);
    return t;
  }
  parseTokens(toks: Token[]): void {
    for (const tok of toks) this.expect(tok);
  }
  /** True (and consumed) when the next token is `tok`; otherwise nothing is consumed. */
  accept(tok: Token): boolean {
    if (this.scanIgnoreWhitespace().tok === tok) return true;
    this.unscan();
    return false;
  }

  parseIdent(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'IDENT') throw this.errorAt(t, ['identifier']);
    return t.lit;
  }
  parseIdentList(): string[] {
    const out = [this.parseIdent()];
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== ',') {
        this.unscan();
        return out;
      }
      out.push(this.parseIdent());
    }
  }
  parseString(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'STRING') throw this.errorAt(t, ['string']);
    return t.lit;
  }
  parseInt(min: number, max: number): number {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'INTEGER') throw this.errorAt(t, ['integer']);
    const n = Number(t.lit);
    if (!Number.isSafeInteger(n)) throw messageAt(`strconv.Atoi: parsing ${JSON.stringify(t.lit)}: value out of range`, t.pos);
    if (min > n || n > max) throw messageAt(`invalid value ${n}: must be ${min} <= n <= ${max}`, t.pos);
    return n;
  }
  parseUInt64(): bigint {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'INTEGER') throw this.errorAt(t, ['integer']);
    return BigInt(t.lit);
  }
  parseDurationToken(): bigint {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'DURATIONVAL' && t.tok !== 'INF') throw this.errorAt(t, ['duration']);
    if (t.tok === 'INF') return 0n;
    try {
      return parseDuration(t.lit);
    } catch (e) {
      throw messageAt((e as Error).message, t.pos);
    }
  }
  parseOptionalTokenAndInt(tok: Token): number {
    if (this.scanIgnoreWhitespace().tok !== tok) {
      this.unscan();
      return 0;
    }
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'INTEGER') throw this.errorAt(t, ['integer']);
    const n = Number(t.lit);
    return n;
  }

  parseSegmentedIdents(): string[] {
    const idents = [this.parseIdent()];
    for (;;) {
      if (this.scan().tok !== '.') {
        this.unscan();
        break;
      }
      const ch = this.peekRune();
      if (ch === '/' || ch === ':') break;
      if (ch === '.') {
        idents.push('');
        continue;
      }
      idents.push(this.parseIdent());
    }
    if (idents.length > 3) throw new ParseError(`too many segments in ${quoteIdent(...idents)} at line 1, char 1`);
    return idents;
  }

  // ---------------------------------------------------------------- SELECT

  parseSelectStatement(tr: TargetRequirement): SelectStatement {
    const stmt: SelectStatement = {
      kind: 'select',
      fields: this.parseFields(),
      sources: [],
      dimensions: [],
      fill: 'null',
      sortAscending: true,
      hasOrderBy: false,
      limit: 0,
      offset: 0,
      slimit: 0,
      soffset: 0,
      isRawQuery: true,
    };
    stmt.target = this.parseTarget(tr);
    const from = this.scanIgnoreWhitespace();
    if (from.tok !== 'FROM') throw this.errorAt(from, ['FROM']);
    stmt.sources = this.parseSources(true);
    stmt.condition = this.parseCondition();
    stmt.dimensions = this.parseDimensions();
    const fill = this.parseFill();
    stmt.fill = fill.option;
    stmt.fillValue = fill.value;
    const sort = this.parseOrderBy();
    if (sort) {
      stmt.hasOrderBy = true;
      stmt.sortAscending = sort.ascending;
    }
    stmt.limit = this.parseOptionalTokenAndInt('LIMIT');
    stmt.offset = this.parseOptionalTokenAndInt('OFFSET');
    stmt.slimit = this.parseOptionalTokenAndInt('SLIMIT');
    stmt.soffset = this.parseOptionalTokenAndInt('SOFFSET');
    stmt.location = this.parseLocation();
    stmt.isRawQuery = !stmt.fields.some((f) => containsCall(f.expr));
    return stmt;
  }

  private parseTarget(tr: TargetRequirement): SelectStatement['target'] {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'INTO') {
      if (tr === 'required') throw this.errorAt(t, ['INTO']);
      this.unscan();
      return undefined;
    }
    const idents = this.parseSegmentedIdents();
    if (idents.length < 3 && this.peekRune() === ':') {
      this.parseTokens([':', 'MEASUREMENT']);
      idents.push('');
    }
    if (idents.length === 1) return { database: '', retentionPolicy: '', name: idents[0] };
    if (idents.length === 2) return { database: '', retentionPolicy: idents[0], name: idents[1] };
    return { database: idents[0], retentionPolicy: idents[1], name: idents[2] };
  }

  parseFields(): Field[] {
    const fields: Field[] = [];
    for (;;) {
      fields.push(this.parseField());
      if (this.scan().tok !== ',') {
        this.unscan();
        break;
      }
    }
    return fields;
  }

  private parseField(): Field {
    const re = this.parseRegex();
    let expr: Expr;
    if (re) expr = re;
    else {
      const { pos } = this.scanIgnoreWhitespace();
      this.unscan();
      expr = this.parseExpr();
      const bad = findComparison(expr);
      if (bad) {
        throw new ParseError(`invalid operator ${bad} in SELECT clause at line ${pos.line + 1}, char ${pos.char + 1}; operator is intended for WHERE clause`);
      }
    }
    const alias = this.parseAlias();
    this.consumeWhitespace();
    return { expr, alias };
  }

  private parseAlias(): string {
    if (this.scanIgnoreWhitespace().tok !== 'AS') {
      this.unscan();
      return '';
    }
    return this.parseIdent();
  }

  parseSources(subqueries: boolean): Source[] {
    const sources: Source[] = [];
    for (;;) {
      sources.push(this.parseSource(subqueries));
      if (this.scanIgnoreWhitespace().tok !== ',') {
        this.unscan();
        break;
      }
    }
    return sources;
  }

  parseSource(subqueries: boolean): Source {
    const m: MeasurementSource = { kind: 'measurement', database: '', retentionPolicy: '', name: '' };
    let re = this.parseRegex();
    if (re) {
      m.regex = re.source;
      return m;
    }
    if (subqueries) {
      if (this.scanIgnoreWhitespace().tok === '(') {
        this.parseTokens(['SELECT']);
        const stmt = this.nested(() => this.parseSelectStatement('subquery'));
        this.parseTokens([')']);
        return { kind: 'subquery', statement: stmt };
      }
      this.unscan();
    }
    const idents = this.parseSegmentedIdents();
    if (idents.length === 3) {
      [m.database, m.retentionPolicy, m.name] = idents;
      return m;
    }
    re = this.parseRegex();
    if (re) m.regex = re.source;
    if (idents.length === 1) {
      if (re) m.retentionPolicy = idents[0];
      else m.name = idents[0];
    } else if (idents.length === 2) {
      if (re) [m.database, m.retentionPolicy] = idents;
      else [m.retentionPolicy, m.name] = idents;
    }
    return m;
  }

  parseCondition(): Expr | undefined {
    if (this.scanIgnoreWhitespace().tok !== 'WHERE') {
      this.unscan();
      return undefined;
    }
    return this.parseExpr();
  }

  parseDimensions(): Expr[] {
    if (this.scanIgnoreWhitespace().tok !== 'GROUP') {
      this.unscan();
      return [];
    }
    const by = this.scanIgnoreWhitespace();
    if (by.tok !== 'BY') throw this.errorAt(by, ['BY']);
    const dims: Expr[] = [];
    for (;;) {
      const re = this.parseRegex();
      if (re) dims.push(re);
      else {
        dims.push(this.parseExpr());
        this.consumeWhitespace();
      }
      if (this.scan().tok !== ',') {
        this.unscan();
        break;
      }
    }
    return dims;
  }

  private parseFill(): { option: FillOption; value?: number | bigint } {
    const t = this.scanIgnoreWhitespace();
    this.unscan();
    if (t.tok !== 'IDENT' || t.lit.toLowerCase() !== 'fill') return { option: 'null' };
    const expr = this.parseExpr();
    if (expr.kind !== 'call') throw new ParseError('fill must be a function call');
    if (expr.args.length !== 1) throw new ParseError('fill requires an argument, e.g.: 0, null, none, previous, linear');
    const a = expr.args[0];
    const name = a.kind === 'varref' && !a.type ? a.name : undefined;
    if (name === 'null') return { option: 'null' };
    if (name === 'none') return { option: 'none' };
    if (name === 'previous') return { option: 'previous' };
    if (name === 'linear') return { option: 'linear' };
    if (a.kind === 'integer') return { option: 'number', value: a.val };
    if (a.kind === 'number') return { option: 'number', value: a.val };
    throw new ParseError('expected number argument in fill()');
  }

  private parseOrderBy(): { ascending: boolean } | undefined {
    if (this.scanIgnoreWhitespace().tok !== 'ORDER') {
      this.unscan();
      return undefined;
    }
    const by = this.scanIgnoreWhitespace();
    if (by.tok !== 'BY') throw this.errorAt(by, ['BY']);
    const t = this.scanIgnoreWhitespace();
    const fields: boolean[] = [];
    if (t.tok === 'ASC' || t.tok === 'DESC') fields.push(t.tok === 'ASC');
    else if (t.tok === 'IDENT') {
      this.unscan();
      const f = this.parseSortField();
      if (t.lit !== 'time') throw new ParseError('only ORDER BY time supported at this time');
      fields.push(f);
    } else throw this.errorAt(t, ['identifier', 'ASC', 'DESC']);
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== ',') {
        this.unscan();
        break;
      }
      fields.push(this.parseSortField());
    }
    if (fields.length > 1) throw new ParseError('only ORDER BY time supported at this time');
    return { ascending: fields[0] };
  }

  private parseSortField(): boolean {
    this.parseIdent();
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== 'ASC' && t.tok !== 'DESC') {
      this.unscan();
      return true;
    }
    return t.tok === 'ASC';
  }

  private parseLocation(): string | undefined {
    const t = this.scanIgnoreWhitespace();
    this.unscan();
    if (t.tok !== 'IDENT' || t.lit.toLowerCase() !== 'tz') return undefined;
    const expr = this.parseExpr();
    if (expr.kind !== 'call') throw new ParseError('tz must be a function call');
    if (expr.args.length !== 1) throw new ParseError('tz requires exactly one argument');
    const a = expr.args[0];
    if (a.kind !== 'string') throw new ParseError('expected string argument in tz()');
    if (!validTimeZone(a.val)) throw new ParseError(`unable to find time zone ${a.val}`);
    return a.val;
  }

  // ---------------------------------------------------------------- expressions (parse-expr.ts)

  parseVarRef(): Expr {
    return parseVarRef(this);
  }

  parseExpr(): Expr {
    return this.nested(() => parseExpr(this));
  }

  private operators = 0;
  /** Counts one binary operator of the query, refusing more than MAX_OPERATORS. */
  countOperator(): void {
    if (++this.operators > MAX_OPERATORS) throw new ParseError(`query too long: more than ${MAX_OPERATORS} operators`);
  }

  private depth = 0;
  /** Runs one level of nesting (an expression or a subquery), refusing more than MAX_NESTING. */
  nested<T>(fn: () => T): T {
    if (this.depth >= MAX_NESTING) throw new ParseError(`query nested too deeply: expressions and subqueries nest deeper than ${MAX_NESTING} levels`);
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  parseUnaryExpr(): Expr {
    return parseUnaryExpr(this);
  }

  parseRegex(): (Expr & { kind: 'regex' }) | undefined {
    return parseRegex(this);
  }

  /** A bound parameter's value ($name), as the request gave it. */
  param(name: string): BoundValue | undefined {
    return this.params.get(name);
  }
}

function containsCall(e: Expr): boolean {
  switch (e.kind) {
    case 'call':
      return true;
    case 'binary':
      return containsCall(e.lhs) || containsCall(e.rhs);
    case 'paren':
      return containsCall(e.expr);
    default:
      return false;
  }
}

/** validateField: comparison and logical operators are not allowed in SELECT fields. */
function findComparison(e: Expr): string | undefined {
  if (e.kind === 'binary') {
    if (['=', '!=', '=~', '!~', '<', '<=', '>', '>=', 'AND', 'OR'].includes(e.op)) return e.op;
    return findComparison(e.lhs) ?? findComparison(e.rhs);
  }
  if (e.kind === 'paren') return findComparison(e.expr);
  if (e.kind === 'call') {
    for (const a of e.args) {
      const b = findComparison(a);
      if (b) return b;
    }
  }
  return undefined;
}

function validTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
