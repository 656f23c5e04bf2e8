// The InfluxQL syntax tree (influxdata/influxql ast.go, the parts hookline
// executes). Durations and times are bigint nanoseconds.

export type Expr =
  | { kind: 'varref'; name: string; type?: VarType }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'binary'; op: string; lhs: Expr; rhs: Expr }
  | { kind: 'paren'; expr: Expr }
  | { kind: 'number'; val: number }
  | { kind: 'integer'; val: bigint }
  | { kind: 'unsigned'; val: bigint }
  | { kind: 'string'; val: string }
  | { kind: 'boolean'; val: boolean }
  | { kind: 'duration'; val: bigint }
  | { kind: 'regex'; source: string }
  | { kind: 'wildcard'; type?: 'FIELD' | 'TAG' }
  | { kind: 'distinct'; val: string }
  | { kind: 'list'; vals: string[] }
  | { kind: 'time'; val: bigint }
  | { kind: 'nil' };

export type VarType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean' | 'field' | 'tag';

export interface Field {
  expr: Expr;
  alias: string;
}

export interface MeasurementSource {
  kind: 'measurement';
  database: string;
  retentionPolicy: string;
  name: string;
  regex?: string;
}
export interface SubQuerySource {
  kind: 'subquery';
  statement: SelectStatement;
}
export type Source = MeasurementSource | SubQuerySource;

export type FillOption = 'null' | 'none' | 'previous' | 'linear' | 'number';

export interface SelectStatement {
  kind: 'select';
  fields: Field[];
  target?: { database: string; retentionPolicy: string; name: string };
  sources: Source[];
  condition?: Expr;
  dimensions: Expr[];
  fill: FillOption;
  fillValue?: number | bigint;
  sortAscending: boolean;
  hasOrderBy: boolean;
  limit: number;
  offset: number;
  slimit: number;
  soffset: number;
  location?: string;
  isRawQuery: boolean;
}

export interface ShowBase {
  database: string;
  sources?: Source[];
  condition?: Expr;
  limit: number;
  offset: number;
}

export type Statement =
  | SelectStatement
  | { kind: 'show-databases' }
  | { kind: 'show-retention-policies'; database: string }
  | (ShowBase & { kind: 'show-measurements'; source?: MeasurementSource; retentionPolicy?: string })
  | (ShowBase & { kind: 'show-tag-keys'; slimit: number; soffset: number })
  | (ShowBase & { kind: 'show-tag-values'; op: string; tagKeyExpr: Expr })
  | (ShowBase & { kind: 'show-field-keys' })
  | (ShowBase & { kind: 'show-series' })
  | (ShowBase & { kind: 'show-cardinality'; what: 'measurement' | 'series' | 'tag-key' | 'tag-values' | 'field-key'; exact: boolean; op?: string; tagKeyExpr?: Expr; dimensions: Expr[] })
  | {
      kind: 'create-database';
      name: string;
      rpCreate: boolean;
      rpDuration?: bigint;
      rpReplication?: number;
      rpShardGroupDuration?: bigint;
      rpName?: string;
    }
  | { kind: 'drop-database'; name: string }
  | { kind: 'create-retention-policy'; name: string; database: string; duration: bigint; replication: number; shardGroupDuration: bigint; isDefault: boolean }
  | { kind: 'alter-retention-policy'; name: string; database: string; duration?: bigint; replication?: number; shardGroupDuration?: bigint; isDefault: boolean }
  | { kind: 'drop-retention-policy'; name: string; database: string }
  | { kind: 'drop-measurement'; name: string }
  | { kind: 'drop-series'; sources?: Source[]; condition?: Expr }
  | { kind: 'delete'; sources?: Source[]; condition?: Expr }
  | { kind: 'explain'; analyze: boolean; statement: SelectStatement }
  | { kind: 'unsupported'; name: string; text: string; write: boolean };

/** Statements that change something: run on GET with 1.x's read-only warning. */
export function isWriteStatement(s: Statement): boolean {
  switch (s.kind) {
    case 'create-database':
    case 'drop-database':
    case 'create-retention-policy':
    case 'alter-retention-policy':
    case 'drop-retention-policy':
    case 'drop-measurement':
    case 'drop-series':
    case 'delete':
      return true;
    case 'unsupported':
      return s.write;
    case 'select':
      return s.target !== undefined;
    default:
      return false;
  }
}

// ---------------------------------------------------------------- printing (ast.go String())

const KEYWORD_SET = new Set<string>();
export function registerKeywords(words: readonly string[]): void {
  for (const w of words) KEYWORD_SET.add(w.toLowerCase());
  for (const w of ['and', 'or', 'in', 'true', 'false']) KEYWORD_SET.add(w);
}

export function identNeedsQuotes(s: string): boolean {
  if (KEYWORD_SET.has(s.toLowerCase())) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
    if (i === 0 ? !letter : !(letter || (c >= '0' && c <= '9'))) return true;
  }
  return false;
}

export function quoteIdent(...segments: string[]): string {
  let out = '';
  segments.forEach((seg, i) => {
    const need = identNeedsQuotes(seg) || (i < segments.length - 1 && seg !== '') || ((i === 0 || i === segments.length - 1) && seg === '');
    const body = seg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    out += need ? `"${body}"` : body;
    if (i < segments.length - 1) out += '.';
  });
  return out;
}

export function quoteString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
}

/** FormatDuration (influxql): the largest unit that divides it exactly. */
export function formatDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const units: Array<[bigint, string]> = [
    [604_800_000_000_000n, 'w'],
    [86_400_000_000_000n, 'd'],
    [3_600_000_000_000n, 'h'],
    [60_000_000_000n, 'm'],
    [1_000_000_000n, 's'],
    [1_000_000n, 'ms'],
    [1000n, 'u'],
  ];
  for (const [u, s] of units) if (d % u === 0n) return `${d / u}${s}`;
  return `${d}ns`;
}

export function statementString(s: Statement): string {
  switch (s.kind) {
    case 'create-database': {
      let out = `CREATE DATABASE ${quoteIdent(s.name)}`;
      if (s.rpCreate) {
        out += ' WITH';
        if (s.rpDuration !== undefined) out += ` DURATION ${formatDuration(s.rpDuration)}`;
        if (s.rpReplication !== undefined) out += ` REPLICATION ${s.rpReplication}`;
        if (s.rpShardGroupDuration !== undefined && s.rpShardGroupDuration > 0n) out += ` SHARD DURATION ${formatDuration(s.rpShardGroupDuration)}`;
        if (s.rpName) out += ` NAME ${quoteIdent(s.rpName)}`;
      }
      return out;
    }
    case 'drop-database':
      return `DROP DATABASE ${quoteIdent(s.name)}`;
    case 'create-retention-policy': {
      let out = `CREATE RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)} DURATION ${formatDuration(s.duration)} REPLICATION ${s.replication}`;
      if (s.shardGroupDuration > 0n) out += ` SHARD DURATION ${formatDuration(s.shardGroupDuration)}`;
      if (s.isDefault) out += ' DEFAULT';
      return out;
    }
    case 'alter-retention-policy': {
      let out = `ALTER RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}`;
      if (s.duration !== undefined) out += ` DURATION ${formatDuration(s.duration)}`;
      if (s.replication !== undefined) out += ` REPLICATION ${s.replication}`;
      if (s.shardGroupDuration !== undefined) out += ` SHARD DURATION ${formatDuration(s.shardGroupDuration)}`;
      if (s.isDefault) out += ' DEFAULT';
      return out;
    }
    case 'drop-retention-policy':
      return `DROP RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}`;
    case 'drop-measurement':
      return `DROP MEASUREMENT ${quoteIdent(s.name)}`;
    case 'drop-series':
    case 'delete': {
      let out = s.kind === 'delete' ? 'DELETE' : 'DROP SERIES';
      if (s.sources) out += ` FROM ${s.sources.map(sourceString).join(', ')}`;
      if (s.condition) out += ` WHERE ${exprString(s.condition)}`;
      return out;
    }
    case 'unsupported':
      return s.text;
    default:
      return s.kind;
  }
}

export function sourceString(s: Source): string {
  if (s.kind === 'subquery') return '(subquery)';
  let out = '';
  if (s.database) out += quoteIdent(s.database) + '.';
  if (s.retentionPolicy) out += quoteIdent(s.retentionPolicy);
  if (s.database || s.retentionPolicy) out += '.';
  out += s.regex !== undefined ? `/${s.regex.replace(/\//g, '\\/')}/` : quoteIdent(s.name);
  return out;
}

export function exprString(e: Expr): string {
  switch (e.kind) {
    case 'varref':
      return quoteIdent(e.name) + (e.type ? `::${e.type}` : '');
    case 'call':
      return `${e.name}(${e.args.map(exprString).join(', ')})`;
    case 'binary':
      return `${exprString(e.lhs)} ${e.op} ${exprString(e.rhs)}`;
    case 'paren':
      return `(${exprString(e.expr)})`;
    case 'number':
      return String(e.val);
    case 'integer':
    case 'unsigned':
      return e.val.toString();
    case 'string':
      return quoteString(e.val);
    case 'boolean':
      return e.val ? 'true' : 'false';
    case 'duration':
      return formatDuration(e.val);
    case 'regex':
      return `/${e.source.replace(/\//g, '\\/')}/`;
    case 'wildcard':
      return e.type ? `*::${e.type.toLowerCase()}` : '*';
    case 'distinct':
      return `DISTINCT ${e.val}`;
    case 'list':
      return `(${e.vals.map((v) => quoteIdent(v)).join(', ')})`;
    case 'time':
      return e.val.toString();
    case 'nil':
      return '<nil>';
  }
}
