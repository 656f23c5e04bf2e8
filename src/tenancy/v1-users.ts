// InfluxDB 1.x users: a name and password that 1.x clients send (u/p query
// parameters, Basic auth, `Token user:password`) instead of a token, an admin
// flag, and a privilege per database (NO PRIVILEGES, READ, WRITE, ALL), as
// CREATE USER / GRANT / REVOKE / SET PASSWORD / DROP USER manage them
// (influxdb 1.x services/meta/data.go). Users belong to the org whose token
// created them; a user's rights are those of a token over the buckets of its
// databases (tenancy/dbrp.ts). Passwords are stored as scrypt digests with a
// per-user salt (1.x uses bcrypt); a verified password is remembered in
// memory, as 1.x's meta client caches authenticated users, so only the first
// request of a client pays for the key derivation.

import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Collection } from '../core/ports/collection.ts';
import { newId } from './ids.ts';

/** 1.x influxql.Privilege: a bit set, so REVOKE is an AND NOT. */
export const Privilege = { None: 0, Read: 1, Write: 2, All: 3 } as const;
export type PrivilegeBits = 0 | 1 | 2 | 3;

export function privilegeName(p: number): string {
  return ['NO PRIVILEGES', 'READ', 'WRITE', 'ALL PRIVILEGES'][p] ?? 'NO PRIVILEGES';
}

export interface V1User {
  id: string;
  orgID: string;
  name: string;
  admin: boolean;
  /** database -> privilege bits, in the order they were first set. */
  privileges: Record<string, PrivilegeBits>;
  createdAt: string;
}

/** A user as kept (tenancy-collections.ts): the password as an scrypt digest, never clear. */
export interface StoredV1User extends V1User {
  passwordHash: string;
  seq: number;
}
type Stored = StoredV1User;

export class V1UserError extends Error {}

const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

async function checkPassword(stored: string, password: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return got.length === want.length && timingSafeEqual(got, want);
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export class V1Users {
  /** SHA-256 of the last password that verified, per user id and password digest (memory only, never stored). */
  private readonly verified = new Map<string, string>();

  constructor(private readonly users: Collection<Stored>) {
    // A change made by another node (a new password, say) forgets what was verified here.
    users.onChange = (id) => this.verified.delete(id);
  }

  /** An org's users in creation order (SHOW USERS). */
  list(orgID: string): V1User[] {
    return [...this.users.values()].filter((u) => u.orgID === orgID).sort((a, b) => a.seq - b.seq).map(publicOf);
  }

  get(orgID: string, name: string): V1User | undefined {
    const s = this.find(orgID, name);
    return s && publicOf(s);
  }

  /** True when some org has a user by this name (so a 1.x `u` is a user, not a token's label). */
  exists(name: string): boolean {
    for (const u of this.users.values()) if (u.name === name) return true;
    return false;
  }

  /** meta/data.go CreateUser: the same name with the same password and admin flag is not an error. */
  async create(orgID: string, name: string, password: string, admin: boolean): Promise<void> {
    if (!name) throw new V1UserError('username required');
    const existing = this.find(orgID, name);
    if (existing) {
      if (existing.admin !== admin || !(await checkPassword(existing.passwordHash, password))) throw new V1UserError('user already exists');
      return;
    }
    // Creation order across nodes (SHOW USERS lists in it): a time-based sequence.
    const last = Math.max(0, ...[...this.users.values()].map((u) => u.seq));
    const s: Stored = { id: newId(), orgID, name, passwordHash: await hashPassword(password), admin, privileges: {}, seq: Math.max(last + 1, Date.now()), createdAt: new Date().toISOString() };
    await this.users.put(s.id, s);
  }

  async drop(orgID: string, name: string): Promise<void> {
    const s = this.required(orgID, name);
    await this.users.delete(s.id);
  }

  async setPassword(orgID: string, name: string, password: string): Promise<void> {
    const s = this.required(orgID, name);
    const passwordHash = await hashPassword(password);
    await this.users.put(s.id, { ...s, passwordHash });
    this.verified.delete(s.id);
  }

  async setAdmin(orgID: string, name: string, admin: boolean): Promise<void> {
    const s = this.required(orgID, name);
    await this.users.put(s.id, { ...s, admin });
  }

  /** The privilege a user holds on a database (0 when none was ever set). */
  privilege(orgID: string, name: string, db: string): PrivilegeBits {
    return this.required(orgID, name).privileges[db] ?? 0;
  }

  async setPrivilege(orgID: string, name: string, db: string, p: PrivilegeBits): Promise<void> {
    const s = this.required(orgID, name);
    await this.savePrivileges(s, { ...s.privileges, [db]: p });
  }

  /** DROP DATABASE removes every user's privilege on it (meta/data.go DropDatabase). */
  async forgetDatabase(orgID: string, db: string): Promise<void> {
    for (const s of this.users.values()) {
      if (s.orgID !== orgID || !(db in s.privileges)) continue;
      const next = { ...s.privileges };
      delete next[db];
      await this.savePrivileges(s, next);
    }
  }

  /** The user (of any org) whose name and password these are. */
  async verify(name: string, password: string): Promise<V1User | undefined> {
    const digest = sha256(password);
    for (const s of this.users.values()) {
      if (s.name !== name) continue;
      if (this.verified.get(s.id) === digest) return publicOf(s);
      if (await checkPassword(s.passwordHash, password)) {
        this.verified.set(s.id, digest);
        return publicOf(s);
      }
    }
    return undefined;
  }

  private async savePrivileges(s: Stored, privileges: Record<string, PrivilegeBits>): Promise<void> {
    await this.users.put(s.id, { ...s, privileges });
  }

  private find(orgID: string, name: string): Stored | undefined {
    for (const u of this.users.values()) if (u.orgID === orgID && u.name === name) return u;
    return undefined;
  }

  private required(orgID: string, name: string): Stored {
    const s = this.find(orgID, name);
    if (!s) throw new V1UserError('user not found');
    return s;
  }
}

function publicOf(s: Stored): V1User {
  return { id: s.id, orgID: s.orgID, name: s.name, admin: s.admin, privileges: { ...s.privileges }, createdAt: s.createdAt };
}
