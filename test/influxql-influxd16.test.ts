// /query against InfluxDB 1.6's own answers: the differential corpus
// (scripts/influxql-diff-corpus.json: InfluxDB's server tests, Grafana's
// queries, our probes) as influxd 1.6.7 answered it, captured by
// `node --import tsx scripts/influxql-diff.ts --capture
// src/query/influxql/fixtures/influxd16-cases.json`. Each group runs in its
// own org (its own databases); the same setup statements and writes, then
// every statement, whose status and body must be byte-identical. Where
// hookline answers otherwise on purpose the fixture holds hookline's answer
// and the reason (docs/influxql.md), and that is what is checked.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusLines, expandNow, groupClient, groupNow, startInfluxQlServer, type CapturedGroup, type CapturedQuery, type GroupClient, type QlServer } from './helpers/influxql.ts';

const groups = JSON.parse(readFileSync(new URL('../src/query/influxql/fixtures/influxd16-cases.json', import.meta.url), 'utf8')) as CapturedGroup[];

let s: QlServer;
before(async () => {
  s = await startInfluxQlServer();
});
after(() => s.stop());

async function ask(s: QlServer, c: GroupClient, q: CapturedQuery, now: bigint): Promise<{ status: number; body: string }> {
  // As InfluxDB's server tests send statements: q and the parameters in the URL, POST unless GET.
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q.params ?? {})) p.set(k, expandNow(v, now));
  p.set('q', expandNow(q.q, now));
  const r = await fetch(`${s.url}/query?${p}`, { method: q.method ?? 'POST', headers: { authorization: `Token ${c.token}`, ...(q.headers ?? {}) } });
  return { status: r.status, body: (await r.text()).trim() };
}

for (const g of groups) {
  test(g.group, async (t) => {
    const c = await groupClient(s);
    const now = groupNow(g);
    for (const stmt of g.setup) {
      const r = await c.query(stmt, {}, 'POST');
      assert.ok(r.status === 200 && !r.body.includes('"error"'), `setup ${stmt}: ${r.status} ${r.body}`);
    }
    let n = 0;
    for (const step of g.steps) {
      if ('write' in step) {
        const w = step.write;
        const p = new URLSearchParams({ db: w.db });
        if (w.rp) p.set('rp', w.rp);
        if (w.precision) p.set('precision', w.precision);
        const r = await fetch(`${s.url}/write?${p}`, { method: 'POST', body: corpusLines(w, now), headers: { authorization: `Token ${c.token}` } });
        await r.text();
        if (!w.mayFail) assert.equal(r.status, 204, `write to ${w.db}`);
        continue;
      }
      const q = step.query;
      const label = `${++n} ${q.name || q.q.slice(0, 80)}`;
      if (q.status === 0) {
        await t.test(label, { skip: String(q.skip ?? 'not captured') }, () => {});
        continue;
      }
      const want = q.hookline ?? q;
      const r = await ask(s, c, q, now);
      await t.test(label, () => {
        assert.equal(`${r.status} ${r.body}`, `${want.status} ${expandNow(want.body, now)}`, q.hookline ? `${q.q} (differs from 1.6 on purpose: ${q.hookline.reason})` : q.q);
      });
    }
  });
}
