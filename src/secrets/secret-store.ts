// Cloud secrets (docs.particle.io/getting-started/cloud/secrets): per org, named ^[A-Z_][A-Z0-9_]*$, values
// encrypted at rest (secret-cipher.ts) and never returned by the API. Plain
// values are kept in memory only, for rendering webhooks.

import type { Collection } from '../events/collection.ts';
import { decryptSecret, encryptSecret } from './secret-cipher.ts';
import { loadOrCreateKey, readKeySync } from './secret-key.ts';

export const SECRET_NAME_RE = /^[A-Z_][A-Z0-9_]*$/;
export const MAX_SECRET_BYTES = 4096;

export interface SecretDoc {
  orgId: string;
  name: string;
  cipher: string;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  last_accessed_at: string | null;
}

export interface SecretUsage {
  integrations: Array<{ id: string; name: string }>;
}

/** The key of a secret in its collection (also its AAD). */
export function secretId(orgId: string, name: string): string {
  return `${orgId}.${name}`;
}

export class SecretStore {
  private readonly plain = new Map<string, string>();
  private readonly accessed = new Map<string, string>();

  private key: Buffer | undefined;

  constructor(
    private readonly docs: Collection<SecretDoc>,
    private readonly keyFile: string,
    private readonly warn: (msg: string) => void = () => undefined,
  ) {
    docs.onChange = (id) => this.plain.delete(id);
  }

  /** The key for decrypting: loaded once from its file (which exists as soon as any secret does). */
  private readKey(): Buffer {
    this.key ??= readKeySync(this.keyFile);
    if (!this.key) throw new Error(`secrets exist but their key file ${this.keyFile} does not (HOOKLINE_SECRETS_KEY_FILE)`);
    return this.key;
  }

  list(orgId: string): SecretDoc[] {
    return [...this.docs.values()].filter((d) => d.orgId === orgId).sort((a, b) => (a.name < b.name ? -1 : 1)).map((d) => this.withAccess(d));
  }

  get(orgId: string, name: string): SecretDoc | undefined {
    const d = this.docs.get(secretId(orgId, name));
    return d && this.withAccess(d);
  }

  private withAccess(d: SecretDoc): SecretDoc {
    const at = this.accessed.get(secretId(d.orgId, d.name));
    return at ? { ...d, last_accessed_at: at } : d;
  }

  /** Creates or updates; answers whether it was created. */
  async put(orgId: string, name: string, value: string, by: string): Promise<{ doc: SecretDoc; created: boolean }> {
    const id = secretId(orgId, name);
    const now = new Date().toISOString();
    const old = this.docs.get(id);
    this.key ??= await loadOrCreateKey(this.keyFile, this.warn);
    const doc: SecretDoc = {
      orgId,
      name,
      cipher: encryptSecret(this.key, id, value),
      created_at: old?.created_at ?? now,
      updated_at: now,
      created_by: old?.created_by ?? by,
      updated_by: by,
      last_accessed_at: old?.last_accessed_at ?? null,
    };
    await this.docs.put(id, doc);
    this.plain.set(id, value);
    return { doc, created: !old };
  }

  async delete(orgId: string, name: string): Promise<void> {
    const id = secretId(orgId, name);
    await this.docs.delete(id);
    this.plain.delete(id);
    this.accessed.delete(id);
  }

  /** Plain values of the named secrets that exist (missing ones are left out), marking them accessed. */
  values(orgId: string, names: readonly string[], markAccessed = true): Record<string, string> {
    const out: Record<string, string> = {};
    if (names.length === 0) return out;
    const now = new Date().toISOString();
    for (const name of names) {
      const id = secretId(orgId, name);
      let v = this.plain.get(id);
      if (v === undefined) {
        const d = this.docs.get(id);
        if (!d) continue;
        v = decryptSecret(this.readKey(), id, d.cipher);
        this.plain.set(id, v);
      }
      out[name] = v;
      if (markAccessed) this.accessed.set(id, now);
    }
    return out;
  }

  /** Every plain value of an org's secrets (to mask free text). */
  allValues(orgId: string): string[] {
    return Object.values(this.values(orgId, this.list(orgId).map((d) => d.name), false));
  }
}
