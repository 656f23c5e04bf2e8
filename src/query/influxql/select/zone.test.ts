// GROUP BY time() windows without a zone: the SQL gives each point the same
// window start as windows.start(), both in its general form (any time) and
// in its one-division form (every time at or after the offset).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { windowsFor } from './zone.ts';

const H = 3_600_000_000_000n;
const M = 60_000_000_000n;

async function startsInSql(sql: (col: string) => string, times: bigint[]): Promise<bigint[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const values = times.map((t) => `(${t}::BIGINT)`).join(', ');
    const r = await c.runAndReadAll(`SELECT ${sql('t')} FROM (VALUES ${values}) v(t)`);
    return r.getRows().map((row) => BigInt(row[0] as bigint));
  } finally {
    c.closeSync();
  }
}

test('window starts: one division when every time is at or after the offset', async () => {
  for (const [every, offset] of [[H, 0n], [M, 0n], [H, 15n * M], [H, -15n * M], [7n * 24n * H, 4n * 24n * H]] as const) {
    const w = windowsFor(every, offset, undefined, 0n, 10n * every);
    const times = [offset, offset + 1n, offset + every - 1n, offset + every, 1_735_689_600_000_000_000n, 1_735_689_659_999_999_999n].filter((t) => t >= offset);
    const fast = w.sql('t', offset);
    assert.match(fast, /\/\//, 'the one-division form');
    assert.deepEqual(await startsInSql((col) => w.sql(col, offset), times), times.map((t) => w.start(t)));
  }
});

test('window starts: times before the offset (or before 1970) keep the floor modulo', async () => {
  const w = windowsFor(H, 15n * M, undefined, -10n * H, 10n * H);
  const times = [-H - 1n, -1n, 0n, 15n * M - 1n, 15n * M];
  assert.doesNotMatch(w.sql('t', -2n * H), /\/\//);
  assert.doesNotMatch(w.sql('t'), /\/\//);
  assert.deepEqual(await startsInSql((col) => w.sql(col, -2n * H), times), times.map((t) => w.start(t)));
});
