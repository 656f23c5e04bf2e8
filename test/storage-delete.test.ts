// Point deletion (InfluxQL DELETE / DROP SERIES / DROP MEASUREMENT build on
// it): matches go whether they were in memory or in files, the rest stays,
// and the result survives a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, writeLp, sql, ORG, BUCKET, type TestServer } from './helpers/server.ts';

function bucketId(s: TestServer): string {
  return s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!.id;
}

function tagCol(s: TestServer, measurement: string, key: string): string {
  return `t${s.store.measurementOf(bucketId(s), measurement)!.tagOrdinal.get(key)}`;
}

function fieldCol(s: TestServer, measurement: string, key: string): string {
  return `f${s.store.measurementOf(bucketId(s), measurement)!.fieldByName.get(key)!.ordinal}`;
}

test('deletePoints removes matches from files and memory, keeps the rest, across a restart', async () => {
  let s = await startTestServer();
  try {
    assert.equal((await writeLp(s, 'del,dev=a v=1 10\ndel,dev=b v=2 10\ndel,dev=a v=3 20')).status, 204);
    await s.store.flush();
    // in memory only, with a field the flushed file does not have
    assert.equal((await writeLp(s, 'del,dev=a v=4,extra="x" 30\ndel,dev=c v=5 30')).status, 204);
    const dev = tagCol(s, 'del', 'dev');
    const r = await s.store.deletePoints(bucketId(s), 'del', `${dev} = 'a' AND time < TIMESTAMP '1970-01-01 00:00:25'`);
    assert.equal(r.deleted, 2);
    const expect = [
      { dev: 'a', t: 30, v: 4 },
      { dev: 'b', t: 10, v: 2 },
      { dev: 'c', t: 30, v: 5 },
    ];
    const q = `SELECT dev, epoch(time)::INTEGER AS t, v FROM del ORDER BY dev, t`;
    assert.deepEqual(await sql(s, q), expect);
    // a condition on a column some files lack: NULL there, so those rows stay
    const extra = fieldCol(s, 'del', 'extra');
    assert.equal((await s.store.deletePoints(bucketId(s), 'del', `${extra} = 'y'`)).deleted, 0);
    s = await s.restart();
    assert.deepEqual(await sql(s, q), expect, 'after a restart');
  } finally {
    await s.stop();
  }
});

test('dropMeasurement forgets the data and the field types; other measurements stay', async () => {
  let s = await startTestServer();
  try {
    assert.equal((await writeLp(s, 'gone v=1i 1\nkept v=1 1')).status, 204);
    await s.store.flush();
    assert.equal((await writeLp(s, 'gone v=2i 2')).status, 204);
    await s.store.dropMeasurement(bucketId(s), 'gone');
    assert.equal(s.store.measurementOf(bucketId(s), 'gone'), undefined);
    s = await s.restart();
    assert.equal(s.store.measurementOf(bucketId(s), 'gone'), undefined, 'still gone after a restart');
    // v was an integer; after the drop a float is accepted
    assert.equal((await writeLp(s, 'gone v=1.5 3')).status, 204);
    assert.deepEqual(await sql(s, 'SELECT v FROM gone'), [{ v: 1.5 }]);
    assert.deepEqual(await sql(s, 'SELECT v FROM kept'), [{ v: 1 }]);
  } finally {
    await s.stop();
  }
});
