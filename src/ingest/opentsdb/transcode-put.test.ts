// The byte fast path against the general path on seeded random bodies: it may
// decline any body, but what it accepts must store exactly what the general
// path stores, and neither path may throw on any input (conventions habit 5).
// The columns it fills beside the lines must be, column for column, what the
// line-protocol parser makes of those lines (the store and the observers use
// them instead of parsing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePutJson } from './parse-put-json.ts';
import { validateJsonPoint, type ValidPoint } from './validate-point.ts';
import { inRequestOrder, transcodePut } from './transcode-put.ts';
import { encodeLineProtocol } from './encode-lp.ts';
import { parseLineProtocol } from '../line-protocol/parse.ts';
import { toPoints } from '../line-protocol/decode.ts';
import type { LineBatch } from '../line-protocol/batch.ts';

const NOW = 1_700_000_000_123;

const POINT_COLUMNS = ['lineNo', 'ordinal', 'keyStart', 'keyEnd', 'measEnd', 'keyCanonical', 'keyHash', 'sec', 'nsec'] as const;
const FIELD_COLUMNS = ['fkStart', 'fkEnd', 'fkEscaped', 'ftype', 'fnum', 'fvStart', 'fvEnd'] as const;

/** The batch's used part as plain data (typed arrays are allocated larger than n). */
function columns(b: LineBatch): Record<string, unknown> {
  const o: Record<string, unknown> = { n: b.n, lines: b.lines, fieldCount: b.fieldCount, errors: b.errors, big: [...b.big] };
  for (const k of POINT_COLUMNS) o[k] = Array.from(b[k].subarray(0, b.n));
  o.fieldStart = Array.from(b.fieldStart.subarray(0, b.n + 1));
  // Object.is: -0 and 0 are different values to store
  for (const k of FIELD_COLUMNS) o[k] = Array.from(b[k].subarray(0, b.fieldCount), (v) => (Object.is(v, -0) ? '-0' : v));
  return o;
}

/** The fast path's columns against the parser's, on the fast path's own lines. */
function assertSameBatch(t: NonNullable<ReturnType<typeof transcodePut>>, text: string): void {
  const parsed = parseLineProtocol(t.lp, { precision: 'ms', now: { sec: Math.floor(NOW / 1000), nsec: (NOW % 1000) * 1e6 } });
  if (!t.batch) {
    // Declined only for lines the parser's own checks judge.
    assert.ok(parsed.errors.length > 0 || parsed.n < t.points || [...parsed.sec.subarray(0, parsed.n)].some((s) => s >= 9223372036), `no batch for ${text}`);
    return;
  }
  assert.equal(t.batch.buf, t.lp);
  assert.deepEqual(columns(t.batch), columns(parsed), text);
}

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
  { arbitrary: fc.constantFrom('42.00', '-0', '1e3', '01', '-', '1.', '12345678901234567890', 'NaN', '"42"', 'true', '0.000', '-0.0', '9007199254740993', '1234567890123456', '-123456789012.3456', '0.100000000000001'), weight: 1 },
  // 15 to 17 digits: the parser's one-pass values end at 15, strconv's rounding takes over
  { arbitrary: fc.tuple(fc.bigInt({ min: 10n ** 14n, max: 10n ** 17n - 1n }), fc.integer({ min: 0, max: 16 }), fc.boolean()).map(([d, dot, neg]) => {
    const t = String(d);
    const x = dot > 0 && dot < t.length ? `${t.slice(0, dot)}.${t.slice(dot)}` : t;
    return neg ? `-${x}` : x;
  }), weight: 1 },
);
const ts = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 2 ** 33 }).map(String), weight: 8 },
  { arbitrary: fc.constantFrom('0', '4294967295', '4294967296', '1365465600123', '13654656001234', '-1', '"1365465600"', '1.5', 'null', '9223372035999', '9223372036000', '9999999999999', '4294967296000'), weight: 2 },
  { arbitrary: fc.integer({ min: 2 ** 32, max: 9_999_999_999_999 }).map(String), weight: 2 },
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
// Longer bodies of few series, as devices send them (grouping by metric reorders the lines).
const series = fc.array(fc.record({ metric: fc.constantFrom('sys.cpu', 'sys.mem', 'a', 'temp'), tags: fc.array(fc.tuple(fc.constantFrom('host', 'dc', 'a', 'zone', 'b0'), name), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 5 });
const longBody = fc.tuple(series, fc.array(fc.tuple(fc.nat(), num, ts), { minLength: 1, maxLength: 60 }), fc.boolean()).map(([ss, rows, spaced]) =>
  `[${rows
    .map(([k, v, t]) => {
      const s = ss[k % ss.length];
      const tags = [...new Map(s.tags)].map(([a, b]) => `${JSON.stringify(a)}:${JSON.stringify(b)}`).join(',');
      return spaced ? `{ "metric": ${JSON.stringify(s.metric)}, "timestamp": ${t}, "value": ${v}, "tags": { ${tags} } }` : `{"metric":${JSON.stringify(s.metric)},"timestamp":${t},"value":${v},"tags":{${tags}}}`;
    })
    .join(spaced ? ',\n' : ',')}]`,
);

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
        assertSameBatch(fast, text);
      }),
      { seed: 5, numRuns: 3000 },
    );
    assert.ok(accepted > 50, `only ${accepted} bodies took the fast path`);
  });
}

for (const mode of ['lenient', 'strict'] as const) {
  test(`longer bodies: the same stored points, and the columns the parser makes (${mode}, seeded)`, () => {
    let accepted = 0;
    let batched = 0;
    fc.assert(
      fc.property(longBody, (text) => {
        const fast = transcodePut(Buffer.from(text), mode, NOW);
        if (!fast) return;
        accepted++;
        if (fast.batch) batched++;
        const parsed = parsePutJson(text);
        assert.ok(parsed.ok);
        if (!parsed.ok) return;
        const valid = parsed.points.map((p) => validateJsonPoint(p, mode, NOW));
        assert.ok(valid.every((v) => typeof v !== 'string'), `fast path took ${text}`);
        assert.deepEqual(stored(inRequestOrder(fast)), stored(encodeLineProtocol(valid as ValidPoint[])));
        assertSameBatch(fast, text);
      }),
      { seed: 11, numRuns: 1500 },
    );
    assert.ok(batched > 50, `only ${batched} of ${accepted} bodies came with their columns`);
  });
}

test('edge bodies: columns as the parser makes them, or none where only the parser may judge', () => {
  const long = 'k'.repeat(65_600);
  const cases: Array<[string, boolean]> = [
    ['[{"metric":"m","timestamp":1365465600,"value":-0,"tags":{"b":"1","a":"2"}}]', true],
    ['[{"metric":"m","timestamp":1365465600123,"value":0.100000000000001,"tags":{"a":"1"}}]', true],
    ['{"metric":"m","value":12345678901234567,"tags":{"a":"1"}}', true],
    ['[{"metric":"m","timestamp":9223372036000,"value":1,"tags":{"a":"1"}}]', false],
    [`[{"metric":"m","timestamp":1,"value":1,"tags":{"${long}":"1"}}]`, false],
  ];
  for (const [text, withBatch] of cases) {
    const t = transcodePut(Buffer.from(text), 'lenient', NOW)!;
    assert.ok(t, text.slice(0, 80));
    assert.equal(t.batch !== undefined, withBatch, text.slice(0, 80));
    assertSameBatch(t, text.slice(0, 80));
  }
});

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
