// The byte fast path against the general path on seeded random bodies: it may
// decline any body, but what it accepts must store exactly what the general
// path stores, and neither path may throw on any input (conventions habit 5).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePutJson } from './parse-put-json.ts';
import { validateJsonPoint, type ValidPoint } from './validate-point.ts';
import { inRequestOrder, transcodePut } from './transcode-put.ts';
import { encodeLineProtocol } from './encode-lp.ts';
import { parseLineProtocol } from '../line-protocol/parse.ts';
import { toPoints } from '../line-protocol/decode.ts';

const NOW = 1_700_000_000_123;

function stored(lp: Buffer): unknown[] {
  const b = parseLineProtocol(lp, { precision: 'ms', now: { sec: 0, nsec: 0 } });
  return [b.errors.length, ...toPoints(b)];
}

// Mostly plausible, sometimes odd: the fast path must see both.
const name = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9._\-/]{1,8}$/), weight: 12 },
  { arbitrary: fc.constantFrom('sys.cpu', 'universe', 'A0', 'time', 'a b', 'x,y', 'é', '#c', '', 'a"b', 'a\\'), weight: 1 },
);
const num = fc.oneof(
  { arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((d) => d.toFixed(2)), weight: 4 },
  { arbitrary: fc.constantFrom('42.00', '-0', '1e3', '01', '-', '1.', '12345678901234567890', 'NaN', '"42"', 'true'), weight: 1 },
);
const ts = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 2 ** 33 }).map(String), weight: 8 },
  { arbitrary: fc.constantFrom('0', '4294967295', '4294967296', '1365465600123', '13654656001234', '-1', '"1365465600"', '1.5', 'null'), weight: 2 },
);
const point = fc.record(
  { metric: name.map((s) => JSON.stringify(s)), value: num, timestamp: ts, tags: fc.array(fc.tuple(name, name), { minLength: 1, maxLength: 9 }) },
  { requiredKeys: ['metric', 'value'] },
).map((p) => {
  const parts = [`"metric":${p.metric}`, `"value":${p.value}`];
  if (p.timestamp !== undefined) parts.push(`"timestamp":${p.timestamp}`);
  if (p.tags !== undefined) parts.push(`"tags":{${p.tags.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  return `{${parts.join(', ')}}`;
});
const body = fc.array(point, { minLength: 1, maxLength: 3 }).map((ps) => `[${ps.join(',')}]`);

for (const mode of ['lenient', 'strict'] as const) {
  test(`fast path stores what the general path stores (${mode}, seeded)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (text) => {
        const fast = transcodePut(Buffer.from(text), mode, NOW);
        if (!fast) return;
        accepted++;
        const parsed = parsePutJson(text);
        assert.ok(parsed.ok);
        if (!parsed.ok) return;
        const valid = parsed.points.map((p) => validateJsonPoint(p, mode, NOW));
        assert.ok(valid.every((v) => typeof v !== 'string'), `fast path took ${text}`);
        assert.deepEqual(stored(inRequestOrder(fast)), stored(encodeLineProtocol(valid as ValidPoint[])));
      }),
      { seed: 5, numRuns: 3000 },
    );
    assert.ok(accepted > 50, `only ${accepted} bodies took the fast path`);
  });
}

test('no input makes either path throw (seeded random text and bytes)', () => {
  fc.assert(
    fc.property(fc.oneof(body.map((b) => b.slice(0, Math.floor(b.length * 0.7))), fc.string(), fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u).toString('latin1'))), (text) => {
      const parsed = parsePutJson(text);
      if (parsed.ok) for (const p of parsed.points) validateJsonPoint(p, 'strict', NOW);
      transcodePut(Buffer.from(text), 'lenient', NOW);
      transcodePut(Buffer.from(text), 'strict', NOW);
    }),
    { seed: 7, numRuns: 3000 },
  );
});

test('lines are grouped by metric, each series in its order, with the map back to request positions', () => {
  const body = '[{"metric":"a","timestamp":1,"value":1},{"metric":"b","timestamp":1,"value":2},{"metric":"a","timestamp":2,"value":3},{"metric":"b","timestamp":1,"value":4}]';
  const t = transcodePut(Buffer.from(body), 'lenient', NOW)!;
  assert.equal(t.lp.toString(), 'a value=1 1000\na value=3 2000\nb value=2 1000\nb value=4 1000\n');
  assert.deepEqual([...t.pointOf!], [0, 2, 1, 3]);
});
