// InfluxQL tokens, as influxdata/influxql token.go defines them. A token is
// named by the text InfluxDB prints for it in parse errors ("found WITH,
// expected identifier"): keywords upper-case, operators their symbol.

export type Token = string;

export const KEYWORDS = [
  'ALL', 'ALTER', 'ANALYZE', 'ANY', 'AS', 'ASC', 'BEGIN', 'BY', 'CARDINALITY', 'CREATE', 'CONTINUOUS', 'DATABASE',
  'DATABASES', 'DEFAULT', 'DELETE', 'DESC', 'DESTINATIONS', 'DIAGNOSTICS', 'DISTINCT', 'DROP', 'DURATION', 'END',
  'EVERY', 'EXACT', 'EXPLAIN', 'FIELD', 'FOR', 'FROM', 'GRANT', 'GRANTS', 'GROUP', 'GROUPS', 'INF', 'INSERT', 'INTO',
  'KEY', 'KEYS', 'KILL', 'LIMIT', 'MEASUREMENT', 'MEASUREMENTS', 'NAME', 'OFFSET', 'ON', 'ORDER', 'PASSWORD', 'POLICY',
  'POLICIES', 'PRIVILEGES', 'QUERIES', 'QUERY', 'READ', 'REPLICATION', 'RESAMPLE', 'RETENTION', 'REVOKE', 'SELECT',
  'SERIES', 'SET', 'SHOW', 'SHARD', 'SHARDS', 'SLIMIT', 'SOFFSET', 'STATS', 'SUBSCRIPTION', 'SUBSCRIPTIONS', 'TAG', 'TO',
  'USER', 'USERS', 'VALUES', 'WHERE', 'WITH', 'WRITE',
] as const;

const keywordMap = new Map<string, Token>();
for (const k of KEYWORDS) keywordMap.set(k.toLowerCase(), k);
for (const k of ['AND', 'OR', 'IN']) keywordMap.set(k.toLowerCase(), k);
keywordMap.set('true', 'TRUE');
keywordMap.set('false', 'FALSE');

/** The keyword token for an identifier, or IDENT (case-insensitive, as Lookup). */
export function lookup(ident: string): Token {
  return keywordMap.get(ident.toLowerCase()) ?? 'IDENT';
}

/** Tokens with no printable name in token.go (tokens[] has no entry): printed as "". */
const UNNAMED = new Set(['INTEGER', 'BOUNDPARAM', 'COMMENT', 'BADREGEX']);

export function tokenString(tok: Token): string {
  return UNNAMED.has(tok) ? '' : tok;
}

/** tokstr: the literal when there is one, else the token's name. */
export function tokstr(tok: Token, lit: string): string {
  return lit !== '' ? lit : tokenString(tok);
}

export const OPERATORS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', 'AND', 'OR', 'IN', '=', '!=', '=~', '!~', '<', '<=', '>', '>=']);

export function isOperator(tok: Token): boolean {
  return OPERATORS.has(tok);
}

export function precedence(tok: Token): number {
  switch (tok) {
    case 'OR':
      return 1;
    case 'AND':
      return 2;
    case '=': case '!=': case '=~': case '!~': case '<': case '<=': case '>': case '>=': case 'IN':
      return 3;
    case '+': case '-': case '|': case '^':
      return 4;
    case '*': case '/': case '%': case '&':
      return 5;
  }
  return 0;
}

export function isRegexOp(tok: Token): boolean {
  return tok === '=~' || tok === '!~';
}

export interface Pos {
  line: number;
  char: number;
}

export function isLetter(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}
export function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
export function isIdentChar(ch: string): boolean {
  return isLetter(ch) || isDigit(ch) || ch === '_';
}
export function isIdentFirstChar(ch: string): boolean {
  return isLetter(ch) || ch === '_';
}
export function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n';
}
