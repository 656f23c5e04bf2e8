// Tenancy records in InfluxDB 2's vocabulary.

export interface Org {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface Bucket {
  id: string;
  orgID: string;
  name: string;
  description: string;
  /** 0 = infinite. */
  retentionSeconds: number;
  /** Time partition length (InfluxDB's shard group duration). */
  shardGroupSeconds: number;
  createdAt: string;
  updatedAt: string;
}

export type Action = 'read' | 'write';

export interface Resource {
  type: string;
  id?: string;
  orgID?: string;
  name?: string;
  org?: string;
}

export interface Permission {
  action: Action;
  resource: Resource;
}

export interface Authorization {
  id: string;
  tokenHash: string;
  description: string;
  status: 'active' | 'inactive';
  orgID: string;
  userID: string;
  permissions: Permission[];
  /** Where writes that name no bucket go (OpenTSDB /api/put, MQTT); the first-run token's is the first bucket. */
  defaultBucketID?: string;
  /** Set when an InfluxDB 1.x user signed in with its name and password (not stored: derived per request). */
  v1User?: string;
  /** OpenTSDB validation for this token; unset = the server's HOOKLINE_OPENTSDB_MODE. */
  opentsdbMode?: 'lenient' | 'strict';
  createdAt: string;
  updatedAt: string;
}

/** An InfluxDB 1.x database's retention policies map to buckets; this records which one is the default. */
export interface DatabaseDefaults {
  orgID: string;
  db: string;
  defaultRp: string;
}

export interface User {
  id: string;
  name: string;
}

/** Resource types an all-access token covers (InfluxDB 2's list, plus hookline's own). */
export const RESOURCE_TYPES = [
  'authorizations',
  'buckets',
  'dashboards',
  'orgs',
  'sources',
  'tasks',
  'telegrafs',
  'users',
  'variables',
  'scrapers',
  'secrets',
  'labels',
  'views',
  'documents',
  'notificationRules',
  'notificationEndpoints',
  'checks',
  'dbrp',
  // InfluxDB 2's edge data replication API (/api/v2/remotes, /api/v2/replications).
  'remotes',
  'replications',
  'devices',
  'integrations',
  'events',
] as const;

/**
 * Shard group duration InfluxDB picks for a retention period
 * (< 2 days: 1 h; otherwise 1 day here, where InfluxDB uses 7 days for long
 * periods: hookline's partitions are rewritten on late writes, so smaller is
 * cheaper; see docs/storage.md).
 */
export function defaultShardGroupSeconds(retentionSeconds: number): number {
  if (retentionSeconds > 0 && retentionSeconds < 2 * 86400) return 3600;
  return 86400;
}
