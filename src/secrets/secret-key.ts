// The key that encrypts secrets at rest (AES-256-GCM) lives in its own file,
// apart from the database (HOOKLINE_SECRETS_KEY_FILE, default
// <dataDir>/secrets.key): a copy of the catalog alone reveals no secret.
// Created with mode 0600 when the first secret is stored; several nodes must
// share the same file.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, stat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export const KEY_BYTES = 32;

function decodeKey(text: string, path: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${path} does not hold a base64 ${KEY_BYTES}-byte key`);
  return key;
}

/** The key if its file exists (another node or an earlier run made it), else undefined. */
export function readKeySync(path: string): Buffer | undefined {
  try {
    return decodeKey(readFileSync(path, 'utf8'), path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Reads the key, creating the file (0600, exclusively) when it does not exist. */
export async function loadOrCreateKey(path: string, warn: (msg: string) => void = () => undefined): Promise<Buffer> {
  try {
    const key = decodeKey(await readFile(path, 'utf8'), path);
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) warn(`${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dirname(path), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.writeFile(key.toString('base64') + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    return key;
  } catch (e) {
    // Another node or process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(await readFile(path, 'utf8'), path);
    throw e;
  }
}
