// Orgs, buckets, users and tokens: kept in memory (every request checks a token
// and resolves a bucket) and persisted in one Collection per kind
// (tenancy-collections.ts): the catalog database alone, JetStream key-value
// buckets shared by every node with HOOKLINE_NATS_URL. A change made by another
// node arrives through the collection's onChange, so the derived indexes (a
// token's digest, a deleted bucket's data) follow it. Tokens are stored as
// SHA-256 digests and never returned again.

import { ERRORS, HooklineError } from '../core/errors.ts';
import type { SerialConnection } from '../storage/duck/duck.ts';
import { DuckCollection } from '../events/collection.ts';
import { hashToken, newId, newToken } from './ids.ts';
import { importLegacyTables } from './legacy-tables.ts';
import { nameKey } from './name-key.ts';
import { openTenancyCollections, type TenancyCollections } from './tenancy-collections.ts';
import { defaultShardGroupSeconds, type Authorization, type Bucket, type Org, type Permission, type User } from './model.ts';
import { V1Users, type V1User } from './v1-users.ts';
import { ContinuousQueries } from './continuous-queries.ts';
import { dbOfBucket } from './dbrp.ts';
import { allAccess } from './permissions.ts';

/** Options kept with a token besides its permissions. */
export type AuthorizationExtra = Pick<Authorization, 'defaultBucketID' | 'opentsdbMode'>;

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
  /** token digest -> authorization id, kept in step with the authorizations collection. */
  private readonly byHash = new Map<string, string>();
  /** authorization id -> its digest, to unindex a changed or deleted one. */
  private readonly hashOf = new Map<string, string>();
  /** Buckets as last seen, to hand a bucket deleted by another node to onBucketDeleted. */
  private readonly knownBuckets = new Map<string, Bucket>();
  /** Called after a bucket is removed from the catalog (here or by another node), to delete its data. */
  onBucketDeleted: (bucket: Bucket) => Promise<void> = async () => undefined;
  /** Reports a failure of onBucketDeleted for a deletion made by another node (no caller to answer). */
  onError: (msg: string, e: unknown) => void = () => undefined;
  /** InfluxDB 1.x users (CREATE USER ...), who sign in with a name and password on the 1.x endpoints. */
  readonly v1Users: V1Users;
  /** InfluxDB 1.x continuous queries (definitions; query/influxql/cq-runner.ts runs them). */
  readonly continuousQueries: ContinuousQueries;

  private constructor(private readonly c: TenancyCollections) {
    this.v1Users = new V1Users(c.v1Users);
    this.continuousQueries = new ContinuousQueries(c.continuousQueries);
    for (const a of c.authorizations.values()) this.index(a.id, a);
    for (const b of c.buckets.values()) this.knownBuckets.set(b.id, b);
    c.authorizations.onChange = (id, a) => this.index(id, a);
    c.buckets.onChange = (id, b) => {
      if (b) return void this.knownBuckets.set(id, b);
      const gone = this.knownBuckets.get(id);
      if (!gone) return;
      this.knownBuckets.delete(id);
      this.onBucketDeleted(gone).catch((e) => this.onError('deleting the data of a bucket dropped on another node failed', e));
    };
  }

  /** Alone: the catalog database's collections, with the tables of older versions copied in once. */
  static async open(db: SerialConnection): Promise<Tenancy> {
    const c = await openTenancyCollections((name) => DuckCollection.open(db, name));
    await importLegacyTables(db, c);
    return new Tenancy(c);
  }

  /** Over collections server.ts chose (JetStream key-value buckets for several nodes). */
  static over(c: TenancyCollections): Tenancy {
    return new Tenancy(c);
  }

  private index(id: string, a: Authorization | undefined): void {
    const old = this.hashOf.get(id);
    if (old !== undefined && this.byHash.get(old) === id) this.byHash.delete(old);
    this.hashOf.delete(id);
    if (!a) return;
    this.byHash.set(a.tokenHash, id);
    this.hashOf.set(id, a.tokenHash);
  }

  get isEmpty(): boolean {
    return this.c.orgs.size === 0;
  }

  // ---------------------------------------------------------------- orgs

  listOrgs(): Org[] {
    return [...this.c.orgs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  org(id: string): Org | undefined {
    return this.c.orgs.get(id);
  }
  orgByName(name: string): Org | undefined {
    for (const o of this.c.orgs.values()) if (o.name === name) return o;
    return undefined;
  }
  /** An org by ID or, failing that, by name (the seed passes a name as orgID). */
  findOrg(idOrName: string): Org | undefined {
    return this.c.orgs.get(idOrName) ?? this.orgByName(idOrName);
  }

  async createOrg(name: string, description = ''): Promise<Org> {
    if (!name) throw new TenancyError('invalid', 'org name is empty');
    if (this.orgByName(name)) throw new TenancyError('conflict', `organization with name ${name} already exists`);
    const now = new Date().toISOString();
    const org: Org = { id: newId(), name, description, createdAt: now, updatedAt: now };
    await this.c.orgs.put(org.id, org);
    return org;
  }

  async updateOrg(id: string, patch: { name?: string; description?: string }): Promise<Org> {
    const org = this.c.orgs.get(id);
    if (!org) throw new TenancyError('not-found', 'organization not found');
    if (patch.name !== undefined && patch.name !== org.name && this.orgByName(patch.name)) {
      throw new TenancyError('conflict', `organization with name ${patch.name} already exists`);
    }
    const next = { ...org, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    await this.c.orgs.put(id, next);
    return next;
  }

  async deleteOrg(id: string): Promise<void> {
    const org = this.c.orgs.get(id);
    if (!org) throw new TenancyError('not-found', 'organization not found');
    for (const b of this.listBuckets({ orgID: id })) await this.deleteBucket(b.id);
    for (const a of [...this.c.authorizations.values()].filter((x) => x.orgID === id)) await this.deleteAuthorization(a.id);
    await this.c.orgs.delete(id);
  }

  // ---------------------------------------------------------------- buckets

  listBuckets(filter: { orgID?: string; name?: string; id?: string } = {}): Bucket[] {
    return [...this.c.buckets.values()]
      .filter((b) => (filter.orgID === undefined || b.orgID === filter.orgID) && (filter.name === undefined || b.name === filter.name) && (filter.id === undefined || b.id === filter.id))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  bucket(id: string): Bucket | undefined {
    return this.c.buckets.get(id);
  }
  bucketByName(orgID: string, name: string): Bucket | undefined {
    for (const b of this.c.buckets.values()) if (b.orgID === orgID && b.name === name) return b;
    return undefined;
  }
  /** InfluxDB 2 tries a bucket value as an ID first, then as a name (http/write_handler.go findBucket). */
  findBucket(orgID: string, idOrName: string): Bucket | undefined {
    const byId = this.c.buckets.get(idOrName);
    if (byId && byId.orgID === orgID) return byId;
    return this.bucketByName(orgID, idOrName);
  }

  async createBucket(input: BucketInput): Promise<Bucket> {
    if (!this.c.orgs.get(input.orgID)) throw new TenancyError('not-found', 'organization not found');
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
    await this.c.buckets.put(b.id, b);
    return b;
  }

  async updateBucket(id: string, patch: { name?: string; description?: string; retentionSeconds?: number; shardGroupSeconds?: number }): Promise<Bucket> {
    const b = this.c.buckets.get(id);
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
    await this.c.buckets.put(id, next);
    return next;
  }

  async deleteBucket(id: string): Promise<void> {
    const b = this.c.buckets.get(id);
    if (!b) throw new TenancyError('not-found', 'bucket not found');
    // Forgotten before the collection tells its listeners, so the data is deleted once, here, before the answer.
    this.knownBuckets.delete(id);
    await this.c.buckets.delete(id);
    await this.onBucketDeleted(b);
  }

  // ---------------------------------------------------------------- InfluxDB 1.x databases

  /** The default retention policy of a 1.x database ("autogen" unless changed). */
  defaultRp(orgID: string, db: string): string {
    return this.c.dbrp.get(nameKey(orgID, db))?.rp ?? 'autogen';
  }

  async setDefaultRp(orgID: string, db: string, rp: string): Promise<void> {
    if (rp === 'autogen') {
      if (this.c.dbrp.get(nameKey(orgID, db))) await this.c.dbrp.delete(nameKey(orgID, db));
    } else await this.c.dbrp.put(nameKey(orgID, db), { orgID, db, rp });
  }

  // ---------------------------------------------------------------- users

  user(id: string): User | undefined {
    return this.c.users.get(id);
  }
  listUsers(): User[] {
    return [...this.c.users.values()];
  }
  async createUser(name: string): Promise<User> {
    const u: User = { id: newId(), name };
    await this.c.users.put(u.id, u);
    return u;
  }

  // ---------------------------------------------------------------- authorizations

  /** The authorization a token string belongs to, if active or not. */
  authenticate(token: string): Authorization | undefined {
    if (!token) return undefined;
    const id = this.byHash.get(hashToken(token));
    return id === undefined ? undefined : this.c.authorizations.get(id);
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
    return [...this.c.authorizations.values()].filter(
      (a) => (filter.orgID === undefined || a.orgID === filter.orgID) && (filter.userID === undefined || a.userID === filter.userID),
    );
  }
  authorization(id: string): Authorization | undefined {
    return this.c.authorizations.get(id);
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
    if (!this.c.orgs.get(input.orgID)) throw new TenancyError('not-found', 'organization not found');
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
    await this.c.authorizations.put(auth.id, auth);
    return { auth, token };
  }

  /** `clear` names extras set to undefined in `patch` that are to be removed rather than left alone. */
  async updateAuthorization(
    id: string,
    patch: { status?: 'active' | 'inactive'; description?: string } & AuthorizationExtra,
    clear: Array<keyof AuthorizationExtra> = [],
  ): Promise<Authorization> {
    const a = this.c.authorizations.get(id);
    if (!a) throw new TenancyError('not-found', 'authorization not found');
    const next: Authorization = { ...a, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    for (const k of clear) if (patch[k] === undefined) delete next[k];
    await this.c.authorizations.put(id, next);
    return next;
  }

  async deleteAuthorization(id: string): Promise<void> {
    const a = this.c.authorizations.get(id);
    if (!a) throw new TenancyError('not-found', 'authorization not found');
    await this.c.authorizations.delete(a.id);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
