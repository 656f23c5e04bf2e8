// User statements of influxql parser.go: CREATE USER, DROP USER, SET PASSWORD,
// GRANT, REVOKE, SHOW GRANTS. Same grammar and error messages as 1.x.

import type { Parser } from './parser.ts';
import type { Statement } from './ast.ts';

/** parseCreateUserStatement: CREATE USER name WITH PASSWORD 'pw' [WITH ALL PRIVILEGES]. */
export function parseCreateUser(p: Parser): Statement {
  const name = p.parseIdent();
  p.parseTokens(['WITH', 'PASSWORD']);
  const password = p.parseString();
  let admin = false;
  if (p.accept('WITH')) {
    p.parseTokens(['ALL', 'PRIVILEGES']);
    admin = true;
  }
  return { kind: 'create-user', name, password, admin };
}

/** parseSetPasswordUserStatement: SET PASSWORD FOR name = 'pw'. */
export function parseSetPassword(p: Parser): Statement {
  const name = p.parseIdent();
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== '=') throw p.errorAt(t, ['=']);
  return { kind: 'set-password', name, password: p.parseString() };
}

/** parsePrivilege: READ | WRITE | ALL [PRIVILEGES]. */
function parsePrivilege(p: Parser): 1 | 2 | 3 {
  const t = p.scanIgnoreWhitespace();
  if (t.tok === 'READ') return 1;
  if (t.tok === 'WRITE') return 2;
  if (t.tok === 'ALL') {
    if (p.scanIgnoreWhitespace().tok !== 'PRIVILEGES') p.unscan();
    return 3;
  }
  throw p.errorAt(t, ['READ', 'WRITE', 'ALL [PRIVILEGES]']);
}

/** parseGrantStatement / parseRevokeStatement: `ON db TO|FROM user`, or `ALL TO|FROM user` (admin). */
function grantOrRevoke(kind: 'grant' | 'revoke', p: Parser): Statement {
  const privilege = parsePrivilege(p);
  const word = kind === 'grant' ? 'TO' : 'FROM';
  const t = p.scanIgnoreWhitespace();
  if (t.tok === 'ON') {
    const on = p.parseIdent();
    const w = p.scanIgnoreWhitespace();
    if (w.tok !== word) throw p.errorAt(w, [word]);
    return { kind, privilege, on, user: p.parseIdent() };
  }
  if (t.tok === word && privilege === 3) return { kind, privilege, user: p.parseIdent() };
  throw p.errorAt(t, privilege === 3 ? ['ON', word] : ['ON']);
}

export const parseGrant = (p: Parser): Statement => grantOrRevoke('grant', p);
export const parseRevoke = (p: Parser): Statement => grantOrRevoke('revoke', p);
