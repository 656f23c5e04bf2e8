// CREATE DATABASE, CREATE/ALTER RETENTION POLICY, DROP SERIES and DELETE
// (influxql parser.go), split from parse-statements.ts.

import { Parser, ParseError, messageAt } from './parser.ts';
import type { Source, Statement } from './ast.ts';

export function parseCreateDatabase(p: Parser): Statement {
  const name = p.parseIdent();
  const stmt: Statement & { kind: 'create-database' } = { kind: 'create-database', name, rpCreate: false };
  if (!p.accept('WITH')) return stmt;
  const t = p.scanIgnoreWhitespace();
  if (!['DURATION', 'NAME', 'REPLICATION', 'SHARD'].includes(t.tok)) throw p.errorAt(t, ['DURATION', 'NAME', 'REPLICATION', 'SHARD']);
  p.unscan();
  stmt.rpCreate = true;
  if (p.accept('DURATION')) stmt.rpDuration = p.parseDurationToken();
  if (p.accept('REPLICATION')) stmt.rpReplication = p.parseInt(1, 2147483647);
  if (p.accept('SHARD')) {
    const d = p.scanIgnoreWhitespace();
    if (d.tok !== 'DURATION') throw p.errorAt(d, ['DURATION']);
    stmt.rpShardGroupDuration = p.parseDurationToken();
  }
  if (p.accept('NAME')) stmt.rpName = p.parseIdent();
  return stmt;
}

function parseShardDuration(p: Parser): bigint {
  const d = p.scanIgnoreWhitespace();
  if (d.tok !== 'DURATION') throw p.errorAt(d, ['DURATION']);
  const inf = p.scanIgnoreWhitespace();
  if (inf.tok === 'INF') throw messageAt('invalid duration INF for shard duration', inf.pos);
  p.unscan();
  return p.parseDurationToken();
}

export function parseCreateRetentionPolicy(p: Parser): Statement {
  const name = p.parseIdent();
  const on = p.scanIgnoreWhitespace();
  if (on.tok !== 'ON') throw p.errorAt(on, ['ON']);
  const database = p.parseIdent();
  const d = p.scanIgnoreWhitespace();
  if (d.tok !== 'DURATION') throw p.errorAt(d, ['DURATION']);
  const duration = p.parseDurationToken();
  const r = p.scanIgnoreWhitespace();
  if (r.tok !== 'REPLICATION') throw p.errorAt(r, ['REPLICATION']);
  const replication = p.parseInt(1, 2147483647);
  let shardGroupDuration = 0n;
  if (p.accept('SHARD')) shardGroupDuration = parseShardDuration(p);
  const isDefault = p.accept('DEFAULT');
  return { kind: 'create-retention-policy', name, database, duration, replication, shardGroupDuration, isDefault };
}

export function parseAlterRetentionPolicy(p: Parser): Statement {
  const t = p.scanIgnoreWhitespace();
  let name: string;
  if (t.tok === 'DEFAULT') name = 'default';
  else if (t.tok === 'IDENT') name = t.lit;
  else throw p.errorAt(t, ['identifier']);
  const on = p.scanIgnoreWhitespace();
  if (on.tok !== 'ON') throw p.errorAt(on, ['ON']);
  const database = p.parseIdent();
  const stmt: Statement & { kind: 'alter-retention-policy' } = { kind: 'alter-retention-policy', name, database, isDefault: false };
  const found = new Set<string>();
  for (;;) {
    const o = p.scanIgnoreWhitespace();
    if (found.has(o.tok)) throw messageAt(`found duplicate ${o.tok} option`, o.pos);
    switch (o.tok) {
      case 'DURATION':
        stmt.duration = p.parseDurationToken();
        break;
      case 'REPLICATION':
        stmt.replication = p.parseInt(1, 2147483647);
        break;
      case 'SHARD': {
        p.unscan();
        p.scanIgnoreWhitespace();
        stmt.shardGroupDuration = parseShardDuration(p);
        break;
      }
      case 'DEFAULT':
        stmt.isDefault = true;
        break;
      default:
        if (found.size === 0) throw p.errorAt(o, ['DURATION', 'REPLICATION', 'SHARD', 'DEFAULT']);
        p.unscan();
        return stmt;
    }
    found.add(o.tok);
  }
}

/**
 * parseDeleteStatement / parseDropSeriesStatement: sources apply to the
 * database across all its retention policies, so a qualified source is an
 * error. The walk keeps the last complaint (rp after db) and the ParseError
 * carries no position, hence "line 1, char 1".
 */
function checkDeleteSources(sources: Source[]): void {
  let err = '';
  for (const s of sources) {
    if (s.kind !== 'measurement') continue;
    if (s.database) err = 'database not supported';
    if (s.retentionPolicy) err = 'retention policy not supported';
  }
  if (err) throw new ParseError(`${err} at line 1, char 1`);
}

/** DROP SERIES and DELETE share parser.go's grammar: [FROM sources] [WHERE condition], at least one. */
function parseSourcesAndCondition(kind: 'drop-series' | 'delete', p: Parser): Statement {
  const t = p.scanIgnoreWhitespace();
  let sources: Source[] | undefined;
  if (t.tok === 'FROM') {
    sources = p.parseSources(false);
    checkDeleteSources(sources);
  } else p.unscan();
  const condition = p.parseCondition();
  if (!condition && !sources) throw p.errorAt(t, ['FROM', 'WHERE']);
  return { kind, sources, condition };
}

export const parseDropSeries = (p: Parser): Statement => parseSourcesAndCondition('drop-series', p);
export const parseDelete = (p: Parser): Statement => parseSourcesAndCondition('delete', p);
