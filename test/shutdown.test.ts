// Bounded shutdown (issue 10, finding 9): SIGTERM while a client stalls
// mid-body and an SSE stream is open still ends the process, and what was
// acknowledged before is there after a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import { BUCKET, ORG, spawnServer, sql, tempDir, TOKEN } from './helpers/server.ts';

test('SIGTERM with a request stalled mid-body and an SSE stream open: the process exits and acknowledged data survives', async () => {
  const dir = await tempDir('hookline-shutdown-');
  const srv = await spawnServer(dir);
  try {
    const w = await fetch(`${srv.url}/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: 'before_stop v=42i 1700000000' });
    assert.equal(w.status, 204);

    // Half a body, then silence: the client "died" without closing.
    const { port } = new URL(srv.url);
    const stalled = net.connect(Number(port), '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(`POST /api/v2/write?org=${ORG}&bucket=${BUCKET} HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${TOKEN}\r\nContent-Length: 100000\r\n\r\nstalled v=1i`);

    // An SSE stream, read until the server ends it.
    const sse = await fetch(`${srv.url}/v1/devices/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(sse.status, 200);
    const reader = sse.body!.getReader();
    const sseDone = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return;
      } catch {
        return;
      }
    })();
    await new Promise((r) => setTimeout(r, 300)); // let the stalled request reach its handler

    const exited = new Promise<number | null>((resolve) => srv.child.once('exit', (code) => resolve(code)));
    srv.child.kill('SIGTERM');
    const outcome = await Promise.race([exited.then((code) => ({ code })), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 60_000))]);
    assert.notEqual(outcome, 'hung', `still running 60 s after SIGTERM:\n${srv.output()}`);
    // 0: it closed by itself (the stalled connection cut after the grace), not by the HOOKLINE_SHUTDOWN_TIMEOUT force.
    assert.deepEqual(outcome, { code: 0 }, srv.output());
    await sseDone;
    stalled.destroy();
  } finally {
    await srv.kill('SIGKILL');
  }
  const again = await spawnServer(dir);
  try {
    const rows = await sql<{ v: number }>(again, 'SELECT v FROM before_stop');
    assert.deepEqual(rows.map((r) => Number(r.v)), [42]);
  } finally {
    await again.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
