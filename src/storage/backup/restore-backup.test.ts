import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestoreError, restoreBackup, safeRelative } from './restore-backup.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A backup directory as `hookline backup` writes it, with made-up file contents. */
async function fakeBackup(dir: string, files: Record<string, Buffer>): Promise<void> {
  for (const [p, b] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), b);
  }
  const list = Object.entries(files).map(([path, b]) => ({ path, bytes: b.length }));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'hookline-backup', version: 1, createdAt: new Date().toISOString(), points: 3, files: list, bytes: 0, excluded: [] }));
  await writeFile(join(dir, 'checksums.json'), JSON.stringify({ sha256: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, sha(b)])) }));
}

test('restore copies every file into an empty or absent data directory', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hookline-restore-'));
  try {
    const files = { 'hookline.duckdb': Buffer.from('catalog'), 'buckets/b1/m1/1.parquet': Buffer.from('parquet'), 'webhooks/000001.wal': Buffer.from('log') };
    await fakeBackup(join(root, 'bk'), files);
    await restoreBackup(join(root, 'bk'), join(root, 'new', 'data'));
    for (const [p, b] of Object.entries(files)) assert.deepEqual(await readFile(join(root, 'new', 'data', p)), b);
    await mkdir(join(root, 'empty'));
    await restoreBackup(join(root, 'bk'), join(root, 'empty'));
    assert.deepEqual((await readdir(join(root, 'empty'))).sort(), ['buckets', 'hookline.duckdb', 'webhooks']);
    await assert.rejects(restoreBackup(join(root, 'bk'), join(root, 'empty')), /not empty/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a damaged or incomplete backup is refused before anything is written', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hookline-restore-'));
  try {
    await fakeBackup(join(root, 'bk'), { 'hookline.duckdb': Buffer.from('catalog'), 'buckets/x.parquet': Buffer.from('parquet') });
    await writeFile(join(root, 'bk', 'buckets/x.parquet'), Buffer.from('parqueT'));
    await assert.rejects(restoreBackup(join(root, 'bk'), join(root, 'd1')), (e) => e instanceof RestoreError && /does not match its sha256/.test(e.message));
    await rm(join(root, 'bk', 'buckets/x.parquet'));
    await assert.rejects(restoreBackup(join(root, 'bk'), join(root, 'd1')), /lacks buckets\/x.parquet/);
    await rm(join(root, 'bk', 'checksums.json'));
    await assert.rejects(restoreBackup(join(root, 'bk'), join(root, 'd1')), /not a complete hookline backup/);
    assert.deepEqual((await readdir(root)).sort(), ['bk'], 'nothing written');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('paths from a manifest stay inside their directory', () => {
  for (const bad of ['../x', '/etc/passwd', 'a/../../x', '.', '']) assert.throws(() => safeRelative(bad), RestoreError, bad);
  assert.equal(safeRelative('buckets/a/b.parquet'), 'buckets/a/b.parquet');
});
