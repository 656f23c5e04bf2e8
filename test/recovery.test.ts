// `hookline recovery create-token` (issue 12): with the hub stopped, a new
// all-access token is made from the data directory and printed once; it then
// reads and writes like the first-start token. A running hub is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import { startTestServer, tempDir, BUCKET, ORG } from './helpers/server.ts';

const REPO = new URL('..', import.meta.url).pathname;
async function recovery(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['bin/hookline.js', 'recovery', ...args], { cwd: REPO, encoding: 'utf8' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('a stopped hub\'s data directory gives a new all-access token; a running hub is refused', async () => {
  const dir = await tempDir('hookline-recovery-');
  try {
    let s = await startTestServer({}, dir);
    const running = await recovery(['create-token', '--data-dir', dir]);
    assert.equal(running.code, 1);
    assert.match(running.stderr, /in use by a running hookline .* stop it first/);
    await s.close();

    const unknown = await recovery(['create-token', '--data-dir', dir, '--org', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, new RegExp(`org not found: nope \\(orgs: ${ORG}\\)`));

    const r = await recovery(['create-token', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^\S{20,}$/);
    assert.match(r.stderr, new RegExp(`all-access token .* in org ${ORG}`));

    s = await startTestServer({}, dir);
    const as = (path: string, init: RequestInit = {}) => fetch(s.url + path, { ...init, headers: { authorization: `Token ${token}` } });
    assert.equal((await as(`/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, { method: 'POST', body: 'm v=1 1700000000' })).status, 204);
    const buckets = (await (await as('/api/v2/buckets')).json()) as { buckets: Array<{ name: string }> };
    assert.ok(buckets.buckets.some((b) => b.name === BUCKET));
    const auths = (await (await as('/api/v2/authorizations')).json()) as { authorizations: Array<{ description: string }> };
    assert.ok(auths.authorizations.some((a) => a.description.startsWith('recovery token ')));
    // It can make further tokens and orgs, as an operator token can.
    assert.equal((await fetch(s.url + '/api/v2/orgs', { method: 'POST', headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: '{"name":"second"}' })).status, 201);
    await s.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
