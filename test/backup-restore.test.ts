// Backup and restore (issue 16, docs/backup.md): a hub written to by a
// concurrent writer is backed up with `hookline backup` while the writes go
// on, restored with `hookline restore` into a new data directory, and a second
// hub started on it holds every point acknowledged before the backup began
// (counts and a sample of values), the tokens, the integration and its secret,
// which stays encrypted in the backup and decrypts again on the new hub once
// its key is copied over.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, BUCKET, ORG, sql, startTestServer, tempDir, writeLp, type TestServer } from './helpers/server.ts';
import { captureServer, createIntegration, json, putSecret } from './helpers/particle.ts';

const SECRET = `backup-s3cret-${process.pid}-Zq`;
const ROOT = new URL('..', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/hookline.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

/** Line i of the writer: one series per 10 points, value derived from i, time 1 s apart. */
const T0 = 1_700_000_000;
const line = (i: number) => `load,dev=d${i % 10} v=${i * 0.5},n=${i}i ${T0 + i}`;

test('backup under load, restore elsewhere: everything acknowledged before the backup is there', { timeout: 180_000 }, async () => {
  const cap = await captureServer();
  const a = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8', HOOKLINE_FLUSH_POINTS: '5000' });
  const backupDir = join(await tempDir('hookline-backup-'), 'b');
  const restored = join(await tempDir('hookline-restored-'), 'data');
  let b: TestServer | undefined;
  try {
    // Things beside points: a second token, a secret, an integration using it.
    const tok = await json(await api(a, '/api/v2/authorizations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgID: (a.firstRun?.org?.id ?? a.tenancy.listOrgs()[0]!.id), description: 'reader', permissions: [{ action: 'read', resource: { type: 'buckets' } }] }),
    }));
    assert.ok(tok.token, JSON.stringify(tok));
    assert.equal((await putSecret(a, 'BK_SECRET', SECRET)).status, 201);
    const integ = await createIntegration(a, { event: 'bk/', url: `${cap.url}/hook`, requestType: 'POST', headers: { 'X-Key': '{{{BK_SECRET}}}' }, secrets: ['BK_SECRET'] });

    // A writer that never stops until told; `acked` counts what got a 204.
    let acked = 0;
    let next = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        const from = next;
        next += 500;
        const r = await writeLp(a, Array.from({ length: 500 }, (_, k) => line(from + k)).join('\n'));
        assert.equal(r.status, 204, await r.text());
        acked = Math.max(acked, from + 500);
      }
    })();
    while (acked < 20_000) await new Promise((r) => setTimeout(r, 20));
    // Writes are sequential: every point below `before` was acknowledged before the backup began.
    const before = acked;
    // A node of a cluster keeps its write-log position beside its data; a backup carries it (read by cluster nodes only).
    await writeFile(join(a.dataDir, 'cluster-position'), '42');
    const bk = await cli(['backup', backupDir, '--host', a.url], { HOOKLINE_TOKEN: a.token });
    const during = acked;
    stop = true;
    await writer;
    assert.equal(bk.code, 0, bk.err + bk.out);
    assert.match(bk.out, /backed up \d+ points, \d+ files, .* in [\d.]+ s/);
    assert.ok(during > before, `the writer kept writing during the backup (${before} -> ${during})`);
    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8'));
    assert.ok(manifest.points >= before, `backup holds ${manifest.points} points, ${before} were acknowledged before it began`);
    assert.ok(manifest.files.some((f: { path: string }) => f.path.startsWith('webhooks/')), 'the webhook queue log is in the backup');
    assert.ok(manifest.files.some((f: { path: string }) => f.path.endsWith('.parquet')));
    assert.equal(manifest.clusterPosition, 42);
    assert.equal(await readFile(join(backupDir, 'cluster-position'), 'utf8'), '42');

    // The secret is in the backup only encrypted, and its key is not there.
    for (const f of await allFiles(backupDir)) {
      assert.ok(!(await readFile(f)).includes(SECRET), `plaintext secret in ${f}`);
      assert.notEqual(f.endsWith('secrets.key'), true);
    }

    // Restore refuses a non-empty data directory, and a damaged backup.
    const busy = await tempDir('hookline-busy-');
    await writeFile(join(busy, 'x'), 'x');
    const refused = await cli(['restore', backupDir, '--data-dir', busy]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /not empty/);

    const rs = await cli(['restore', backupDir], { HOOKLINE_DATA_DIR: restored });
    assert.equal(rs.code, 0, rs.err + rs.out);
    assert.match(rs.out, /restored \d+ points/);
    await copyFile(join(a.dataDir, 'secrets.key'), join(restored, 'secrets.key'));

    const totalA = Number((await sql<{ n: number }>(a, 'SELECT count(*) AS n FROM load'))[0]!.n);
    await a.close();
    b = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' }, restored);
    const n = Number((await sql<{ n: number }>(b, 'SELECT count(*) AS n FROM load'))[0]!.n);
    assert.equal(n, manifest.points, 'the restored hub holds exactly the points of the backup');
    assert.ok(n >= before && n <= totalA, `restored ${n}: at least the ${before} acknowledged before the backup, at most the ${totalA} written`);
    // Every index below `before` is there once, with its values.
    const below = Number((await sql<{ n: number }>(b, `SELECT count(DISTINCT n) AS n FROM load WHERE n < ${before}`))[0]!.n);
    assert.equal(below, before);
    for (const i of [0, 1, 4999, Math.floor(before / 2), before - 1]) {
      const rows: Array<{ v: number; n: number; dev: string; time: string }> = await sql(b!, `SELECT v, n, dev, time FROM load WHERE n = ${i}`);
      assert.equal(rows.length, 1, `point ${i}`);
      assert.equal(rows[0]!.v, i * 0.5);
      assert.equal(rows[0]!.dev, `d${i % 10}`);
      assert.equal(new Date(rows[0]!.time).getTime(), (T0 + i) * 1000);
    }

    // Tokens work: the first-start one and the one made later.
    assert.equal((await api(b, '/api/v2/buckets')).status, 200);
    const viaReader = await fetch(`${b.url}/api/v2/buckets?name=${BUCKET}`, { headers: { authorization: `Token ${tok.token}` } });
    assert.equal(viaReader.status, 200);
    assert.equal((await json(viaReader)).buckets[0].name, BUCKET);

    // The integration and its secret are there, and the secret decrypts: a delivery carries it.
    const got = await json(await api(b, `/v1/integrations/${integ.id}`));
    assert.equal(got.id, integ.id);
    const secrets = await json(await api(b, '/v1/secrets'));
    assert.ok(JSON.stringify(secrets).includes('BK_SECRET'));
    assert.ok(!JSON.stringify(secrets).includes(SECRET));
    const pub = await api(b, '/v1/devices/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bk/go', data: '1' }) });
    assert.ok(pub.status < 300, await pub.text());
    const [req] = await cap.waitFor(1, 20_000);
    assert.equal(req!.headers['x-key'], SECRET);
    assert.equal(ORG, b.tenancy.listOrgs()[0]!.name);
  } finally {
    await cap.close();
    await b?.stop();
    await a.stop();
    await rm(join(backupDir, '..'), { recursive: true, force: true });
  }
});

test('a backup needs an operator token', { timeout: 60_000 }, async () => {
  const a = await startTestServer();
  try {
    const orgID = a.tenancy.listOrgs()[0]!.id;
    const t = await json(await api(a, '/api/v2/authorizations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgID, description: 'writer', permissions: [{ action: 'write', resource: { type: 'buckets', orgID } }] }),
    }));
    // On a hub with one org, that org's all-access token may back it up; once a second org exists, only an operator.
    const all = await json(await api(a, '/api/v2/authorizations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgID, description: 'all', permissions: ['orgs', 'buckets', 'authorizations', 'secrets', 'devices'].flatMap((type) => ['read', 'write'].map((action) => ({ action, resource: { type, orgID } }))) }),
    }));
    const okBackup = await fetch(`${a.url}/api/hookline/backup`, { headers: { authorization: `Token ${all.token}` } });
    assert.equal(okBackup.status, 200);
    await okBackup.arrayBuffer();
    assert.equal((await api(a, '/api/v2/orgs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'second' }) })).status, 201);
    const refused = await fetch(`${a.url}/api/hookline/backup`, { headers: { authorization: `Token ${all.token}` } });
    assert.equal(refused.status, 403);
    await refused.text();
    const dir = join(await tempDir('hookline-backup-'), 'b');
    const r = await cli(['backup', dir, '--host', a.url, '--token', t.token]);
    assert.equal(r.code, 1);
    assert.match(r.err, /403.*operator token/);
    const none = await cli(['backup', dir, '--host', a.url], { HOOKLINE_TOKEN: '' });
    assert.equal(none.code, 1);
    assert.match(none.err, /no token/);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'x'), 'x');
    const full = await cli(['backup', dir, '--host', a.url, '--token', a.token]);
    assert.equal(full.code, 1);
    assert.match(full.err, /not empty/);
  } finally {
    await a.stop();
  }
});

test('one backup at a time; a download cut off midway releases its snapshot', { timeout: 60_000 }, async () => {
  const a = await startTestServer();
  try {
    await writeLp(a, Array.from({ length: 2000 }, (_, i) => line(i)).join('\n'));
    const ac = new AbortController();
    const first = await api(a, '/api/hookline/backup', { signal: ac.signal });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'application/x-tar');
    const second = await api(a, '/api/hookline/backup');
    assert.equal(second.status, 503);
    assert.equal((await json(second)).code, 'unavailable');
    const reader = first.body!.getReader();
    await reader.read();
    ac.abort();
    await reader.cancel().catch(() => undefined);
    // The cut is seen by the server shortly; a new backup then starts and streams whole.
    const deadline = Date.now() + 20_000;
    let again: Response;
    for (;;) {
      again = await api(a, '/api/hookline/backup');
      if (again.status === 200 || Date.now() > deadline) break;
      await again.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(again.status, 200);
    const tar = Buffer.from(await again.arrayBuffer());
    assert.ok(tar.includes(Buffer.from('checksums.json')));
    const staging = join(a.dataDir, '.backup');
    const until = Date.now() + 10_000;
    while ((await readdir(staging).catch(() => [])).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await readdir(staging).catch(() => []), [], 'staging removed once the downloads ended');
  } finally {
    await a.stop();
  }
});
