// What of a data directory a backup holds and what it leaves out
// (docs/backup.md). Shared by the snapshot (backup-service.ts) and restore
// (restore-backup.ts).

/** The catalog: tenancy, tokens (hashed), the Parquet file list, devices, integrations, secrets (encrypted), logs. */
export const CATALOG_FILE = 'hookline.duckdb';
/** First entry of the archive. */
export const MANIFEST_FILE = 'manifest.json';
/** Last entry: sha256 of every file, computed while streaming. */
export const CHECKSUMS_FILE = 'checksums.json';
/**
 * Append-only logs copied as they are (their replay tolerates a torn last
 * record): the webhook delivery queue and the replication queues. Their state
 * is at-least-once: a delivery done after the snapshot may be made again
 * after a restore, never lost.
 */
export const QUEUE_DIRS = ['webhooks', 'replications'];
/** Several nodes: the write-log position the node applied up to (cluster/write-log.ts). */
export const CLUSTER_POSITION_FILE = 'cluster-position';
/** Staging of running backups, inside the data directory (hard links need the same file system). */
export const STAGING_DIR = '.backup';

export const EXCLUDED = [
  'secrets.key: the key of the encrypted secrets stays apart from the data (HOOKLINE_SECRETS_KEY_FILE); copy it to the new hub yourself',
  'wal/: every point acknowledged before the snapshot is flushed to Parquet first; later writes are not part of this backup',
  'tls/: the self-signed certificate and its private key; the restored hub makes a new one',
  '.sandbox/, .sql-hot-copies/: query scratch space',
];
