// Serving the explorer at / (src/explorer): index.html for the UI's own paths
// only, hashed assets cached for good, a content security policy that keeps
// the page on this server, and every API path left to the API.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { UI_PATHS } from '../src/explorer/ui-routes.ts';
import { DIST_DIR } from '../src/explorer/web-assets.ts';

describe('explorer: static serving', () => {
  let server: TestServer;
  let index: string;
  before(async () => {
    server = await startTestServer();
    index = await (await fetch(server.url + '/')).text();
  });
  after(() => server?.stop());

  test('index.html: no-cache, ETag, CSP without other origins', async () => {
    const r = await fetch(server.url + '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const csp = r.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    const again = await fetch(server.url + '/', { headers: { 'if-none-match': r.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.doesNotMatch(index, /(src|href)="(https?:)?\/\//, 'every asset is local');
    const head = await fetch(server.url + '/', { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('every UI path answers index.html (history routing)', async () => {
    for (const p of UI_PATHS) {
      const path = p.replace(':id', 'abc123');
      const r = await fetch(server.url + path);
      assert.equal(r.status, 200, path);
      assert.equal(await r.text(), index, path);
    }
  });

  test('assets: hashed names, right types, cached for good', async () => {
    const refs = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.equal(refs.length, 2, 'one script, one stylesheet');
    for (const ref of refs) {
      const r = await fetch(server.url + ref);
      assert.equal(r.status, 200, ref);
      assert.match(ref, /-[A-Z0-9]{8}\.(js|css)$/);
      assert.equal(r.headers.get('content-type'), ref.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const body = await r.text();
      assert.doesNotMatch(body, /@import\s+url\(["']?https?:|fonts\.googleapis|cdn\./, `${ref} loads nothing remote`);
    }
    const missing = await fetch(server.url + '/assets/app-NOPE.js');
    assert.equal(missing.status, 404);
    assert.equal((await fetch(server.url + '/assets/..%2Fpackage.json')).status, 404);
  });

  test('API paths are never shadowed by the UI', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/api/v2/nothing', 404, /"code":"not found"/],
      ['/api/v2/buckets', 401, /"code":"unauthorized"/],
      ['/v1/nothing', 404, /"ok":false/],
      ['/v1/devices', 401, /"ok":false/],
      ['/query?q=SHOW%20DATABASES', 401, /"error"/],
      // GET on a POST-only path is the API's own 404/405, never the page.
      ['/write?db=x', 404, /"error"/],
      ['/api/v2/write', 404, /"code":"not found"/],
      ['/health', 200, /"status":"pass"/],
      ['/ping', 204, /^$/],
      ['/metrics', 404, /"error"/],
      ['/debug/flush', 404, /"error"/],
      ['/explore/deeper/path', 404, /"error"/],
      ['/index.html', 404, /"error"/],
    ];
    for (const [path, status, body] of cases) {
      const r = await fetch(server.url + path);
      const text = await r.text();
      assert.ok(!text.startsWith('<!doctype html>'), `${path} must not answer the UI`);
      assert.equal(r.status, status, `${path}: ${text}`);
      assert.match(text, body, path);
    }
  });
});

test('the build is deterministic', async () => {
  // A path in a variable: the build script is plain JavaScript outside src/.
  const script = new URL('../scripts/build-web.mjs', import.meta.url).href;
  const { buildWeb } = (await import(script)) as { buildWeb(): Promise<{ js: string; css: string; files: string[] }> };
  const a = await buildWeb();
  const jsA = await readFile(join(DIST_DIR, 'assets', a.js));
  const b = await buildWeb();
  assert.deepEqual(b, a);
  assert.deepEqual(await readFile(join(DIST_DIR, 'assets', b.js)), jsA);
  assert.match(await readFile(join(DIST_DIR, 'index.html'), 'utf8'), new RegExp(`/assets/${a.js}`));
});
