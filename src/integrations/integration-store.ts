// Integrations (webhooks) per org, persisted in a Collection, and the rule that
// picks which ones an event triggers (docs.particle.io/reference/cloud-apis/webhooks):
// case-sensitive prefix match on the event name, the optional deviceID filter,
// `disabled`, and loop protection: cloud-generated events and hook-sent/,
// hook-response/, hook-error/ names never trigger anything.

import { randomBytes } from 'node:crypto';
import type { Collection } from '../events/collection.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import { isResultEventName } from '../events/validate-event.ts';
import { FieldError, mergeRaw, parseWebhook, storedRaw, type WebhookSpec } from './integration-schema.ts';

export interface IntegrationDoc {
  id: string;
  orgId: string;
  integration_type: 'Webhook';
  created_at: string;
  updated_at: string;
  /** As submitted (unknown keys kept, aliases as written). */
  raw: Record<string, unknown>;
  spec: WebhookSpec;
}

export class IntegrationStore {
  private byOrg: Map<string, IntegrationDoc[]> | undefined;

  constructor(private readonly docs: Collection<IntegrationDoc>) {
    docs.onChange = () => (this.byOrg = undefined);
  }

  private index(): Map<string, IntegrationDoc[]> {
    if (!this.byOrg) {
      const m = new Map<string, IntegrationDoc[]>();
      for (const d of this.docs.values()) {
        let list = m.get(d.orgId);
        if (!list) m.set(d.orgId, (list = []));
        list.push(d);
      }
      for (const list of m.values()) list.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
      this.byOrg = m;
    }
    return this.byOrg;
  }

  list(orgId: string): IntegrationDoc[] {
    return this.index().get(orgId) ?? [];
  }

  /** Every org's integrations. */
  all(): IntegrationDoc[] {
    return [...this.docs.values()];
  }

  get(id: string): IntegrationDoc | undefined {
    return this.docs.get(id);
  }

  /**
   * Two integrations of one org may not share a name: lists, logs and the
   * Secrets page name them, and "InfluxDB, bad bucket, InfluxDB" cannot be
   * told apart (issue 12). Particle allows it; unnamed ones are still free to
   * repeat (docs.particle.io/reference/cloud-apis/webhooks "Duplicates").
   */
  private checkName(orgId: string, spec: WebhookSpec, selfId?: string): void {
    const name = spec.name?.trim();
    if (!name) return;
    const other = this.list(orgId).find((d) => d.id !== selfId && d.spec.name?.trim() === name);
    if (other) throw new FieldError('name', `an integration named "${name}" already exists in this org (id ${other.id}); choose another name`);
  }

  /** Validates (FieldError on a bad field or a name already taken in the org) and stores. */
  async create(orgId: string, input: Record<string, unknown>, secretExists: (name: string) => boolean): Promise<IntegrationDoc> {
    const raw = storedRaw(input);
    const spec = parseWebhook(raw, secretExists);
    this.checkName(orgId, spec);
    const now = new Date().toISOString();
    const doc: IntegrationDoc = { id: randomBytes(12).toString('hex'), orgId, integration_type: 'Webhook', created_at: now, updated_at: now, raw, spec };
    await this.docs.put(doc.id, doc);
    this.byOrg = undefined;
    return doc;
  }

  /** PUT: the given fields replace the stored ones (mergeRaw), then the whole is validated again. */
  async update(id: string, input: Record<string, unknown>, secretExists: (name: string) => boolean): Promise<IntegrationDoc> {
    const old = this.docs.get(id)!;
    const raw = mergeRaw(old.raw, storedRaw(input));
    const spec = parseWebhook(raw, secretExists);
    // Only a rename is checked: duplicates saved before this rule can still be edited.
    if (spec.name?.trim() !== old.spec.name?.trim()) this.checkName(old.orgId, spec, id);
    const doc: IntegrationDoc = { ...old, raw, spec, updated_at: new Date().toISOString() };
    await this.docs.put(id, doc);
    this.byOrg = undefined;
    return doc;
  }

  async delete(id: string): Promise<void> {
    await this.docs.delete(id);
    this.byOrg = undefined;
  }

  /** Integrations of the org that list this secret. */
  usingSecret(orgId: string, name: string): IntegrationDoc[] {
    return this.list(orgId).filter((d) => d.spec.secrets.includes(name));
  }

  match(ev: DeviceEvent): IntegrationDoc[] {
    if (ev.internal || isResultEventName(ev.name)) return [];
    const out: IntegrationDoc[] = [];
    for (const d of this.list(ev.orgId)) {
      const s = d.spec;
      if (s.disabled || !ev.name.startsWith(s.event)) continue;
      if (s.deviceID !== undefined && s.deviceID !== ev.coreid) continue;
      out.push(d);
    }
    return out;
  }
}
