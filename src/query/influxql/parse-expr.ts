// InfluxQL expressions: a port of influxdata/influxql parser.go's ParseExpr,
// parseUnaryExpr, parseCall, parseRegex and parseVarRef, split from
// parser.ts (statements) so each file stays small. Pure, like the parser.

import { isOperator, isRegexOp, precedence } from './token.ts';
import type { Expr, VarType } from './ast.ts';
import { parseDuration } from './duration.ts';
import { checkRegex } from './regex.ts';
import { messageAt, ParseError } from './parse-error.ts';
import type { Scanned } from './scanner.ts';
import type { BoundValue } from './params.ts';

/**
 * What the expression functions need of the statement parser (parser.ts's Parser):
 * declared here so that parse-expr.ts does not import parser.ts back.
 */
export interface ExprParser {
  scan(): Scanned;
  scanRegex(): Scanned;
  scanIgnoreWhitespace(): Scanned;
  consumeWhitespace(): void;
  unscan(): void;
  peekRune(): string;
  errorAt(t: Scanned, expected: string[]): ParseError;
  parseSegmentedIdents(): string[];
  parseVarRef(): Expr;
  parseExpr(): Expr;
  parseUnaryExpr(): Expr;
  parseRegex(): (Expr & { kind: 'regex' }) | undefined;
  param(name: string): BoundValue | undefined;
  /** One level of nesting (parentheses, calls, subqueries), refused past parser.ts's MAX_NESTING. */
  nested<T>(fn: () => T): T;
  /** One binary operator, refused past parser.ts's MAX_OPERATORS. */
  countOperator(): void;
}

export function parseVarRef(p: ExprParser): Expr {
  const segments = p.parseSegmentedIdents();
  let type: VarType | undefined;
  if (p.scan().tok === '::') {
    const t = p.scan();
    if (t.tok === 'IDENT') {
      const l = t.lit.toLowerCase();
      if (l === 'float' || l === 'integer' || l === 'unsigned' || l === 'string' || l === 'boolean') type = l;
      else throw p.errorAt(t, ['float', 'integer', 'unsigned', 'string', 'boolean', 'field', 'tag']);
    } else if (t.tok === 'FIELD') type = 'field';
    else if (t.tok === 'TAG') type = 'tag';
    else throw p.errorAt(t, ['float', 'integer', 'string', 'boolean', 'field', 'tag']);
  } else p.unscan();
  return type ? { kind: 'varref', name: segments.join('.'), type } : { kind: 'varref', name: segments.join('.') };
}

export function parseExpr(p: ExprParser): Expr {
  const root: { rhs: Expr } = { rhs: p.parseUnaryExpr() };
  for (;;) {
    const op = p.scanIgnoreWhitespace();
    if (!isOperator(op.tok)) {
      p.unscan();
      return root.rhs;
    }
    p.countOperator();
    let rhs: Expr;
    if (isRegexOp(op.tok)) {
      const re = p.parseRegex();
      if (!re) throw p.errorAt(p.scanIgnoreWhitespace(), ['regex']);
      rhs = re;
    } else rhs = p.parseUnaryExpr();
    // Descend the right spine to the first binary whose operator binds at least as tightly.
    let node: { rhs: Expr } = root;
    for (;;) {
      const r = node.rhs;
      if (r.kind !== 'binary' || precedence(r.op) >= precedence(op.tok)) {
        node.rhs = { kind: 'binary', op: op.tok, lhs: node.rhs, rhs };
        break;
      }
      node = r as unknown as { rhs: Expr };
    }
  }
}

export function parseUnaryExpr(p: ExprParser): Expr {
  if (p.scanIgnoreWhitespace().tok === '(') {
    const expr = p.parseExpr();
    const t = p.scanIgnoreWhitespace();
    if (t.tok !== ')') throw p.errorAt(t, [')']);
    return { kind: 'paren', expr };
  }
  p.unscan();
  const t = p.scanIgnoreWhitespace();
  switch (t.tok) {
    case 'IDENT': {
      if (p.scan().tok === '(') return p.nested(() => parseCall(p, t.lit));
      p.unscan();
      p.unscan();
      return p.parseVarRef();
    }
    case 'DISTINCT': {
      const t0 = p.scan();
      if (t0.tok === '(') return parseCall(p, 'distinct');
      if (t0.tok === 'WS') {
        const t1 = p.scanIgnoreWhitespace();
        if (t1.tok !== 'IDENT') throw p.errorAt(t1, ['identifier']);
        return { kind: 'distinct', val: t1.lit };
      }
      throw p.errorAt(t0, ['(', 'identifier']);
    }
    case 'STRING':
      return { kind: 'string', val: t.lit };
    case 'NUMBER': {
      const v = Number(t.lit);
      if (!Number.isFinite(v)) throw messageAt('unable to parse number', t.pos);
      return { kind: 'number', val: v };
    }
    case 'INTEGER': {
      const v = BigInt(t.lit);
      if (v <= (1n << 63n) - 1n && v >= -(1n << 63n)) return { kind: 'integer', val: v };
      if (v >= 0n && v <= (1n << 64n) - 1n) return { kind: 'unsigned', val: v };
      throw messageAt('unable to parse integer', t.pos);
    }
    case 'TRUE':
    case 'FALSE':
      return { kind: 'boolean', val: t.tok === 'TRUE' };
    case 'DURATIONVAL':
      return { kind: 'duration', val: parseDuration(t.lit) };
    case '*': {
      if (p.scan().tok === '::') {
        const t1 = p.scan();
        if (t1.tok === 'FIELD' || t1.tok === 'TAG') return { kind: 'wildcard', type: t1.tok };
        throw p.errorAt(t1, ['field', 'tag']);
      }
      p.unscan();
      return { kind: 'wildcard' };
    }
    case 'REGEX':
      checkRegex(t.lit, t.pos);
      return { kind: 'regex', source: t.lit };
    case 'BOUNDPARAM': {
      const k = t.lit.slice(1);
      if (k.length === 0) throw new ParseError('empty bound parameter');
      const v = p.param(k);
      if (!v) throw new ParseError(`missing parameter: ${k}`);
      // 1.6 reports a value it could not bind as a missing parameter too.
      throw new ParseError(`missing parameter: ${v.lit}`);
    }
    case '+':
    case '-': {
      const mul = t.tok === '-' ? -1 : 1;
      const t0 = p.scanIgnoreWhitespace();
      switch (t0.tok) {
        case 'NUMBER':
        case 'INTEGER':
        case 'DURATIONVAL':
        case '(':
        case 'IDENT': {
          p.unscan();
          const lit = p.parseUnaryExpr();
          switch (lit.kind) {
            case 'number':
              return { kind: 'number', val: lit.val * mul };
            case 'integer':
              return { kind: 'integer', val: lit.val * BigInt(mul) };
            case 'unsigned':
              if (mul === -1) {
                if (lit.val === 1n << 63n) return { kind: 'integer', val: -lit.val };
                throw new ParseError(`constant -${lit.val} underflows int64`);
              }
              return lit;
            case 'duration':
              return { kind: 'duration', val: lit.val * BigInt(mul) };
            case 'varref':
            case 'call':
            case 'paren':
              return { kind: 'binary', op: '*', lhs: { kind: 'integer', val: BigInt(mul) }, rhs: lit };
            default:
              return lit;
          }
        }
        default:
          throw p.errorAt(t0, ['identifier', 'number', 'duration', '(']);
      }
    }
    default:
      throw p.errorAt(t, ['identifier', 'string', 'number', 'bool']);
  }
}

export function parseRegex(p: ExprParser): (Expr & { kind: 'regex' }) | undefined {
  let next = p.peekRune();
  if (next === ' ' || next === '\t' || next === '\n') {
    p.consumeWhitespace();
  }
  next = p.peekRune();
  if (next === '$') {
    const t = p.scan();
    p.unscan();
    if (t.tok !== 'REGEX') return undefined;
  } else if (next !== '/') return undefined;
  const t = p.scanRegex();
  if (t.tok === 'BADESCAPE') throw messageAt(`bad escape: ${t.lit}`, t.pos);
  if (t.tok === 'BADREGEX') throw messageAt(`bad regex: ${t.lit}`, t.pos);
  if (t.tok !== 'REGEX') throw p.errorAt(t, ['regex']);
  checkRegex(t.lit, t.pos);
  return { kind: 'regex', source: t.lit };
}

function parseCall(p: ExprParser, rawName: string): Expr {
  const name = rawName.toLowerCase();
  const args: Expr[] = [];
  const re = p.parseRegex();
  if (re) args.push(re);
  else {
    if (p.scan().tok === ')') return { kind: 'call', name, args: [] };
    p.unscan();
    args.push(p.parseExpr());
  }
  for (;;) {
    if (p.scanIgnoreWhitespace().tok !== ',') {
      p.unscan();
      break;
    }
    const r = p.parseRegex();
    if (r) {
      args.push(r);
      continue;
    }
    args.push(p.parseExpr());
  }
  const t = p.scan();
  if (t.tok !== ')') throw p.errorAt(t, [')']);
  return { kind: 'call', name, args };
}
