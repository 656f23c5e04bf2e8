// `hookline simulate` against a hub serving its own self-signed certificate
// (issue 12): it trusts the data directory's certificate (--data-dir) or the
// one given with --ca, without NODE_EXTRA_CA_CERTS; without either, it fails.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer({ HOOKLINE_TLS: 'self-signed' });
});
after(() => s.stop());

async function simulate(extra: string[]): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.HOOKLINE_DATA_DIR;
  const url = s.url.replace('127.0.0.1', 'localhost');
  const child = spawn(process.execPath, ['bin/hookline.js', 'simulate', '--url', url, '--token', s.token, '--period', '10ms', '--count', '2', '--quiet', ...extra], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

test('--data-dir: the hub\'s own certificate from its data directory is trusted', async () => {
  const r = await simulate(['--data-dir', s.dataDir]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ok 2 · failed 0/);
});

test('--ca FILE is trusted; with neither, the self-signed certificate is refused', async () => {
  const empty = await tempDir('hookline-sim-');
  const ok = await simulate(['--ca', join(s.dataDir, 'tls', 'self-signed.crt'), '--data-dir', empty]);
  assert.equal(ok.code, 0, ok.out);
  const refused = await simulate(['--data-dir', empty]);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /could not set up the devices/);
});
