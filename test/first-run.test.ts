// `hookline serve` as users run it: the first start prints an admin token once,
// later starts reuse everything; bad settings are all listed and refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { spawnServer, tempDir } from './helpers/server.ts';

test('first start creates org, bucket and token and prints the token once; a restart reuses them', async () => {
  const dir = await tempDir('hookline-first-');
  try {
    const first = await spawnServer(dir, { HOOKLINE_INIT_TOKEN: '', HOOKLINE_INIT_ORG: 'acme', HOOKLINE_INIT_BUCKET: 'sensors' });
    const out = first.output();
    const token = /token:\s+(\S+)/.exec(out)?.[1];
    assert.ok(token && token.length >= 40, out);
    assert.match(out, /org:\s+acme/);
    assert.match(out, /bucket:\s+sensors/);
    assert.match(out, new RegExp(`hookline is running: ${first.url.replace(/[.]/g, '\\.')}`));
    const w = await fetch(`${first.url}/api/v2/write?org=acme&bucket=sensors&precision=s`, { method: 'POST', headers: { authorization: `Token ${token}` }, body: 'data,device=d1 count=42 1764625907' });
    assert.equal(w.status, 204);
    await first.kill();

    const second = await spawnServer(dir, { HOOKLINE_INIT_TOKEN: '', HOOKLINE_INIT_ORG: 'other', HOOKLINE_INIT_BUCKET: 'other' });
    assert.doesNotMatch(second.output(), /token:/, 'the token is printed only on the first start');
    const r = await fetch(`${second.url}/api/v3/query_sql?db=sensors&q=${encodeURIComponent('SELECT count FROM data')}`, { headers: { authorization: `Token ${token}` } });
    assert.deepEqual(await r.json(), [{ count: 42 }]);
    const orgs = await (await fetch(`${second.url}/api/v2/orgs`, { headers: { authorization: `Token ${token}` } })).json();
    assert.deepEqual(orgs.orgs.map((o: { name: string }) => o.name), ['acme']);
    await second.kill();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('invalid settings are all listed and the process exits with status 2', () => {
  const r = spawnSync(process.execPath, ['bin/hookline.js', 'serve', '--http-port', 'x'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, HOOKLINE_MAX_BODY_BYTES: 'huge', HOOKLINE_DATA_DIR: '/tmp/never-used' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /invalid configuration:/);
  assert.match(r.stderr, /HOOKLINE_HTTP_PORT \(--http-port\): expected an integer/);
  assert.match(r.stderr, /HOOKLINE_MAX_BODY_BYTES/);
});

test('hookline help lists the commands', () => {
  const r = spawnSync(process.execPath, ['bin/hookline.js', 'help'], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /serve/);
});
