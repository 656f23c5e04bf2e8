// Orgs, buckets, users and tokens: kept in memory (every request checks a token
// and resolves a bucket) and persisted in the catalog database, one statement
// per change. Tokens are stored as SHA-256 digests and never returned again.

import { ERRORS, HooklineError } from '../core/errors.ts';
import type { SerialConnection } from '../storage/duck/duck.ts';
import { hashToken, newId, newToken } from './ids.ts';
import { defaultShardGroupSeconds, type Authorization, type Bucket, type Org, type Permission, type User } from './model.ts';
import { V1Users, type V1User } from './v1-users.ts';
import { ContinuousQueries } from './continuous-queries.ts';
import { dbOfBucket } from './dbrp.ts';
import { allAccess } from './permissions.ts';

/** Options kept with a token besides its permissions. */
export type AuthorizationExtra = Pick<Authorization, 'defaultBucketID' | 'opentsdbMode'>;

const DDL = [
  `CREATE TABLE IF NOT EXISTS hl_orgs (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, created_at VARCHAR, updated_at VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS hl_buckets (id VARCHAR PRIMARY KEY, org_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR, retention_seconds BIGINT NOT NULL, shard_group_seconds BIGINT NOT NULL, created_at VARCHAR, updated_at VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS hl_users (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS hl_authorizations (id VARCHAR PRIMARY KEY, token_hash VARCHAR NOT NULL, description VARCHAR, status VARCHAR NOT NULL, org_id VARCHAR NOT NULL, user_id VARCHAR, permissions VARCHAR NOT NULL, created_at VARCHAR, updated_at VARCHAR, extra VARCHAR)`,
  `ALTER TABLE hl_authorizations ADD COLUMN IF NOT EXISTS extra VARCHAR`,
  `CREATE TABLE IF NOT EXISTS hl_dbrp (org_id VARCHAR NOT NULL, db VARCHAR NOT NULL, default_rp VARCHAR NOT NULL)`,
];

/** A coded error (HL_CONFLICT 422, HL_NOT_FOUND 404 or HL_BAD_REQUEST 400 by kind), so HTTP renders it without knowing tenancy. */
export class TenancyError extends HooklineError {
  constructor(
    readonly kind: 'conflict' | 'not-found' | 'invalid',
    message: string,
  ) {
    super(kind === 'conflict' ? ERRORS.CONFLICT : kind === 'not-found' ? ERRORS.NOT_FOUND : ERRORS.BAD_REQUEST, message);
  }
}

export interface BucketInput {
  orgID: string;
  name: string;
  description?: string;
  retentionSeconds?: number;
  shardGroupSeconds?: number;
  /** A system bucket (`_monitoring`, as InfluxDB 2 has): its name may start with an underscore. */
  system?: boolean;
}

export class Tenancy {
  private readonly orgs = new Map<string, Org>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly users = new Map<string, User>();
  private readonly auths = new Map<string, Authorization>();
  private readonly byHash = new Map<string, Authorization>();
  private readonly defaultRps = new Map<string, string>();
  /** Called after a bucket is removed from the catalog, to delete its data. */
  onBucketDeleted: (bucket: Bucket) => Promise<void> = async () => undefined;

  private constructor(
    private readonly db: SerialConnection,
    /** InfluxDB 1.x users (CREATE USER ...), who sign in with a name and password on the 1.x endpoints. */
    readonly v1Users: V1Users,
    /** InfluxDB 1.x continuous queries (definitions; query/influxql/cq-runner.ts runs them). */
    readonly continuousQueries: ContinuousQueries,
  ) {}

  static async open(db: SerialConnection): Promise<Tenancy> {
    for (const ddl of DDL) await db.exec(ddl);
    const t = new Tenancy(db, await V1Users.open(db), await ContinuousQueries.open(db));
    for (const r of await db.rows<Record<string, string>>(`SELECT * FROM hl_orgs`)) {
      t.orgs.set(r.id, { id: r.id, name: r.name, description: r.description ?? '', createdAt: r.created_at, updatedAt: r.updated_at });
    }
    for (const r of await db.rows<Record<string, string | bigint>>(`SELECT * FROM hl_buckets`)) {
      t.buckets.set(String(r.id), {
        id: String(r.id),
        orgID: String(r.org_id),
        name: String(r.name),
        description: String(r.description ?? ''),
        retentionSeconds: Number(r.retention_seconds),
        shardGroupSeconds: Number(r.shard_group_seconds),
        createdAt: String(r.created_at),
        updatedAt: String(r.updated_at),
      });
    }
    for (const r of await db.rows<Record<string, string>>(`SELECT * FROM hl_users`)) t.users.set(r.id, { id: r.id, name: r.name });
    for (const r of await db.rows<Record<string, string>>(`SELECT * FROM hl_authorizations`)) {
      const a: Authorization = {
        id: r.id,
        tokenHash: r.token_hash,
        description: r.description ?? '',
        status: r.status === 'inactive' ? 'inactive' : 'active',
        orgID: r.org_id,
        userID: r.user_id ?? '',
        permissions: JSON.parse(r.permissions) as Permission[],
        ...(r.extra ? (JSON.parse(r.extra) as AuthorizationExtra) : {}),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
      t.auths.set(a.id, a);
      t.byHash.set(a.tokenHash, a);
    }
    for (const r of await db.rows<Record<string, string>>(`SELECT * FROM hl_dbrp`)) t.defaultRps.set(`${r.org_id}/${r.db}`, r.default_rp);
    return t;
  }

  get isEmpty(): boolean {
    return this.orgs.size === 0;
  }

  // ---------------------------------------------------------------- orgs

  listOrgs(): Org[] {
    return [...this.orgs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  org(id: string): Org | undefined {
    return this.orgs.get(id);
  }
  orgByName(name: string): Org | undefined {
    for (const o of this.orgs.values()) if (o.name === name) return o;
    return undefined;
  }
  /** An org by ID or, failing that, by name (the seed passes a name as orgID). */
  findOrg(idOrName: string): Org | undefined {
    return this.orgs.get(idOrName) ?? this.orgByName(idOrName);
  }

  async createOrg(name: string, description = ''): Promise<Org> {
    if (!name) throw new TenancyError('invalid', 'org name is empty');
    if (this.orgByName(name)) throw new TenancyError('conflict', `organization with name ${name} already exists`);
    const now = new Date().toISOString();
    const org: Org = { id: newId(), name, description, createdAt: now, updatedAt: now };
    await this.db.exec(`INSERT INTO hl_orgs VALUES (?, ?, ?, ?, ?)`, [org.id, org.name, org.description, now, now]);
    this.orgs.set(org.id, org);
    return org;
  }

  async updateOrg(id: string, patch: { name?: string; description?: string }): Promise<Org> {
    const org = this.orgs.get(id);
    if (!org) throw new TenancyError('not-found', 'organization not found');
    if (patch.name !== undefined && patch.name !== org.name && this.orgByName(patch.name)) {
      throw new TenancyError('conflict', `organization with name ${patch.name} already exists`);
    }
    const next = { ...org, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    await this.db.exec(`UPDATE hl_orgs SET name = ?, description = ?, updated_at = ? WHERE id = ?`, [next.name, next.description, next.updatedAt, id]);
    this.orgs.set(id, next);
    return next;
  }

  async deleteOrg(id: string): Promise<void> {
    const org = this.orgs.get(id);
    if (!org) throw new TenancyError('not-found', 'organization not found');
    for (const b of this.listBuckets({ orgID: id })) await this.deleteBucket(b.id);
    for (const a of [...this.auths.values()].filter((x) => x.orgID === id)) await this.deleteAuthorization(a.id);
    await this.db.exec(`DELETE FROM hl_orgs WHERE id = ?`, [id]);
    this.orgs.delete(id);
  }

  // ---------------------------------------------------------------- buckets

  listBuckets(filter: { orgID?: string; name?: string; id?: string } = {}): Bucket[] {
    return [...this.buckets.values()]
      .filter((b) => (filter.orgID === undefined || b.orgID === filter.orgID) && (filter.name === undefined || b.name === filter.name) && (filter.id === undefined || b.id === filter.id))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  bucket(id: string): Bucket | undefined {
    return this.buckets.get(id);
  }
  bucketByName(orgID: string, name: string): Bucket | undefined {
    for (const b of this.buckets.values()) if (b.orgID === orgID && b.name === name) return b;
    return undefined;
  }
  /** InfluxDB 2 tries a bucket value as an ID first, then as a name (http/write_handler.go findBucket). */
  findBucket(orgID: string, idOrName: string): Bucket | undefined {
    const byId = this.buckets.get(idOrName);
    if (byId && byId.orgID === orgID) return byId;
    return this.bucketByName(orgID, idOrName);
  }

  async createBucket(input: BucketInput): Promise<Bucket> {
    if (!this.orgs.has(input.orgID)) throw new TenancyError('not-found', 'organization not found');
    if (!input.name) throw new TenancyError('invalid', 'bucket name is empty');
    if (input.name.startsWith('_') && !input.system) throw new TenancyError('invalid', `bucket name ${input.name} is invalid. Buckets may not start with underscore`);
    if (this.bucketByName(input.orgID, input.name)) throw new TenancyError('conflict', `bucket with name ${input.name} already exists`);
    const retention = input.retentionSeconds ?? 0;
    if (retention < 0) throw new TenancyError('invalid', 'expiration seconds must be greater than or equal to one hour');
    if (retention > 0 && retention < 3600) throw new TenancyError('invalid', 'expiration seconds must be greater than or equal to one hour');
    const now = new Date().toISOString();
    const b: Bucket = {
      id: newId(),
      orgID: input.orgID,
      name: input.name,
      description: input.description ?? '',
      retentionSeconds: retention,
      shardGroupSeconds: input.shardGroupSeconds && input.shardGroupSeconds > 0 ? input.shardGroupSeconds : defaultShardGroupSeconds(retention),
      createdAt: now,
      updatedAt: now,
    };
    await this.db.exec(`INSERT INTO hl_buckets VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      b.id,
      b.orgID,
      b.name,
      b.description,
      b.retentionSeconds,
      b.shardGroupSeconds,
      now,
      now,
    ]);
    this.buckets.set(b.id, b);
    return b;
  }

  async updateBucket(id: string, patch: { name?: string; description?: string; retentionSeconds?: number; shardGroupSeconds?: number }): Promise<Bucket> {
    const b = this.buckets.get(id);
    if (!b) throw new TenancyError('not-found', 'bucket not found');
    if (patch.name !== undefined && patch.name !== b.name && this.bucketByName(b.orgID, patch.name)) {
      throw new TenancyError('conflict', `bucket with name ${patch.name} already exists`);
    }
    if (patch.retentionSeconds !== undefined && patch.retentionSeconds > 0 && patch.retentionSeconds < 3600) {
      throw new TenancyError('invalid', 'expiration seconds must be greater than or equal to one hour');
    }
    if (patch.shardGroupSeconds !== undefined && !(patch.shardGroupSeconds > 0)) delete patch.shardGroupSeconds;
    // A new partition length applies to files written from now on; existing files keep theirs.
    const next = { ...b, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    await this.db.exec(`UPDATE hl_buckets SET name = ?, description = ?, retention_seconds = ?, shard_group_seconds = ?, updated_at = ? WHERE id = ?`, [
      next.name,
      next.description,
      next.retentionSeconds,
      next.shardGroupSeconds,
      next.updatedAt,
      id,
    ]);
    this.buckets.set(id, next);
    return next;
  }

  async deleteBucket(id: string): Promise<void> {
    const b = this.buckets.get(id);
    if (!b) throw new TenancyError('not-found', 'bucket not found');
    await this.db.exec(`DELETE FROM hl_buckets WHERE id = ?`, [id]);
    this.buckets.delete(id);
    await this.onBucketDeleted(b);
  }

  // ---------------------------------------------------------------- InfluxDB 1.x databases

  /** The default retention policy of a 1.x database ("autogen" unless changed). */
  defaultRp(orgID: string, db: string): string {
    return this.defaultRps.get(`${orgID}/${db}`) ?? 'autogen';
  }

  async setDefaultRp(orgID: string, db: string, rp: string): Promise<void> {
    await this.db.exec(`DELETE FROM hl_dbrp WHERE org_id = ? AND db = ?`, [orgID, db]);
    if (rp !== 'autogen') await this.db.exec(`INSERT INTO hl_dbrp VALUES (?, ?, ?)`, [orgID, db, rp]);
    if (rp === 'autogen') this.defaultRps.delete(`${orgID}/${db}`);
    else this.defaultRps.set(`${orgID}/${db}`, rp);
  }

  // ---------------------------------------------------------------- users

  user(id: string): User | undefined {
    return this.users.get(id);
  }
  listUsers(): User[] {
    return [...this.users.values()];
  }
  async createUser(name: string): Promise<User> {
    const u: User = { id: newId(), name };
    await this.db.exec(`INSERT INTO hl_users VALUES (?, ?)`, [u.id, u.name]);
    this.users.set(u.id, u);
    return u;
  }

  // ---------------------------------------------------------------- authorizations

  /** The authorization a token string belongs to, if active or not. */
  authenticate(token: string): Authorization | undefined {
    if (!token) return undefined;
    return this.byHash.get(hashToken(token));
  }

  /**
   * A 1.x user's name and password as an authorization: an admin has all
   * access to its org; any other user reads and/or writes the buckets of the
   * databases it was granted, as they are now (buckets created later count).
   */
  async authenticateUser(name: string, password: string): Promise<Authorization | undefined> {
    const u = await this.v1Users.verify(name, password);
    if (!u) return undefined;
    return { id: u.id, v1User: u.name, tokenHash: '', description: `InfluxDB 1.x user ${u.name}`, status: 'active', orgID: u.orgID, userID: u.id, permissions: this.userPermissions(u), createdAt: u.createdAt, updatedAt: u.createdAt };
  }

  private userPermissions(u: V1User): Permission[] {
    if (u.admin) return allAccess(u.orgID);
    const out: Permission[] = [];
    for (const b of this.listBuckets({ orgID: u.orgID })) {
      const p = u.privileges[dbOfBucket(b.name).db] ?? 0;
      if (p & 1) out.push({ action: 'read', resource: { type: 'buckets', orgID: u.orgID, id: b.id } });
      if (p & 2) out.push({ action: 'write', resource: { type: 'buckets', orgID: u.orgID, id: b.id } });
    }
    return out;
  }

  listAuthorizations(filter: { orgID?: string; userID?: string } = {}): Authorization[] {
    return [...this.auths.values()].filter(
      (a) => (filter.orgID === undefined || a.orgID === filter.orgID) && (filter.userID === undefined || a.userID === filter.userID),
    );
  }
  authorization(id: string): Authorization | undefined {
    return this.auths.get(id);
  }

  /** Creates a token; the clear token is returned here only. */
  async createAuthorization(input: {
    orgID: string;
    userID?: string;
    description?: string;
    permissions: Permission[];
    status?: 'active' | 'inactive';
    token?: string;
  } & AuthorizationExtra): Promise<{ auth: Authorization; token: string }> {
    if (!this.orgs.has(input.orgID)) throw new TenancyError('not-found', 'organization not found');
    const token = input.token ?? newToken();
    const tokenHash = hashToken(token);
    if (this.byHash.has(tokenHash)) throw new TenancyError('conflict', 'token already exists');
    const now = new Date().toISOString();
    const auth: Authorization = {
      id: newId(),
      tokenHash,
      description: input.description ?? '',
      status: input.status ?? 'active',
      orgID: input.orgID,
      userID: input.userID ?? '',
      permissions: input.permissions,
      ...(input.defaultBucketID ? { defaultBucketID: input.defaultBucketID } : {}),
      ...(input.opentsdbMode ? { opentsdbMode: input.opentsdbMode } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await this.db.exec(`INSERT INTO hl_authorizations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      auth.id,
      auth.tokenHash,
      auth.description,
      auth.status,
      auth.orgID,
      auth.userID,
      JSON.stringify(auth.permissions),
      now,
      now,
      JSON.stringify(extraOf(auth)),
    ]);
    this.auths.set(auth.id, auth);
    this.byHash.set(tokenHash, auth);
    return { auth, token };
  }

  /** `clear` names extras set to undefined in `patch` that are to be removed rather than left alone. */
  async updateAuthorization(
    id: string,
    patch: { status?: 'active' | 'inactive'; description?: string } & AuthorizationExtra,
    clear: Array<keyof AuthorizationExtra> = [],
  ): Promise<Authorization> {
    const a = this.auths.get(id);
    if (!a) throw new TenancyError('not-found', 'authorization not found');
    const next: Authorization = { ...a, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    for (const k of clear) if (patch[k] === undefined) delete next[k];
    await this.db.exec(`UPDATE hl_authorizations SET status = ?, description = ?, updated_at = ?, extra = ? WHERE id = ?`, [
      next.status,
      next.description,
      next.updatedAt,
      JSON.stringify(extraOf(next)),
      id,
    ]);
    this.auths.set(id, next);
    this.byHash.set(next.tokenHash, next);
    return next;
  }

  async deleteAuthorization(id: string): Promise<void> {
    const a = this.auths.get(id);
    if (!a) throw new TenancyError('not-found', 'authorization not found');
    await this.db.exec(`DELETE FROM hl_authorizations WHERE id = ?`, [id]);
    this.auths.delete(id);
    this.byHash.delete(a.tokenHash);
  }
}

function extraOf(a: Authorization): AuthorizationExtra {
  return definedOnly({ defaultBucketID: a.defaultBucketID, opentsdbMode: a.opentsdbMode });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
