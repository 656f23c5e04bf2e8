// `hookline restore <dir>`: a backup directory (what `hookline backup` wrote)
// into an empty data directory, for a stopped hub (docs/backup.md). As
// `influxd restore` of InfluxDB 1.x (offline, into an empty target) and
// vmrestore ("vmrestore must be run while VictoriaMetrics is stopped"). Every
// file is checked against checksums.json first; the files go into a sibling
// directory that is renamed into place once complete, so a failed restore
// leaves no half-restored data directory behind.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import type { BackupManifest } from '../../core/ports/backup-source.ts';
import { CATALOG_FILE, CHECKSUMS_FILE, MANIFEST_FILE } from './backup-layout.ts';

export class RestoreError extends Error {}

/** A path from an archive or manifest that stays inside its directory. */
export function safeRelative(path: string): string {
  const n = normalize(path);
  if (isAbsolute(n) || n === '..' || n.startsWith('../') || n.startsWith('..\\') || n === '.' || n === '') throw new RestoreError(`unsafe path in backup: ${path}`);
  return n;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Reads and checks a backup directory: the manifest, every file's size and sha256. */
export async function verifyBackup(dir: string, onFile: (bytes: number) => void = () => undefined): Promise<BackupManifest> {
  let manifest: BackupManifest;
  let sums: Record<string, string>;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
    sums = (JSON.parse(await readFile(join(dir, CHECKSUMS_FILE), 'utf8')) as { sha256: Record<string, string> }).sha256;
  } catch (e) {
    throw new RestoreError(`${dir} is not a complete hookline backup (${MANIFEST_FILE} and ${CHECKSUMS_FILE} are needed): ${(e as Error).message}`);
  }
  if (manifest.format !== 'hookline-backup' || manifest.version !== 1) throw new RestoreError(`${dir}/${MANIFEST_FILE} is not a hookline backup of format version 1`);
  if (!manifest.files.some((f) => f.path === CATALOG_FILE)) throw new RestoreError(`the backup in ${dir} has no catalog (${CATALOG_FILE})`);
  for (const f of manifest.files) {
    const p = join(dir, safeRelative(f.path));
    const size = await stat(p).then((s) => s.size, () => -1);
    if (size < 0) throw new RestoreError(`the backup in ${dir} lacks ${f.path}`);
    if (size !== f.bytes) throw new RestoreError(`${f.path} in the backup has ${size} bytes, the manifest says ${f.bytes}: the backup is damaged`);
    if (sums[f.path] !== (await sha256File(p))) throw new RestoreError(`${f.path} in the backup does not match its sha256 in ${CHECKSUMS_FILE}: the backup is damaged`);
    onFile(f.bytes);
  }
  return manifest;
}

/** True when `dir` does not exist or holds nothing. */
async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Restores the backup in `from` into `dataDir`, which must be empty or absent. */
export async function restoreBackup(from: string, dataDir: string, onFile: (bytes: number, total: number) => void = () => undefined): Promise<BackupManifest> {
  if (resolve(from) === resolve(dataDir)) throw new RestoreError('the backup directory and the data directory are the same');
  if (!(await isEmptyDir(dataDir))) {
    throw new RestoreError(`${dataDir} is not empty: restore only into an empty data directory (stop the hub, move its directory aside, then restore)`);
  }
  const manifest = await verifyBackup(from);
  const temp = `${resolve(dataDir)}.restoring-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  try {
    for (const f of manifest.files) {
      const rel = safeRelative(f.path);
      await mkdir(dirname(join(temp, rel)), { recursive: true });
      await copyFile(join(from, rel), join(temp, rel));
      await fsyncPath(join(temp, rel));
      onFile(f.bytes, manifest.bytes);
    }
    // An empty target directory makes way for the complete copy.
    await rmdir(dataDir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await mkdir(dirname(resolve(dataDir)), { recursive: true });
    await rename(temp, dataDir);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  return manifest;
}
