// `hookline backup <dir> [--host URL] [--token T]`: an online, consistent
// backup of a running hub into <dir>, as `influx backup <path> --host --token`
// (docs.influxdata.com/influxdb/v2/reference/cli/influx/backup/): the hub at
// --host (default http://localhost:8086) streams a snapshot from GET
// /api/hookline/backup; each file is written and checked against its sha256.
// Restore it with `hookline restore <dir>` (docs/backup.md).

import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseCommand } from './parse-command.ts';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { BackupManifest } from '../core/ports/backup-source.ts';
import { CHECKSUMS_FILE, MANIFEST_FILE } from '../storage/backup/backup-layout.ts';
import { safeRelative } from '../storage/backup/restore-backup.ts';
import { readTar } from '../storage/backup/tar.ts';
import { formatBytes, ProgressBar } from './progress.ts';

const USAGE = `usage: hookline backup <dir> [--host URL] [--token TOKEN]

Takes an online, consistent backup of a running hub (writes go on) into <dir>,
which must be empty or not exist yet. Restore it with \`hookline restore <dir>\`.

  --host URL     the hub (default http://localhost:8086, or HOOKLINE_URL)
  --token TOKEN  an operator token, e.g. the one printed at first start, or an all-access
                 token on a hub with one org (or HOOKLINE_TOKEN)

The secrets key (secrets.key) is not in a backup: keep a copy of it apart.
`;

function fail(msg: string): number {
  process.stderr.write(`hookline backup: ${msg}\n`);
  return 1;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('backup', argv, { host: { type: 'string' }, token: { type: 'string', short: 't' } }, USAGE, (p) => p.length === 1);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const dir = positionals[0]!;
  const host = ((values.host as string | undefined) ?? process.env.HOOKLINE_URL ?? 'http://localhost:8086').replace(/\/$/, '');
  const token = (values.token as string | undefined) ?? process.env.HOOKLINE_TOKEN;
  if (!token) return fail('no token: give --token or set HOOKLINE_TOKEN (an operator token)');
  const existing = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  if (existing.length > 0) return fail(`${dir} is not empty: give a new or empty directory for each backup`);

  let res: Response;
  try {
    res = await fetch(`${host}/api/hookline/backup`, { headers: { authorization: `Token ${token}` } });
  } catch (e) {
    return fail(`cannot reach ${host}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  if (!res.ok || !res.body) {
    const text = await res.text();
    let msg = text;
    try {
      msg = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: the text as it came
    }
    return fail(`${host} answered ${res.status}: ${msg}`);
  }
  await mkdir(dir, { recursive: true });
  const bar = new ProgressBar(Number(res.headers.get('x-hookline-backup-bytes') ?? 0));
  const sums = new Map<string, string>();
  let manifest: BackupManifest | undefined;
  let checksums: Record<string, string> | undefined;
  let files = 0;
  let cur: { path: string; out?: ReturnType<typeof createWriteStream>; hash?: ReturnType<typeof createHash>; meta?: Buffer[] } | undefined;
  try {
    for await (const ev of readTar(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>))) {
      if (ev.type === 'file') {
        const path = safeRelative(ev.path);
        if (path === MANIFEST_FILE || path === CHECKSUMS_FILE) cur = { path, meta: [] };
        else {
          if (!manifest) throw new Error(`the archive does not start with ${MANIFEST_FILE}`);
          await mkdir(dirname(join(dir, path)), { recursive: true });
          cur = { path, out: createWriteStream(join(dir, path), { flags: 'wx' }), hash: createHash('sha256') };
        }
      } else if (ev.type === 'data') {
        if (cur?.meta) cur.meta.push(Buffer.from(ev.chunk));
        else if (cur?.out) {
          cur.hash!.update(ev.chunk);
          if (!cur.out.write(Buffer.from(ev.chunk))) await once(cur.out, 'drain');
          bar.add(ev.chunk.length);
        }
      } else if (cur) {
        if (cur.meta) {
          const text = Buffer.concat(cur.meta).toString('utf8');
          if (cur.path === MANIFEST_FILE) manifest = JSON.parse(text) as BackupManifest;
          else checksums = (JSON.parse(text) as { sha256: Record<string, string> }).sha256;
          await writeFile(join(dir, cur.path), text);
        } else {
          cur.out!.end();
          await once(cur.out!, 'finish');
          sums.set(cur.path, cur.hash!.digest('hex'));
          files++;
        }
        cur = undefined;
      }
    }
  } catch (e) {
    bar.finish();
    return fail(`the backup stream broke off: ${(e as Error).message}; ${dir} is incomplete, remove it and try again`);
  }
  const secs = bar.finish();
  if (!manifest || !checksums) return fail(`the archive lacks ${!manifest ? MANIFEST_FILE : CHECKSUMS_FILE}; ${dir} is incomplete`);
  for (const f of manifest.files) {
    if (sums.get(f.path) !== checksums[f.path]) return fail(`${f.path} does not match its checksum: ${dir} is damaged, take the backup again`);
  }
  const rate = secs > 0 ? ` (${formatBytes(manifest.bytes / secs)}/s)` : '';
  process.stdout.write(
    `backed up ${manifest.points} points, ${files} files, ${formatBytes(manifest.bytes)} in ${secs.toFixed(1)} s${rate} to ${dir}\n` +
      `snapshot taken at ${manifest.createdAt}; secrets.key is not in it, keep a copy apart\n`,
  );
  return 0;
}
