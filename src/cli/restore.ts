// `hookline restore <dir> [--data-dir DIR]`: a backup made by `hookline
// backup` into an empty data directory (HOOKLINE_DATA_DIR or --data-dir), for
// a hub that is stopped, as `influxd restore` and vmrestore want. Every file
// is checked against its sha256 first (docs/backup.md).

import { parseCommand } from './parse-command.ts';
import { join } from 'node:path';
import { RestoreError, restoreBackup } from '../storage/backup/restore-backup.ts';
import { formatBytes, ProgressBar } from './progress.ts';

const USAGE = `usage: hookline restore <dir> [--data-dir DIR]

Restores the backup in <dir> (made by \`hookline backup\`) into an empty data
directory; the hub must be stopped. Then copy the old hub's secrets.key into
the data directory (or point HOOKLINE_SECRETS_KEY_FILE at it) and start it.

  --data-dir DIR  the data directory to fill (default ./data, env HOOKLINE_DATA_DIR); empty or absent
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('restore', argv, { 'data-dir': { type: 'string' } }, USAGE, (p) => p.length === 1);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const from = positionals[0]!;
  const dataDir = (values['data-dir'] as string | undefined) ?? process.env.HOOKLINE_DATA_DIR ?? './data';
  const started = Date.now();
  let bar: ProgressBar | undefined;
  try {
    const manifest = await restoreBackup(from, dataDir, (bytes, total) => {
      bar ??= new ProgressBar(total);
      bar.add(bytes);
    });
    bar?.finish();
    const secs = (Date.now() - started) / 1000;
    process.stdout.write(
      `restored ${manifest.points} points, ${manifest.files.length} files, ${formatBytes(manifest.bytes)} (snapshot of ${manifest.createdAt}) into ${dataDir} in ${secs.toFixed(1)} s\n` +
        `before starting the hub: copy the old hub's secrets.key to ${join(dataDir, 'secrets.key')} (or set HOOKLINE_SECRETS_KEY_FILE), or its secrets cannot be decrypted\n`,
    );
    return 0;
  } catch (e) {
    bar?.finish();
    if (e instanceof RestoreError) {
      process.stderr.write(`hookline restore: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
