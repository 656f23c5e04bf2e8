// User statements over tenancy's 1.x users (coordinator/statement_executor.go
// executeCreateUserStatement ... executeShowGrantsForUserStatement): the same
// answers and errors as 1.x, within the org of the token that runs them.

import { QueryError } from '../condition.ts';
import type { Statement } from '../ast.ts';
import { privilegeName, V1UserError, type PrivilegeBits, type V1Users } from '../../../tenancy/v1-users.ts';
import type { ShowRow } from './series-set.ts';

export interface UserEnv {
  users: V1Users;
  orgID: string;
  databaseExists(db: string): boolean;
}

export async function runUserStatement(s: Statement, env: UserEnv): Promise<ShowRow[]> {
  try {
    return await run(s, env);
  } catch (e) {
    if (e instanceof V1UserError) throw new QueryError(e.message);
    throw e;
  }
}

async function run(s: Statement, { users, orgID, databaseExists }: UserEnv): Promise<ShowRow[]> {
  // meta/data.go SetPrivilege checks the user, then the database.
  const setPrivilege = async (user: string, db: string, p: PrivilegeBits) => {
    users.privilege(orgID, user, db);
    if (!databaseExists(db)) throw new QueryError(`database not found: ${db}`);
    await users.setPrivilege(orgID, user, db, p);
  };
  switch (s.kind) {
    case 'create-user':
      await users.create(orgID, s.name, s.password, s.admin);
      return [];
    case 'drop-user':
      await users.drop(orgID, s.name);
      return [];
    case 'set-password':
      await users.setPassword(orgID, s.name, s.password);
      return [];
    case 'grant':
      if (s.on === undefined) await users.setAdmin(orgID, s.user, true);
      else await setPrivilege(s.user, s.on, s.privilege);
      return [];
    case 'revoke':
      if (s.on === undefined) await users.setAdmin(orgID, s.user, false);
      // Revoking ALL needs no look at what the user has; otherwise AND NOT.
      else await setPrivilege(s.user, s.on, s.privilege === 3 ? 0 : ((users.privilege(orgID, s.user, s.on) & ~s.privilege) as PrivilegeBits));
      return [];
    case 'show-users':
      // One row even without users.
      return [{ columns: ['user', 'admin'], values: users.list(orgID).map((u) => [u.name, u.admin]) }];
    case 'show-grants': {
      const u = users.get(orgID, s.user);
      if (!u) throw new QueryError('user not found');
      // 1.x walks a Go map (random order); sorted here.
      const dbs = Object.keys(u.privileges).sort();
      return [{ columns: ['database', 'privilege'], values: dbs.map((db) => [db, privilegeName(u.privileges[db])]) }];
    }
    default:
      throw new Error(`not a user statement: ${s.kind}`);
  }
}
