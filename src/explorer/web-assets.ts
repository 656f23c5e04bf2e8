// The explorer's built files (web/dist, made by scripts/build-web.mjs at
// `npm install`). When they are missing or older than web/src (a checkout
// where the install step was skipped, or a UI edit), they are built here
// first: esbuild is a runtime dependency and takes well under a second.
// Files are read once into memory: a few hundred KB, served with ETags.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIR = join(ROOT, 'web');
export const DIST_DIR = join(WEB_DIR, 'dist');

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface WebAssets {
  index: Asset;
  /** By file name under /assets/. */
  files: Map<string, Asset>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function asset(body: Buffer, name: string): Asset {
  return { body, type: TYPES[extname(name)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, await newestMtime(p));
    else newest = Math.max(newest, (await stat(p)).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing, or web/src (or index.html) changed after it was built. */
export async function needsBuild(): Promise<boolean> {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(join(WEB_DIR, 'src'))) return false;
  const built = (await stat(index)).mtimeMs;
  const sources = Math.max(await newestMtime(join(WEB_DIR, 'src')), (await stat(join(WEB_DIR, 'index.html'))).mtimeMs);
  return sources > built;
}

export async function buildWebAssets(): Promise<void> {
  // A path in a variable: the build script is plain JavaScript outside src/.
  const script = join(ROOT, 'scripts', 'build-web.mjs');
  const mod = (await import(pathToFileURL(script).href)) as { buildWeb(o?: { minify?: boolean }): Promise<unknown> };
  await mod.buildWeb();
}

export async function loadWebAssets(): Promise<WebAssets | undefined> {
  const indexPath = join(DIST_DIR, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const files = new Map<string, Asset>();
  const assetsDir = join(DIST_DIR, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of await readdir(assetsDir)) {
      if (name.includes('.tmp-')) continue;
      // A build running at this moment may remove an older asset between readdir and read.
      const body = await readFile(join(assetsDir, name)).catch(() => undefined);
      if (body) files.set(name, asset(body, name));
    }
  }
  return { index: asset(await readFile(indexPath), 'index.html'), files };
}
