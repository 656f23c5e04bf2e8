// Devices (docs.particle.io/reference/cloud-apis/api; issue 4 "Device registry"): 24-hex ids like
// Particle's, a name unique in the org, and a publish token shown once and
// stored as its SHA-256 digest only (as src/tenancy/ids.ts does for API
// tokens). last_heard is kept in memory on every publish and saved every few
// seconds, not per event.

import { ERRORS, HooklineError } from '../core/errors.ts';
import { randomBytes } from 'node:crypto';
import type { Collection } from '../events/collection.ts';
import { hashToken } from '../tenancy/ids.ts';

export const DEVICE_ID_RE = /^[0-9a-f]{24}$/;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

export interface DeviceDoc {
  id: string;
  orgId: string;
  name: string;
  tokenHash: string;
  created_at: string;
  last_heard: string | null;
  last_ip_address: string | null;
  notes: string | null;
}

/** A device name or ID refused: coded where it is raised (400, or 409/422 for a name taken). */
export class DeviceError extends HooklineError {
  constructor(
    readonly kind: 'invalid' | 'conflict',
    message: string,
  ) {
    super(kind === 'conflict' ? ERRORS.CONFLICT : ERRORS.BAD_REQUEST, message, { data: { error_description: message } });
  }
}

export class DeviceRegistry {
  private readonly byHash = new Map<string, string>();
  private readonly heard = new Map<string, { at: string; ip: string | null }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docs: Collection<DeviceDoc>,
    flushMs = 5000,
  ) {
    for (const d of docs.values()) this.byHash.set(d.tokenHash, d.id);
    const previous = docs.onChange;
    docs.onChange = (id, doc) => {
      previous?.(id, doc);
      for (const [h, i] of this.byHash) if (i === id) this.byHash.delete(h);
      if (doc) this.byHash.set(doc.tokenHash, id);
    };
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
    this.timer.unref();
  }

  list(orgId: string): DeviceDoc[] {
    return [...this.docs.values()].filter((d) => d.orgId === orgId).map((d) => this.current(d)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** By id, or by name within the org (the Particle API accepts either). */
  find(orgId: string, idOrName: string): DeviceDoc | undefined {
    const byId = this.docs.get(idOrName.toLowerCase());
    if (byId && byId.orgId === orgId) return this.current(byId);
    for (const d of this.docs.values()) if (d.orgId === orgId && d.name === idOrName) return this.current(d);
    return undefined;
  }

  get(id: string): DeviceDoc | undefined {
    const d = this.docs.get(id);
    return d && this.current(d);
  }

  private current(d: DeviceDoc): DeviceDoc {
    const h = this.heard.get(d.id);
    return h ? { ...d, last_heard: h.at, last_ip_address: h.ip ?? d.last_ip_address } : d;
  }

  byToken(token: string): DeviceDoc | undefined {
    const id = this.byHash.get(hashToken(token));
    return id === undefined ? undefined : this.get(id);
  }

  async create(orgId: string, input: { id?: unknown; name?: unknown }): Promise<{ device: DeviceDoc; token: string }> {
    let id: string;
    if (input.id !== undefined && input.id !== null && input.id !== '') {
      if (typeof input.id !== 'string' || !DEVICE_ID_RE.test(input.id.toLowerCase())) throw new DeviceError('invalid', 'id must be 24 hexadecimal digits');
      id = input.id.toLowerCase();
      if (this.docs.get(id)) throw new DeviceError('conflict', `device ${id} already exists`);
    } else id = randomBytes(12).toString('hex');
    let name: string;
    if (input.name !== undefined && input.name !== null && input.name !== '') {
      if (typeof input.name !== 'string' || !NAME_RE.test(input.name)) throw new DeviceError('invalid', 'name must be 1-64 letters, digits, underscores or dashes');
      name = input.name;
    } else name = `device_${id.slice(-6)}`;
    if (this.find(orgId, name)) throw new DeviceError('conflict', `a device named ${name} already exists`);
    const token = `hld_${randomBytes(32).toString('base64url')}`;
    const device: DeviceDoc = { id, orgId, name, tokenHash: hashToken(token), created_at: new Date().toISOString(), last_heard: null, last_ip_address: null, notes: null };
    await this.docs.put(id, device);
    this.byHash.set(device.tokenHash, id);
    return { device, token };
  }

  async rename(id: string, name: string): Promise<DeviceDoc> {
    const d = this.docs.get(id)!;
    if (!NAME_RE.test(name)) throw new DeviceError('invalid', 'name must be 1-64 letters, digits, underscores or dashes');
    const other = this.find(d.orgId, name);
    if (other && other.id !== id) throw new DeviceError('conflict', `a device named ${name} already exists`);
    const next = { ...this.current(d), name };
    await this.docs.put(id, next);
    return next;
  }

  async delete(id: string): Promise<void> {
    const d = this.docs.get(id);
    if (!d) return;
    await this.docs.delete(id);
    this.byHash.delete(d.tokenHash);
    this.heard.delete(id);
  }

  /** Records that the device published now (no I/O). */
  markHeard(id: string, ip: string | null, at: string): void {
    this.heard.set(id, { at, ip });
  }

  async flush(): Promise<void> {
    const entries: Array<[string, DeviceDoc]> = [];
    for (const [id, h] of this.heard) {
      const d = this.docs.get(id);
      if (d && (d.last_heard !== h.at || (h.ip && d.last_ip_address !== h.ip))) entries.push([id, { ...d, last_heard: h.at, last_ip_address: h.ip ?? d.last_ip_address }]);
    }
    await this.docs.putMany(entries);
    for (const [id, d] of entries) if (this.heard.get(id)?.at === d.last_heard) this.heard.delete(id);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
