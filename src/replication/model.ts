// Remotes and replications as InfluxDB 2 models them (influxdb/v2
// replication.go and remote.go; swagger: RemoteConnection, Replication).
// A remote's API token is stored encrypted (secrets/secret-cipher.ts, with
// the secrets key) and never returned, as InfluxDB never returns it.

/** InfluxDB's MinReplicationMaxQueueSizeBytes (32 MiB) and default (2 x that). */
export const MIN_QUEUE_BYTES = 33_554_430;
export const DEFAULT_QUEUE_BYTES = 2 * MIN_QUEUE_BYTES;
/** InfluxDB's DefaultReplicationMaxAge: one week, in seconds. */
export const DEFAULT_MAX_AGE_SECONDS = 604_800;

export interface RemoteDoc {
  id: string;
  orgID: string;
  name: string;
  description?: string;
  remoteURL: string;
  remoteOrgID?: string;
  allowInsecureTLS: boolean;
  /** The remote API token, encrypted (never returned). */
  tokenCipher: string;
}

export interface ReplicationDoc {
  id: string;
  orgID: string;
  name: string;
  description?: string;
  remoteID: string;
  localBucketID: string;
  remoteBucketID?: string;
  remoteBucketName?: string;
  maxQueueSizeBytes: number;
  dropNonRetryableData: boolean;
  maxAgeSeconds: number;
}

/** What the forwarder reports, shown in a replication's answers. */
export interface ReplicationStatus {
  currentQueueSizeBytes: number;
  remainingBytesToBeSynced: number;
  latestResponseCode?: number;
  latestErrorMessage?: string;
}

export function remoteJson(r: RemoteDoc) {
  return {
    id: r.id,
    orgID: r.orgID,
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    remoteURL: r.remoteURL,
    ...(r.remoteOrgID !== undefined ? { remoteOrgID: r.remoteOrgID } : {}),
    allowInsecureTLS: r.allowInsecureTLS,
  };
}

export function replicationJson(r: ReplicationDoc, s: ReplicationStatus) {
  return {
    id: r.id,
    orgID: r.orgID,
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    remoteID: r.remoteID,
    localBucketID: r.localBucketID,
    ...(r.remoteBucketID !== undefined ? { remoteBucketID: r.remoteBucketID } : {}),
    ...(r.remoteBucketName !== undefined ? { remoteBucketName: r.remoteBucketName } : {}),
    maxQueueSizeBytes: r.maxQueueSizeBytes,
    currentQueueSizeBytes: s.currentQueueSizeBytes,
    remainingBytesToBeSynced: s.remainingBytesToBeSynced,
    ...(s.latestResponseCode !== undefined ? { latestResponseCode: s.latestResponseCode } : {}),
    ...(s.latestErrorMessage !== undefined ? { latestErrorMessage: s.latestErrorMessage } : {}),
    dropNonRetryableData: r.dropNonRetryableData,
    maxAgeSeconds: r.maxAgeSeconds,
  };
}
