// Bundles the explorer UI (web/) into web/dist/ with esbuild: one JS and one
// CSS file named by content hash (cached forever by browsers), and index.html
// pointing at them (never cached). Runs at `npm install` (prepare) and, when
// web/dist is missing, when the server starts; tests call buildWeb() so they
// always exercise the current sources.
//
// Deterministic: the same sources give byte-identical files. Files are written
// to a temporary name and renamed, so a server (or a second build running at
// the same time, as parallel test files do) never sees half a file.

import { build } from 'esbuild';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const webDir = join(root, 'web');
export const distDir = join(webDir, 'dist');

/** Builds web/ into web/dist; answers the asset names index.html refers to. */
export async function buildWeb({ minify = true } = {}) {
  const assetsDir = join(distDir, 'assets');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: join(webDir, 'src', 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Current Chromium and Firefox (issue 6); ES2022 keeps class fields and top-level await native.
    target: ['es2022', 'chrome110', 'firefox115'],
    minify,
    sourcemap: 'linked',
    legalComments: 'none',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.svg': 'file', '.png': 'file', '.woff2': 'file' },
    metafile: true,
    write: false,
    logLevel: 'silent',
    tsconfig: join(webDir, 'tsconfig.json'),
  });

  let js = '';
  let css = '';
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint && out.endsWith('.js')) {
      js = basename(out);
      if (meta.cssBundle) css = basename(meta.cssBundle);
    }
  }
  if (!js) throw new Error('build-web: esbuild produced no entry bundle');

  const template = await readFile(join(webDir, 'index.html'), 'utf8');
  const html = template
    .replace('<!-- styles -->', css ? `<link rel="stylesheet" href="/assets/${css}">` : '')
    .replace('<!-- scripts -->', `<script type="module" src="/assets/${js}"></script>`);

  await mkdir(assetsDir, { recursive: true });
  const written = new Set();
  for (const f of result.outputFiles) {
    await atomicWrite(f.path, f.contents);
    written.add(basename(f.path));
  }
  await atomicWrite(join(distDir, 'index.html'), html);
  // Assets of earlier builds are no longer referenced; a page still open on
  // them reloads index.html on the next navigation anyway.
  for (const name of await readdir(assetsDir)) {
    if (!written.has(name) && !name.includes('.tmp-')) await rm(join(assetsDir, name), { force: true });
  }
  return { js, css, files: [...written].sort() };
}

async function atomicWrite(path, contents) {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const out = await buildWeb({ minify: !process.argv.includes('--dev') });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`build-web: ${out.files.length} files in ${relative(process.cwd(), distDir) || distDir} (${ms} ms)\n`);
}
