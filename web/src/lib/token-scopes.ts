// Token scopes: InfluxDB 2 permissions (an action on a resource type,
// optionally one bucket) built from the form's checkboxes, and summarised for
// the list.

/** InfluxDB 2's permission shape (api/influx.ts uses the same). */
export interface Permission {
  action: 'read' | 'write';
  resource: { type: string; id?: string; orgID?: string; name?: string; org?: string };
}

interface NamedBucket {
  id: string;
  name: string;
}

/** hookline's resource types beyond buckets that a token may be given (InfluxDB's plus devices, integrations, events). */
export const RESOURCES: ReadonlyArray<{ type: string; label: string }> = [
  { type: 'dashboards', label: 'Dashboards' },
  { type: 'devices', label: 'Devices' },
  { type: 'events', label: 'Events' },
  { type: 'integrations', label: 'Integrations' },
  { type: 'secrets', label: 'Secrets' },
  { type: 'authorizations', label: 'Tokens' },
  { type: 'orgs', label: 'Organization' },
];

/** Every resource type of an InfluxDB 2 all-access token, plus hookline's own (devices, integrations, events). */
export const ALL_ACCESS_TYPES: readonly string[] = [
  'authorizations', 'buckets', 'dashboards', 'orgs', 'sources', 'tasks', 'telegrafs', 'users', 'variables', 'scrapers', 'secrets',
  'labels', 'views', 'documents', 'notificationRules', 'notificationEndpoints', 'checks', 'dbrp', 'devices', 'integrations', 'events',
];

export function allAccessPermissions(orgID: string): Permission[] {
  return ALL_ACCESS_TYPES.flatMap((type) => (['read', 'write'] as const).map((action) => ({ action, resource: { type, orgID } })));
}

export interface ScopeChoice {
  /** Bucket id, or '*' for every bucket of the org. */
  buckets: Array<{ id: string; read: boolean; write: boolean }>;
  resources: Array<{ type: string; read: boolean; write: boolean }>;
}

export function permissionsOf(orgID: string, c: ScopeChoice): Permission[] {
  const out: Permission[] = [];
  for (const b of c.buckets) {
    for (const action of ['read', 'write'] as const) {
      if (!b[action]) continue;
      out.push({ action, resource: b.id === '*' ? { type: 'buckets', orgID } : { type: 'buckets', orgID, id: b.id } });
    }
  }
  for (const r of c.resources) for (const action of ['read', 'write'] as const) if (r[action]) out.push({ action, resource: { type: r.type, orgID } });
  return out;
}

/** "read/write all buckets; write sensors; read devices" */
export function describePermissions(ps: Permission[], buckets: NamedBucket[]): string {
  const types = new Set(ps.map((p) => p.resource.type));
  if (ALL_ACCESS_TYPES.every((t) => types.has(t)) && ps.every((p) => !p.resource.id)) return ps.some((p) => !p.resource.orgID) ? 'All access (every organization)' : 'All access';
  const byTarget = new Map<string, Set<string>>();
  for (const p of ps) {
    const r = p.resource;
    const target = r.type === 'buckets' ? (r.id ? `bucket ${r.name || buckets.find((b) => b.id === r.id)?.name || r.id}` : 'all buckets') : r.type;
    if (!byTarget.has(target)) byTarget.set(target, new Set());
    byTarget.get(target)!.add(p.action);
  }
  return [...byTarget]
    .map(([t, actions]) => `${actions.has('read') && actions.has('write') ? 'read/write' : [...actions][0]} ${t}`)
    .join('; ');
}
