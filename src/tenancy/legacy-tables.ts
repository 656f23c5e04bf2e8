// Data directories made before tenancy moved onto Collections keep their
// orgs, buckets, tokens, 1.x users, default retention policies and continuous
// queries in the hl_* tables of the catalog. On the first start of this
// version those rows are copied once into the collections (the old tables are
// left as they were, so an older version still starts on the directory).

import type { SerialConnection } from '../storage/duck/duck.ts';
import type { Authorization, Permission } from './model.ts';
import { nameKey } from './name-key.ts';
import type { TenancyCollections } from './tenancy-collections.ts';
import type { PrivilegeBits } from './v1-users.ts';

type Row = Record<string, string | bigint | boolean | null>;

async function tableRows(db: SerialConnection, table: string, order = ''): Promise<Row[]> {
  const exists = await db.rows<{ n: bigint }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?`, [table]);
  if (Number(exists[0]?.n ?? 0) === 0) return [];
  return db.rows<Row>(`SELECT * FROM ${table} ${order}`);
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

const TABLES = ['hl_orgs', 'hl_buckets', 'hl_users', 'hl_authorizations', 'hl_dbrp', 'hl_v1_users', 'hl_continuous_queries'];

/** Copies the hl_* tables into `c`, then renames them; answers how many records were copied. */
export async function importLegacyTables(db: SerialConnection, c: TenancyCollections): Promise<number> {
  const n = await copy(db, c);
  for (const t of TABLES) {
    const exists = await db.rows<{ n: bigint }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?`, [t]);
    if (Number(exists[0]?.n ?? 0) > 0) await db.exec(`ALTER TABLE ${t} RENAME TO ${t}_imported`);
  }
  return n;
}

async function copy(db: SerialConnection, c: TenancyCollections): Promise<number> {
  let n = 0;
  for (const r of await tableRows(db, 'hl_orgs')) {
    await c.orgs.put(str(r.id), { id: str(r.id), name: str(r.name), description: str(r.description), createdAt: str(r.created_at), updatedAt: str(r.updated_at) });
    n++;
  }
  for (const r of await tableRows(db, 'hl_buckets')) {
    await c.buckets.put(str(r.id), {
      id: str(r.id),
      orgID: str(r.org_id),
      name: str(r.name),
      description: str(r.description),
      retentionSeconds: Number(r.retention_seconds),
      shardGroupSeconds: Number(r.shard_group_seconds),
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
    });
    n++;
  }
  for (const r of await tableRows(db, 'hl_users')) {
    await c.users.put(str(r.id), { id: str(r.id), name: str(r.name) });
    n++;
  }
  for (const r of await tableRows(db, 'hl_authorizations')) {
    const a: Authorization = {
      id: str(r.id),
      tokenHash: str(r.token_hash),
      description: str(r.description),
      status: r.status === 'inactive' ? 'inactive' : 'active',
      orgID: str(r.org_id),
      userID: str(r.user_id),
      permissions: JSON.parse(str(r.permissions)) as Permission[],
      ...(r.extra ? (JSON.parse(str(r.extra)) as object) : {}),
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
    };
    await c.authorizations.put(a.id, a);
    n++;
  }
  for (const r of await tableRows(db, 'hl_dbrp')) {
    await c.dbrp.put(nameKey(str(r.org_id), str(r.db)), { orgID: str(r.org_id), db: str(r.db), rp: str(r.default_rp) });
    n++;
  }
  for (const r of await tableRows(db, 'hl_v1_users', 'ORDER BY seq')) {
    await c.v1Users.put(str(r.id), {
      id: str(r.id),
      orgID: str(r.org_id),
      name: str(r.name),
      passwordHash: str(r.password_hash),
      admin: r.admin === true,
      privileges: JSON.parse(str(r.privileges)) as Record<string, PrivilegeBits>,
      seq: Number(r.seq),
      createdAt: str(r.created_at),
    });
    n++;
  }
  for (const r of await tableRows(db, 'hl_continuous_queries', 'ORDER BY seq')) {
    await c.continuousQueries.put(nameKey(str(r.org_id), str(r.db), str(r.name)), { orgID: str(r.org_id), db: str(r.db), name: str(r.name), query: str(r.query), seq: Number(r.seq) });
    n++;
  }
  return n;
}
