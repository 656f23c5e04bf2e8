// A tag regex that is a list of whole values (Grafana's multi-value variable,
// `/^(d1|d3)$/`) is run as an IN list (query/influxql/literal-alternation.ts).
// Each such query must answer exactly what the same match as a real regex
// answers: the second form adds a no-op group, which keeps it a regex.
// Points flushed to Parquet and still in memory, a series without the tag,
// =~ and !~, in WHERE and in DELETE.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, startTestServer, writeLp, type TestServer } from './helpers/server.ts';

let s: TestServer;

const q = async (query: string): Promise<string> => {
  const r = await fetch(`${s.url}/query?db=${BUCKET}&q=${encodeURIComponent(query)}`, { headers: { authorization: `Token ${s.token}` } });
  assert.equal(r.status, 200);
  return r.text();
};

before(async () => {
  s = await startTestServer();
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) lines.push(`cpu,device=d${i % 5},site=s${i % 2} v=${i} ${1_700_000_000 + i}`);
  lines.push('cpu,site=s1 v=999 1700000500', 'cpu,device=server.1 v=7 1700000501', 'cpu,device=serverX1 v=8 1700000502');
  assert.equal((await writeLp(s, lines.slice(0, 120).join('\n'))).status, 204);
  await s.store.flush();
  assert.equal((await writeLp(s, lines.slice(120).join('\n'))).status, 204);
});

after(() => s.stop());

test('an IN list answers what the regex answers', async () => {
  const pairs: Array<[string, string]> = [
    ['"device" =~ /^(d1|d3)$/', '"device" =~ /^(d1|d3)(?:)$/'],
    ['"device" !~ /^(d1|d3)$/', '"device" !~ /^(d1|d3)(?:)$/'],
    ['"device" =~ /^d4$/', '"device" =~ /^d4(?:)$/'],
    ['"device" =~ /^(server\\.1|d0)$/', '"device" =~ /^(server\\.1|d0)(?:)$/'],
    ['"device" =~ /^(d1|nope)$/ AND "site" = \'s1\'', '"device" =~ /^(d1|nope)(?:)$/ AND "site" = \'s1\''],
    ['"device" =~ /^(d2)$/ OR "site" =~ /^(s0)$/', '"device" =~ /^(d2)(?:)$/ OR "site" =~ /^(s0)(?:)$/'],
  ];
  for (const [fast, slow] of pairs) {
    for (const shape of ['SELECT count(v), sum(v) FROM cpu WHERE %', 'SELECT v FROM cpu WHERE % ORDER BY time DESC LIMIT 7', 'SELECT max(v) FROM cpu WHERE % GROUP BY device']) {
      const a = await q(shape.replace('%', fast));
      const b = await q(shape.replace('%', slow));
      assert.equal(a, b, `${shape} with ${fast}`);
      assert.ok(!a.includes('"error"'), a);
    }
  }
  // server.1 is matched as the literal it was escaped to, not as "server" + any character.
  assert.match(await q('SELECT count(v) FROM cpu WHERE "device" =~ /^(server\\.1)$/'), /"values":\[\["1970-01-01T00:00:00Z",1\]\]/);
});

test('DELETE with an IN-list regex removes what the regex matches', async () => {
  await q('DELETE FROM cpu WHERE "device" =~ /^(d0|d1)$/');
  assert.match(await q('SELECT count(v) FROM cpu WHERE "device" =~ /^(d0|d1)(?:)$/'), /"series":\[\]|"statement_id":0}\]/);
  assert.match(await q('SELECT count(v) FROM cpu WHERE "device" = \'d2\''), /"values":\[\["1970-01-01T00:00:00Z",40\]\]/);
});
