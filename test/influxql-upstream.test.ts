// InfluxQL over /query against cases taken from InfluxDB 1.x's own server
// tests (influxdb tests/server_test.go, named per group): same writes, same
// statements, byte-identical expected bodies.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setupGroup, startInfluxQlServer, type FixtureGroup, type QlServer } from './helpers/influxql.ts';

const groups = JSON.parse(readFileSync(new URL('../src/query/influxql/fixtures/upstream-server-cases.json', import.meta.url), 'utf8')) as FixtureGroup[];

let s: QlServer;
before(async () => {
  s = await startInfluxQlServer();
});
after(() => s.stop());

for (const g of groups) {
  test(g.test, async (t) => {
    const c = await setupGroup(s, g);
    for (const q of g.queries) {
      await t.test(q.name, async () => {
        const r = await c.query(c.expand(q.q), q.params, q.method ?? 'GET');
        assert.equal(r.body.trimEnd(), c.expand(q.exp), `${q.q}`);
      });
    }
  });
}
