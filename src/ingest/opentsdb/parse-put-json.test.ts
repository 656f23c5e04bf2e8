// POST /api/put bodies against fixtures/put-json-cases.json (built from
// OpenTSDB's TestPutRpc and OVH's catalyst ingester), in both modes, through the
// general path (parse + validate) and, where it applies, the byte fast path,
// which must store exactly what the general path stores.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePutJson } from './parse-put-json.ts';
import { validateJsonPoint, type OpenTsdbMode } from './validate-point.ts';
import { inRequestOrder, transcodePut } from './transcode-put.ts';
import { encodeLineProtocol } from './encode-lp.ts';
import { parseLineProtocol } from '../line-protocol/parse.ts';
import { measurementOf, tagsOf } from '../line-protocol/decode.ts';

interface Case {
  name: string;
  mode: OpenTsdbMode;
  body: string;
  expect:
    | { bodyError: { message: string } }
    | { points: Array<{ error: string } | { ok: { metric: string; ms: number | 'now'; value: number; tags: Array<[string, string]> } }> };
  source: string;
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/put-json-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const NOW = 1_700_000_000_123;

/** What the store would hold for an LP body: [measurement, tags, value, ms] per line. */
function stored(lp: Buffer): unknown[] {
  const b = parseLineProtocol(lp, { precision: 'ms', now: { sec: 0, nsec: 0 } });
  assert.equal(b.errors.length, 0, JSON.stringify(b.errors));
  return Array.from({ length: b.n }, (_, i) => [measurementOf(b, i), tagsOf(b, i)]);
}

for (const c of cases) {
  test(`${c.name} (${c.source})`, () => {
    const parsed = parsePutJson(c.body);
    if ('bodyError' in c.expect) {
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.equal(parsed.message, c.expect.bodyError.message);
      assert.equal(transcodePut(Buffer.from(c.body), c.mode, NOW), undefined);
      return;
    }
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message + ' ' + parsed.details);
    const got = parsed.points.map((p) => validateJsonPoint(p, c.mode, NOW));
    assert.deepEqual(
      got.map((g) => (typeof g === 'string' ? { error: g } : { ok: g })),
      c.expect.points.map((e) => ('ok' in e ? { ok: { ...e.ok, ms: e.ok.ms === 'now' ? NOW : e.ok.ms } } : e)),
    );
    // The fast path takes the body only when every point is valid, and stores the same.
    const fast = transcodePut(Buffer.from(c.body), c.mode, NOW);
    if (fast) {
      assert.ok(got.every((g) => typeof g !== 'string'), 'fast path accepted a body with an invalid point');
      const slow = encodeLineProtocol(got as Exclude<(typeof got)[number], string>[]);
      assert.deepEqual(stored(inRequestOrder(fast)), stored(slow));
      const values = (lp: Buffer) => lp.toString().trim().split('\n').map((l) => { const m = / value=(\S+) (\d+)$/.exec(l)!; return [Number(m[1]), Number(m[2])]; });
      assert.deepEqual(values(inRequestOrder(fast)), values(slow));
    }
  });
}

test('details of a body error carry the parser complaint', () => {
  const r = parsePutJson('[{"metric":"x","value":1,}]');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.details ?? '', /double-quote to start field name/);
});

test('a number keeps its spelling (Jackson getText) for ?details echoes', () => {
  const r = parsePutJson('[{"metric":"universe","value":42.00,"tags":{"a":1,"b":true}}]');
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.points[0], { metric: 'universe', timestamp: 0, value: '42.00', tags: [['a', '1'], ['b', 'true']] });
});
