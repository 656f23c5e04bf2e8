// The online backup (docs/backup.md): a consistent snapshot of a running hub,
// taken without stopping writes, streamed as one tar archive.
//
// How, as vmbackup works from an instant snapshot of hard links
// (docs.victoriametrics.com/vmbackup: "vmbackup uses instant snapshots") and
// `influxd backup` first snapshots the in-memory cache to TSM files:
// 1. the store flushes everything acknowledged so far to Parquet and freezes
//    its file set (Store.withFlushedFiles: no flush, compaction, retention or
//    deletion meanwhile; writes go on into the WAL);
// 2. inside that, the catalog database is copied in one DuckDB transaction
//    (`COPY FROM DATABASE`: tenancy, tokens hashed, the Parquet file list,
//    devices, integrations, secrets still encrypted, delivery logs), and the
//    Parquet files it names are hard-linked into a staging directory (Parquet
//    files never change once written, and a link keeps a file's bytes even
//    after compaction deletes its name);
// 3. the file set is released; the append-only queue logs (webhook
//    deliveries, replications) are copied;
// 4. the archive streams manifest.json, the staged files, then checksums.json
//    (sha256 computed while streaming); the staging directory goes when the
//    stream ends, however it ends.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { hooklineError } from '../../core/errors.ts';
import type { BackupArchive, BackupFileEntry, BackupManifest, BackupSource } from '../../core/ports/backup-source.ts';
import { ident, literal, type Duck } from '../duck/duck.ts';
import { CATALOG_FILE, CHECKSUMS_FILE, CLUSTER_POSITION_FILE, EXCLUDED, MANIFEST_FILE, QUEUE_DIRS, STAGING_DIR } from './backup-layout.ts';
import { tarEnd, tarHeader, tarPadding } from './tar.ts';

export interface BackupServiceOptions {
  dataDir: string;
  duck: Duck;
  /** Runs fn with everything acknowledged flushed and the file set frozen (Store.withFlushedFiles). */
  withFlushedFiles<T>(fn: () => Promise<T>): Promise<T>;
}

export class BackupService implements BackupSource {
  private running = false;

  private constructor(private readonly opts: BackupServiceOptions) {}

  /** Removes the staging left by a backup a crash interrupted. */
  static async open(opts: BackupServiceOptions): Promise<BackupService> {
    await rm(join(opts.dataDir, STAGING_DIR), { recursive: true, force: true });
    return new BackupService(opts);
  }

  async open(): Promise<BackupArchive> {
    // One at a time: each holds a catalog copy and links to files compaction replaced.
    if (this.running) throw hooklineError('BACKUP_RUNNING');
    this.running = true;
    const staging = join(this.opts.dataDir, STAGING_DIR, `${Date.now()}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(staging, { recursive: true });
      const createdAt = new Date().toISOString();
      // Read before the flush: every log entry up to it is applied, so flushed into the snapshot.
      const clusterPosition = await readFile(join(this.opts.dataDir, CLUSTER_POSITION_FILE), 'utf8').then(
        (t) => t.trim(),
        () => undefined,
      );
      if (clusterPosition !== undefined) await writeFile(join(staging, CLUSTER_POSITION_FILE), clusterPosition);
      const { points } = await this.opts.withFlushedFiles(() => this.snapshotStore(staging));
      for (const d of QUEUE_DIRS) await copyLogDir(join(this.opts.dataDir, d), join(staging, d));
      const files: BackupFileEntry[] = [];
      for (const path of await listFiles(staging)) files.push({ path, bytes: (await stat(join(staging, path))).size });
      // The catalog first: a restore can tell early what it holds.
      files.sort((a, b) => (a.path === CATALOG_FILE ? -1 : b.path === CATALOG_FILE ? 1 : a.path < b.path ? -1 : 1));
      const manifest: BackupManifest = {
        format: 'hookline-backup',
        version: 1,
        createdAt,
        points,
        files,
        bytes: files.reduce((n, f) => n + f.bytes, 0),
        ...(clusterPosition !== undefined && /^\d+$/.test(clusterPosition) ? { clusterPosition: Number(clusterPosition) } : {}),
        excluded: EXCLUDED,
      };
      const release = () => {
        this.running = false;
        return rm(staging, { recursive: true, force: true });
      };
      const stream = Readable.from(archive(staging, manifest), { objectMode: false });
      stream.once('close', () => void release());
      return { manifest, stream };
    } catch (e) {
      this.running = false;
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
  }

  /** Copies the catalog in one transaction and links the Parquet files it names (inside the frozen file set). */
  private async snapshotStore(staging: string): Promise<{ points: number }> {
    const conn = await this.opts.duck.connect();
    const alias = `hl_backup_${randomBytes(6).toString('hex')}`;
    try {
      const db = String((await conn.runAndReadAll('SELECT current_database() AS d')).getRowObjectsJS()[0]!.d);
      await conn.run(`ATTACH ${literal(join(staging, CATALOG_FILE))} AS ${alias}`);
      let rows: Array<{ path: string; rows: bigint | number }>;
      try {
        await conn.run('BEGIN TRANSACTION');
        try {
          await conn.run(`COPY FROM DATABASE ${ident(db)} TO ${alias}`);
          await conn.run('COMMIT');
        } catch (e) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
        rows = (await conn.runAndReadAll(`SELECT path, rows FROM ${alias}.ts_files`)).getRowObjectsJS() as typeof rows;
      } finally {
        // DETACH checkpoints the copy into its one file.
        await conn.run(`DETACH ${alias}`);
      }
      let points = 0;
      for (const r of rows) {
        const to = join(staging, r.path);
        await mkdir(dirname(to), { recursive: true });
        await link(join(this.opts.dataDir, r.path), to);
        points += Number(r.rows);
      }
      return { points };
    } finally {
      conn.closeSync();
    }
  }
}

/** Files under dir, relative to it, '/'-separated. */
async function listFiles(dir: string, under = dir): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, under)));
    else if (e.isFile()) out.push(relative(under, p).split('\\').join('/'));
  }
  return out;
}

/**
 * Copies an append-only log directory while it is written. A segment deleted
 * between listing and copying was superseded by a compaction (the next
 * segment starts with a snapshot of the state): list and copy again.
 */
async function copyLogDir(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await rm(to, { recursive: true, force: true });
    try {
      for (const f of await listFiles(from)) {
        await mkdir(dirname(join(to, f)), { recursive: true });
        await copyFile(join(from, f), join(to, f));
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
    }
  }
}

/** manifest.json, each staged file, checksums.json, as tar. */
async function* archive(staging: string, manifest: BackupManifest): AsyncGenerator<Buffer> {
  const mtime = Math.floor(Date.parse(manifest.createdAt) / 1000);
  const json = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  yield tarHeader(MANIFEST_FILE, json.length, mtime);
  yield json;
  yield tarPadding(json.length);
  const sums: Record<string, string> = {};
  for (const f of manifest.files) {
    yield tarHeader(f.path, f.bytes, mtime);
    const hash = createHash('sha256');
    let n = 0;
    for await (const chunk of createReadStream(join(staging, f.path), { highWaterMark: 1 << 20 })) {
      const b = chunk as Buffer;
      // A staged file never changes; cut at the announced size to keep the archive well-formed regardless.
      const part = n + b.length > f.bytes ? b.subarray(0, f.bytes - n) : b;
      n += part.length;
      hash.update(part);
      yield part;
      if (n >= f.bytes) break;
    }
    if (n < f.bytes) throw new Error(`backup file ${f.path} shrank while streaming`);
    sums[f.path] = hash.digest('hex');
    yield tarPadding(f.bytes);
  }
  const sumJson = Buffer.from(JSON.stringify({ sha256: sums }, null, 2) + '\n');
  yield tarHeader(CHECKSUMS_FILE, sumJson.length, mtime);
  yield sumJson;
  yield tarPadding(sumJson.length);
  yield tarEnd();
}
