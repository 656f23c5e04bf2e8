// A data directory written before tenancy moved onto Collections: its hl_*
// tables (the DDL those versions ran) are copied once into the collections,
// and every kind of record works as it did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, scryptSync } from 'node:crypto';
import { Duck } from '../storage/duck/duck.ts';
import { hashToken } from './ids.ts';
import { Tenancy } from './tenancy.ts';

const OLD_DDL = [
  `CREATE TABLE hl_orgs (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, created_at VARCHAR, updated_at VARCHAR)`,
  `CREATE TABLE hl_buckets (id VARCHAR PRIMARY KEY, org_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR, retention_seconds BIGINT NOT NULL, shard_group_seconds BIGINT NOT NULL, created_at VARCHAR, updated_at VARCHAR)`,
  `CREATE TABLE hl_users (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)`,
  `CREATE TABLE hl_authorizations (id VARCHAR PRIMARY KEY, token_hash VARCHAR NOT NULL, description VARCHAR, status VARCHAR NOT NULL, org_id VARCHAR NOT NULL, user_id VARCHAR, permissions VARCHAR NOT NULL, created_at VARCHAR, updated_at VARCHAR, extra VARCHAR)`,
  `CREATE TABLE hl_dbrp (org_id VARCHAR NOT NULL, db VARCHAR NOT NULL, default_rp VARCHAR NOT NULL)`,
  `CREATE TABLE hl_v1_users (id VARCHAR PRIMARY KEY, org_id VARCHAR NOT NULL, name VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, admin BOOLEAN NOT NULL, privileges VARCHAR NOT NULL, seq BIGINT NOT NULL, created_at VARCHAR)`,
  `CREATE TABLE hl_continuous_queries (org_id VARCHAR NOT NULL, db VARCHAR NOT NULL, name VARCHAR NOT NULL, query VARCHAR NOT NULL, seq BIGINT NOT NULL)`,
];

function oldPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

test('the hl_* tables of an older data directory are copied into the collections once, and work', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-legacy-'));
  try {
    const path = join(dir, 'hookline.duckdb');
    let duck = await Duck.open({ path, threads: 1 });
    const t0 = '2025-01-01T00:00:00.000Z';
    for (const ddl of OLD_DDL) await duck.meta.exec(ddl);
    await duck.meta.exec(`INSERT INTO hl_orgs VALUES ('o1', 'acme', 'old org', ?, ?)`, [t0, t0]);
    await duck.meta.exec(`INSERT INTO hl_buckets VALUES ('b1', 'o1', 'telemetry', '', 86400, 3600, ?, ?)`, [t0, t0]);
    await duck.meta.exec(`INSERT INTO hl_users VALUES ('u1', 'admin')`);
    const perms = JSON.stringify([{ action: 'read', resource: { type: 'buckets', orgID: 'o1' } }]);
    await duck.meta.exec(`INSERT INTO hl_authorizations VALUES ('a1', ?, 'old token', 'active', 'o1', 'u1', ?, ?, ?, ?)`, [hashToken('old-clear-token'), perms, t0, t0, JSON.stringify({ defaultBucketID: 'b1' })]);
    await duck.meta.exec(`INSERT INTO hl_dbrp VALUES ('o1', 'telemetry', 'weekly')`);
    await duck.meta.exec(`INSERT INTO hl_v1_users VALUES ('v1', 'o1', 'bob', ?, false, '{"telemetry":1}', 1, ?)`, [oldPasswordHash('pw-of-bob'), t0]);
    await duck.meta.exec(`INSERT INTO hl_continuous_queries VALUES ('o1', 'telemetry', 'cq1', 'CREATE CONTINUOUS QUERY cq1 ON telemetry BEGIN SELECT 1 END', 1)`);

    let t = await Tenancy.open(duck.meta);
    assert.deepEqual(t.listOrgs().map((o) => o.name), ['acme']);
    assert.equal(t.bucket('b1')?.retentionSeconds, 86400);
    const auth = t.authenticate('old-clear-token');
    assert.equal(auth?.id, 'a1');
    assert.equal(auth?.defaultBucketID, 'b1');
    assert.deepEqual(auth?.permissions, JSON.parse(perms));
    assert.equal(t.defaultRp('o1', 'telemetry'), 'weekly');
    assert.equal((await t.v1Users.verify('bob', 'pw-of-bob'))?.privileges.telemetry, 1);
    assert.equal(await t.v1Users.verify('bob', 'wrong'), undefined);
    assert.deepEqual(t.continuousQueries.list('o1').map((c) => c.name), ['cq1']);

    // A change after the copy is kept; reopening does not copy the old rows over it, even once every org is gone.
    await t.deleteAuthorization('a1');
    await t.deleteOrg('o1');
    await duck.close();
    duck = await Duck.open({ path, threads: 1 });
    t = await Tenancy.open(duck.meta);
    assert.equal(t.authenticate('old-clear-token'), undefined);
    assert.equal(t.listOrgs().length, 0);
    const kept = await duck.meta.rows<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'hl_%' ORDER BY 1`);
    assert.ok(kept.every((r) => r.t.endsWith('_imported')), 'the old tables are kept, renamed');
    await duck.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
