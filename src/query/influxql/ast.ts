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
  | { kind: 'create-user'; name: string; password: string; admin: boolean }
  | { kind: 'drop-user'; name: string }
  | { kind: 'set-password'; name: string; password: string }
  /** GRANT/REVOKE: privilege bits (READ 1, WRITE 2, ALL 3); without `on`, the admin flag. */
  | { kind: 'grant' | 'revoke'; privilege: 1 | 2 | 3; on?: string; user: string }
  | { kind: 'create-cq'; name: string; database: string; every: bigint; for: bigint; source: SelectStatement }
  | { kind: 'drop-cq'; name: string; database: string }
  | { kind: 'show-cqs' }
  | { kind: 'show-users' }
  | { kind: 'show-grants'; user: string }
  | { kind: 'unsupported'; name: string; text: string; write: boolean };

/** Statements that manage 1.x users: admin only, as in 1.x. */
export function isUserStatement(s: Statement): boolean {
  return ['create-user', 'drop-user', 'set-password', 'grant', 'revoke', 'show-users', 'show-grants'].includes(s.kind);
}

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
    case 'create-user':
    case 'drop-user':
    case 'set-password':
    case 'grant':
    case 'revoke':
    case 'create-cq':
    case 'drop-cq':
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
    // Passwords never appear (ast.go redacts them, and so do hookline's logs).
    case 'create-user':
      return `CREATE USER ${quoteIdent(s.name)} WITH PASSWORD [REDACTED]${s.admin ? ' WITH ALL PRIVILEGES' : ''}`;
    case 'drop-user':
      return `DROP USER ${quoteIdent(s.name)}`;
    case 'set-password':
      return `SET PASSWORD FOR ${quoteIdent(s.name)} = [REDACTED]`;
    case 'grant':
      return `GRANT ${privilegeString(s.privilege)}${s.on !== undefined ? ` ON ${quoteIdent(s.on)}` : ''} TO ${quoteIdent(s.user)}`;
    case 'revoke':
      return `REVOKE ${privilegeString(s.privilege)}${s.on !== undefined ? ` ON ${quoteIdent(s.on)}` : ''} FROM ${quoteIdent(s.user)}`;
    case 'select':
      return selectString(s);
    case 'show-retention-policies':
      return `SHOW RETENTION POLICIES${s.database ? ` ON ${quoteIdent(s.database)}` : ''}`;
    case 'show-measurements':
    case 'show-tag-keys':
    case 'show-tag-values':
    case 'show-field-keys':
    case 'show-series':
    case 'show-cardinality':
      return showString(s);
    case 'create-cq': {
      // CreateContinuousQueryStatement.String()
      let out = `CREATE CONTINUOUS QUERY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)} `;
      if (s.every > 0n || s.for > 0n) {
        out += 'RESAMPLE ';
        if (s.every > 0n) out += `EVERY ${formatDuration(s.every)} `;
        if (s.for > 0n) out += `FOR ${formatDuration(s.for)} `;
      }
      return `${out}BEGIN ${selectString(s.source)} END`;
    }
    case 'drop-cq':
      return `DROP CONTINUOUS QUERY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}`;
    case 'show-cqs':
      return 'SHOW CONTINUOUS QUERIES';
    case 'show-users':
      return 'SHOW USERS';
    case 'show-grants':
      return `SHOW GRANTS FOR ${quoteIdent(s.user)}`;
    case 'unsupported':
      return s.text;
    default:
      return s.kind;
  }
}

/** ast.go SelectStatement.String(), as 1.x prints a statement in authorization errors and warnings. */
export function selectString(s: SelectStatement): string {
  let out = 'SELECT ' + s.fields.map((f) => exprString(f.expr) + (f.alias ? ` AS ${quoteIdent(f.alias)}` : '')).join(', ');
  if (s.target) {
    const t = s.target;
    out += ' INTO ' + sourceString({ kind: 'measurement', database: t.database, retentionPolicy: t.retentionPolicy, name: t.name || ':MEASUREMENT' } as MeasurementSource).replace('":MEASUREMENT"', ':MEASUREMENT');
  }
  if (s.sources.length) out += ' FROM ' + s.sources.map((x) => (x.kind === 'subquery' ? `(${selectString(x.statement)})` : sourceString(x))).join(', ');
  if (s.condition) out += ' WHERE ' + exprString(s.condition);
  if (s.dimensions.length) out += ' GROUP BY ' + s.dimensions.map(exprString).join(', ');
  if (s.fill === 'none' || s.fill === 'linear' || s.fill === 'previous') out += ` fill(${s.fill})`;
  else if (s.fill === 'number') out += ` fill(${String(s.fillValue)})`;
  if (s.hasOrderBy) out += s.sortAscending ? ' ORDER BY time ASC' : ' ORDER BY time DESC';
  if (s.limit > 0) out += ` LIMIT ${s.limit}`;
  if (s.offset > 0) out += ` OFFSET ${s.offset}`;
  if (s.slimit > 0) out += ` SLIMIT ${s.slimit}`;
  if (s.soffset > 0) out += ` SOFFSET ${s.soffset}`;
  if (s.location) out += ` TZ('${s.location}')`;
  return out;
}

const SHOW_WORDS: Record<string, string> = {
  'show-measurements': 'MEASUREMENTS',
  'show-tag-keys': 'TAG KEYS',
  'show-tag-values': 'TAG VALUES',
  'show-field-keys': 'FIELD KEYS',
  'show-series': 'SERIES',
  measurement: 'MEASUREMENT',
  series: 'SERIES',
  'tag-key': 'TAG KEY',
  'tag-values': 'TAG VALUES',
  'field-key': 'FIELD KEY',
};

/** The SHOW statements as ast.go prints them (ON, FROM, WITH KEY, WHERE, LIMIT, OFFSET). */
function showString(s: Extract<Statement, ShowBase>): string {
  let out = 'SHOW ' + (s.kind === 'show-cardinality' ? `${SHOW_WORDS[s.what]}${s.exact ? ' EXACT' : ''} CARDINALITY` : SHOW_WORDS[s.kind]);
  if (s.database) out += ` ON ${quoteIdent(s.database)}`;
  if (s.sources?.length) out += ' FROM ' + s.sources.map((x) => (x.kind === 'subquery' ? '(subquery)' : sourceString(x))).join(', ');
  if ('tagKeyExpr' in s && s.tagKeyExpr) out += ` WITH KEY ${s.op} ${exprString(s.tagKeyExpr)}`;
  if (s.condition) out += ' WHERE ' + exprString(s.condition);
  if (s.limit > 0) out += ` LIMIT ${s.limit}`;
  if (s.offset > 0) out += ` OFFSET ${s.offset}`;
  return out;
}

function privilegeString(p: number): string {
  return ['NO PRIVILEGES', 'READ', 'WRITE', 'ALL PRIVILEGES'][p] ?? 'NO PRIVILEGES';
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
