// Statement dispatch (influxql parse_tree.go) and the SHOW / DDL statements
// of parser.go. parseQuery is the entry point: text -> statements, or a
// ParseError whose message InfluxDB prints after "error parsing query: ".

import { Parser, ParseError } from './parser.ts';
import type { Expr, MeasurementSource, Source, Statement } from './ast.ts';
import { tokstr, type Token } from './token.ts';
import { parseCreateContinuousQuery, parseDropContinuousQuery } from './parse-cq.ts';
import { parseCreateUser, parseGrant, parseRevoke, parseSetPassword } from './parse-users.ts';
import { parseAlterRetentionPolicy, parseCreateDatabase, parseCreateRetentionPolicy, parseDelete, parseDropSeries } from './parse-ddl.ts';

type Handler = (p: Parser) => Statement;
interface Tree {
  handlers: Map<Token, Handler>;
  tokens: Map<Token, Tree>;
  keys: string[];
}

function tree(): Tree {
  return { handlers: new Map(), tokens: new Map(), keys: [] };
}
function group(t: Tree, ...toks: Token[]): Tree {
  for (const tok of toks) {
    let sub = t.tokens.get(tok);
    if (!sub) {
      sub = tree();
      t.tokens.set(tok, sub);
      t.keys.push(tok);
    }
    t = sub;
  }
  return t;
}
function handle(t: Tree, tok: Token, fn: Handler): void {
  t.handlers.set(tok, fn);
  t.keys.push(tok);
}

const unsupported = (name: string, write: boolean, rest: (p: Parser) => void = skipRest): Handler => (p) => {
  rest(p);
  return { kind: 'unsupported', name, text: name, write };
};

/** Consumes tokens up to the end of the statement (for statements hookline answers with an error). */
function skipRest(p: Parser): void {
  for (;;) {
    const t = p.scanIgnoreWhitespace();
    if (t.tok === ';' || t.tok === 'EOF') {
      p.unscan();
      return;
    }
  }
}

const LANGUAGE = tree();
handle(LANGUAGE, 'SELECT', (p) => p.parseSelectStatement('not-required'));
handle(LANGUAGE, 'DELETE', parseDelete);
{
  const show = group(LANGUAGE, 'SHOW');
  handle(group(show, 'CONTINUOUS'), 'QUERIES', () => ({ kind: 'show-cqs' }));
  handle(show, 'DATABASES', () => ({ kind: 'show-databases' }));
  handle(show, 'DIAGNOSTICS', unsupported('SHOW DIAGNOSTICS', false));
  const field = group(show, 'FIELD');
  handle(field, 'KEY', (p) => parseCardinality(p, 'field-key', true));
  handle(field, 'KEYS', parseShowFieldKeys);
  handle(group(show, 'GRANTS'), 'FOR', (p) => ({ kind: 'show-grants', user: p.parseIdent() }));
  handle(group(show, 'MEASUREMENT'), 'EXACT', (p) => parseCardinality(p, 'measurement', false, true));
  handle(group(show, 'MEASUREMENT'), 'CARDINALITY', (p) => parseCardinality(p, 'measurement', false, false));
  handle(show, 'MEASUREMENTS', parseShowMeasurements);
  handle(show, 'QUERIES', unsupported('SHOW QUERIES', false));
  handle(group(show, 'RETENTION'), 'POLICIES', (p) => ({ kind: 'show-retention-policies', database: p.accept('ON') ? p.parseIdent() : '' }));
  handle(show, 'SERIES', parseShowSeries);
  handle(group(show, 'SHARD'), 'GROUPS', unsupported('SHOW SHARD GROUPS', false));
  handle(show, 'SHARDS', unsupported('SHOW SHARDS', false));
  handle(show, 'STATS', unsupported('SHOW STATS', false));
  handle(show, 'SUBSCRIPTIONS', unsupported('SHOW SUBSCRIPTIONS', false));
  const tag = group(show, 'TAG');
  handle(tag, 'KEY', (p) => parseCardinality(p, 'tag-key', true));
  handle(tag, 'KEYS', parseShowTagKeys);
  handle(tag, 'VALUES', parseShowTagValues);
  handle(show, 'USERS', () => ({ kind: 'show-users' }));
}
{
  const create = group(LANGUAGE, 'CREATE');
  handle(group(create, 'CONTINUOUS'), 'QUERY', parseCreateContinuousQuery);
  handle(create, 'DATABASE', parseCreateDatabase);
  handle(create, 'USER', parseCreateUser);
  handle(group(create, 'RETENTION'), 'POLICY', parseCreateRetentionPolicy);
  handle(create, 'SUBSCRIPTION', unsupported('CREATE SUBSCRIPTION', true));
}
{
  const drop = group(LANGUAGE, 'DROP');
  handle(group(drop, 'CONTINUOUS'), 'QUERY', parseDropContinuousQuery);
  handle(drop, 'DATABASE', (p) => ({ kind: 'drop-database', name: p.parseIdent() }));
  handle(drop, 'MEASUREMENT', (p) => ({ kind: 'drop-measurement', name: p.parseIdent() }));
  handle(group(drop, 'RETENTION'), 'POLICY', (p) => {
    const name = p.parseIdent();
    const on = p.scanIgnoreWhitespace();
    if (on.tok !== 'ON') throw p.errorAt(on, ['ON']);
    return { kind: 'drop-retention-policy', name, database: p.parseIdent() };
  });
  handle(drop, 'SERIES', parseDropSeries);
  handle(drop, 'SHARD', unsupported('DROP SHARD', true, (p) => void p.parseUInt64()));
  handle(drop, 'SUBSCRIPTION', unsupported('DROP SUBSCRIPTION', true));
  handle(drop, 'USER', (p) => ({ kind: 'drop-user', name: p.parseIdent() }));
}
handle(LANGUAGE, 'EXPLAIN', (p) => {
  const analyze = p.accept('ANALYZE');
  p.accept('VERBOSE');
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== 'SELECT') throw p.errorAt(t, ['SELECT']);
  return { kind: 'explain', analyze, statement: p.parseSelectStatement('not-required') };
});
handle(LANGUAGE, 'GRANT', parseGrant);
handle(LANGUAGE, 'REVOKE', parseRevoke);
handle(group(LANGUAGE, 'ALTER', 'RETENTION'), 'POLICY', parseAlterRetentionPolicy);
handle(group(LANGUAGE, 'SET', 'PASSWORD'), 'FOR', parseSetPassword);
handle(group(LANGUAGE, 'KILL'), 'QUERY', unsupported('KILL QUERY', false));

export function parseStatement(p: Parser): Statement {
  let t = LANGUAGE;
  for (;;) {
    const s = p.scanIgnoreWhitespace();
    const sub = t.tokens.get(s.tok);
    if (sub) {
      t = sub;
      continue;
    }
    const h = t.handlers.get(s.tok);
    if (h) return h(p);
    throw p.errorAt(s, t.keys);
  }
}

export interface ParsedQuery {
  statements: Statement[];
}

/** ParseQuery: statements separated by semicolons. */
export function parseQuery(text: string, params: Record<string, unknown> = {}): Statement[] {
  const p = new Parser(text, params);
  const statements: Statement[] = [];
  let semi = true;
  for (;;) {
    const t = p.scanIgnoreWhitespace();
    if (t.tok === 'EOF') return statements;
    if (t.tok === ';') {
      semi = true;
      continue;
    }
    if (!semi) throw p.errorAt(t, [';']);
    p.unscan();
    statements.push(parseStatement(p));
    semi = false;
  }
}

// ---------------------------------------------------------------- SHOW

function parseOn(p: Parser): string {
  return p.accept('ON') ? p.parseIdent() : '';
}
function parseFrom(p: Parser): Source[] | undefined {
  return p.accept('FROM') ? p.parseSources(false) : undefined;
}
function parseSortIgnored(p: Parser): void {
  if (!p.accept('ORDER')) return;
  const by = p.scanIgnoreWhitespace();
  if (by.tok !== 'BY') throw p.errorAt(by, ['BY']);
  const t = p.scanIgnoreWhitespace();
  if (t.tok === 'ASC' || t.tok === 'DESC') return;
  if (t.tok !== 'IDENT') throw p.errorAt(t, ['identifier', 'ASC', 'DESC']);
  if (!p.accept('ASC')) p.accept('DESC');
}

function parseShowMeasurements(p: Parser): Statement {
  let database = '';
  let retentionPolicy: string | undefined;
  if (p.accept('ON')) {
    const t = p.scanIgnoreWhitespace();
    if (t.tok === 'IDENT') database = t.lit;
    else if (t.tok === '*') database = '*';
    else throw p.errorAt(t, ['identifier or *']);
    if (p.accept('.')) {
      const r = p.scanIgnoreWhitespace();
      if (r.tok === 'IDENT') retentionPolicy = r.lit;
      else if (r.tok === '*') retentionPolicy = '*';
      else throw p.errorAt(r, ['identifier or *']);
    }
  }
  let source: MeasurementSource | undefined;
  if (p.accept('WITH')) {
    p.parseTokens(['MEASUREMENT']);
    const op = p.scanIgnoreWhitespace();
    if (op.tok !== '=' && op.tok !== '=~') throw p.errorAt(op, ['=', '=~']);
    source = p.parseSource(false) as MeasurementSource;
  }
  const condition = p.parseCondition();
  parseSortIgnored(p);
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  return { kind: 'show-measurements', database, retentionPolicy, source, condition, limit, offset };
}

function parseShowTagKeys(p: Parser): Statement {
  const database = parseOn(p);
  const sources = parseFrom(p);
  const condition = p.parseCondition();
  parseSortIgnored(p);
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  const slimit = p.parseOptionalTokenAndInt('SLIMIT');
  const soffset = p.parseOptionalTokenAndInt('SOFFSET');
  return { kind: 'show-tag-keys', database, sources, condition, limit, offset, slimit, soffset };
}

function parseTagKeyExpr(p: Parser): { op: string; expr: Expr } {
  p.parseTokens(['WITH', 'KEY']);
  const t = p.scanIgnoreWhitespace();
  if (t.tok === 'IN') {
    const lp = p.scanIgnoreWhitespace();
    if (lp.tok !== '(') throw p.errorAt(lp, ['(']);
    const keys = p.parseIdentList();
    const rp = p.scanIgnoreWhitespace();
    if (rp.tok !== ')') throw p.errorAt(rp, [')']);
    return { op: 'IN', expr: { kind: 'list', vals: keys } };
  }
  if (t.tok === '=' || t.tok === '!=') return { op: t.tok, expr: { kind: 'string', val: p.parseIdent() } };
  if (t.tok === '=~' || t.tok === '!~') {
    const re = p.parseRegex();
    if (!re) throw p.errorAt(p.scanIgnoreWhitespace(), ['regex']);
    return { op: t.tok, expr: re };
  }
  throw p.errorAt(t, ['IN', '=', '=~']);
}

function parseShowTagValues(p: Parser): Statement {
  const first = p.scanIgnoreWhitespace();
  if (first.tok === 'EXACT') return parseCardinality(p, 'tag-values', false, true);
  if (first.tok === 'CARDINALITY') return parseCardinality(p, 'tag-values', false, false, true);
  p.unscan();
  const database = parseOn(p);
  const sources = parseFrom(p);
  const { op, expr } = parseTagKeyExpr(p);
  const condition = p.parseCondition();
  parseSortIgnored(p);
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  return { kind: 'show-tag-values', database, sources, op, tagKeyExpr: expr, condition, limit, offset };
}

function parseShowFieldKeys(p: Parser): Statement {
  const database = parseOn(p);
  const sources = parseFrom(p);
  parseSortIgnored(p);
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  return { kind: 'show-field-keys', database, sources, limit, offset };
}

function parseShowSeries(p: Parser): Statement {
  const exact = p.accept('EXACT');
  if (p.accept('CARDINALITY')) return parseCardinalityBody(p, 'series', exact);
  const database = parseOn(p);
  const sources = parseFrom(p);
  const condition = p.parseCondition();
  parseSortIgnored(p);
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  return { kind: 'show-series', database, sources, condition, limit, offset };
}

type CardinalityWhat = 'measurement' | 'series' | 'tag-key' | 'tag-values' | 'field-key';

/** SHOW ... [EXACT] CARDINALITY: `exactOptional` when EXACT may still come (TAG KEY, FIELD KEY). */
function parseCardinality(p: Parser, what: CardinalityWhat, exactOptional: boolean, exact = false, cardinalitySeen = false): Statement {
  if (exactOptional) {
    const required = ['EXACT', 'CARDINALITY'];
    if (p.accept('EXACT')) {
      exact = true;
      required.shift();
    }
    const t = p.scanIgnoreWhitespace();
    if (t.tok !== 'CARDINALITY') throw p.errorAt(t, required);
  } else if (exact && !cardinalitySeen) {
    const t = p.scanIgnoreWhitespace();
    if (t.tok !== 'CARDINALITY') throw p.errorAt(t, ['CARDINALITY']);
  }
  return parseCardinalityBody(p, what, exact);
}

function parseCardinalityBody(p: Parser, what: CardinalityWhat, exact: boolean): Statement {
  const database = parseOn(p);
  const sources = parseFrom(p);
  let op: string | undefined;
  let tagKeyExpr: Expr | undefined;
  if (what === 'tag-values') ({ op, expr: tagKeyExpr } = parseTagKeyExpr(p));
  const condition = p.parseCondition();
  const dimensions = p.parseDimensions();
  const limit = p.parseOptionalTokenAndInt('LIMIT');
  const offset = p.parseOptionalTokenAndInt('OFFSET');
  return { kind: 'show-cardinality', what, exact, database, sources, condition, dimensions, limit, offset, op, tagKeyExpr };
}

// ---------------------------------------------------------------- DDL

export { tokstr };
