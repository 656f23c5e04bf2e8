// BackupSource: what the backup endpoint (GET /api/hookline/backup) asks for.
// One call takes an online, consistent snapshot of the hub and answers it as
// one archive stream; the snapshot's staging files go when the stream ends,
// however it ends. The embedded store's implementation is
// storage/backup/backup-service.ts (docs/backup.md).

import type { Readable } from 'node:stream';

/** One file of a backup, its path relative to the data directory. */
export interface BackupFileEntry {
  path: string;
  bytes: number;
}

/** manifest.json, the first entry of every backup. */
export interface BackupManifest {
  format: 'hookline-backup';
  version: 1;
  /** When the snapshot was taken (RFC 3339): every point acknowledged before it is in the backup. */
  createdAt: string;
  /** Points in the Parquet files of the backup, as the catalog counts them. */
  points: number;
  /** Files that follow in the archive, in order (manifest.json and checksums.json excluded). */
  files: BackupFileEntry[];
  /** Bytes of those files together. */
  bytes: number;
  /**
   * Several nodes: the cluster write-log position this node had applied
   * before the snapshot (every entry up to it is in the backup); a node
   * restored from it replays the log from there (replaying entries the
   * snapshot already holds is harmless: the later write of a point wins).
   */
  clusterPosition?: number;
  /** What a backup never holds, and why (docs/backup.md). */
  excluded: string[];
}

export interface BackupArchive {
  manifest: BackupManifest;
  /** The tar archive: manifest.json, the files, then checksums.json (sha256 of each file). */
  stream: Readable;
}

export interface BackupSource {
  /** Takes a snapshot; throws HL_BACKUP_RUNNING while another backup streams. */
  open(): Promise<BackupArchive>;
}
