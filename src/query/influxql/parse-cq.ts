// CREATE / DROP CONTINUOUS QUERY as influxql parser.go parses them
// (parseCreateContinuousQueryStatement, parseResample, validate): same
// grammar, same error texts.

import { ParseError, messageAt, type Parser } from './parser.ts';
import { formatDuration, type SelectStatement, type Statement } from './ast.ts';
import { parseDuration } from './duration.ts';

/** SelectStatement.GroupByInterval: the time() dimension's interval (0n when none). */
export function groupByInterval(s: SelectStatement): bigint {
  for (const d of s.dimensions) {
    if (d.kind === 'call' && d.name === 'time' && d.args[0]?.kind === 'duration') return d.args[0].val;
  }
  return 0n;
}

/** The GROUP BY time() offset (second argument), 0n when none. */
export function groupByOffset(s: SelectStatement): bigint {
  for (const d of s.dimensions) {
    if (d.kind === 'call' && d.name === 'time' && d.args[1]?.kind === 'duration') return d.args[1].val;
  }
  return 0n;
}

function resampleDuration(p: Parser): bigint {
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== 'DURATIONVAL') throw p.errorAt(t, ['duration']);
  try {
    return parseDuration(t.lit);
  } catch (e) {
    throw messageAt((e as Error).message, t.pos);
  }
}

export function parseCreateContinuousQuery(p: Parser): Statement {
  const name = p.parseIdent();
  const on = p.scanIgnoreWhitespace();
  if (on.tok !== 'ON') throw p.errorAt(on, ['ON']);
  const database = p.parseIdent();
  let every = 0n;
  let forDuration = 0n;
  if (p.accept('RESAMPLE')) {
    if (p.accept('EVERY')) every = resampleDuration(p);
    if (p.accept('FOR')) forDuration = resampleDuration(p);
    if (every === 0n && forDuration === 0n) throw p.errorAt(p.scanIgnoreWhitespace(), ['EVERY', 'FOR']);
  }
  p.parseTokens(['BEGIN', 'SELECT']);
  const source = p.parseSelectStatement('required');
  if (!source.isRawQuery && groupByInterval(source) === 0n) {
    // parser.go rewinds to name the token before the missing GROUP BY.
    p.unscan();
    p.unscan();
    throw p.errorAt(p.scanIgnoreWhitespace(), ['GROUP BY time(...)']);
  }
  const end = p.scanIgnoreWhitespace();
  if (end.tok !== 'END') throw p.errorAt(end, ['END']);
  // CreateContinuousQueryStatement.validate
  if (forDuration !== 0n) {
    let interval = groupByInterval(source);
    if (every !== 0n && every > interval) interval = every;
    if (interval > forDuration) {
      throw new ParseError(`FOR duration must be >= GROUP BY time duration: must be a minimum of ${formatDuration(interval)}, got ${formatDuration(forDuration)}`);
    }
  }
  return { kind: 'create-cq', name, database, every, for: forDuration, source };
}

export function parseDropContinuousQuery(p: Parser): Statement {
  const name = p.parseIdent();
  const on = p.scanIgnoreWhitespace();
  if (on.tok !== 'ON') throw p.errorAt(on, ['ON']);
  return { kind: 'drop-cq', name, database: p.parseIdent() };
}
