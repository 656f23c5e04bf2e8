// Durability: a 2xx means the points survive kill -9. Writers hammer a real
// hookline process (flushing to Parquet as they go), the process is killed
// with SIGKILL mid-stream, and after a restart every acknowledged point is
// there and no batch is half there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { spawnServer, tempDir, ORG, BUCKET, sql } from './helpers/server.ts';

const WRITERS = 4;
const BATCH = 250;

test('every acknowledged point survives SIGKILL during writes and flushes; nothing half-written appears', async () => {
  const dir = await tempDir('hookline-crash-');
  // Small flushes so the kill lands among Parquet writes, catalog commits and WAL deletions.
  const env = { HOOKLINE_FLUSH_POINTS: '3000' };
  const srv = await spawnServer(dir, env);
  const acked = new Map<string, number>(); // batch id -> lines
  let stop = false;
  const writer = async (w: number) => {
    for (let b = 0; !stop; b++) {
      const lines: string[] = [];
      for (let l = 0; l < BATCH; l++) {
        // Each line its own series and time; some lines rewrite an earlier key of the same batch.
        const key = l % 50 === 49 ? l - 1 : l;
        lines.push(`crash,w=w${w},b=b${b} v=${b * 1000 + l}i,batch="${w}-${b}" ${1_700_000_000 + key}`);
      }
      try {
        const r = await fetch(`${srv.url}/api/v2/write?org=${ORG}&bucket=${BUCKET}&precision=s`, {
          method: 'POST',
          headers: { authorization: `Token ${srv.token}` },
          body: lines.join('\n'),
        });
        if (r.status === 204) acked.set(`${w}-${b}`, BATCH - Math.floor(BATCH / 50));
        else if (r.status !== 503) throw new Error(`unexpected ${r.status}: ${await r.text()}`);
      } catch (e) {
        if (!stop) throw e;
        return; // the connection died with the process: this batch was not acknowledged
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  await new Promise((r) => setTimeout(r, 2500));
  stop = true;
  await srv.kill('SIGKILL');
  await Promise.allSettled(writers);
  assert.ok(acked.size > 20, `only ${acked.size} batches were acknowledged before the kill`);
  console.log(`# ${acked.size} batches (${[...acked.values()].reduce((a, b) => a + b, 0)} points) acknowledged before SIGKILL`);

  const again = await spawnServer(dir, env);
  try {
    const rows = await sql<{ batch: string; n: number; vmin: number }>(
      again,
      `SELECT batch, count(*)::INTEGER AS n, min(v)::INTEGER AS vmin FROM crash GROUP BY batch`,
    );
    const found = new Map(rows.map((r) => [r.batch, r.n]));
    for (const [id, lines] of acked) assert.equal(found.get(id), lines, `acknowledged batch ${id}`);
    // A batch that was not acknowledged is all there (logged before the kill) or not at all.
    for (const r of rows) assert.equal(r.n, BATCH - Math.floor(BATCH / 50), `batch ${r.batch} is whole`);
    // The rewritten keys hold the later value (last write wins), e.g. line 48 holds 49's value.
    const [dup] = await sql<{ v: number }>(again, `SELECT v FROM crash WHERE batch = '0-0' AND time = make_timestamp(1700000048::BIGINT * 1000000)`);
    assert.equal(dup.v, 49);
  } finally {
    await again.kill();
    await rm(dir, { recursive: true, force: true });
  }
});
