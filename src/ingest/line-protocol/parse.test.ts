import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseLineProtocol } from './parse.ts';
import { toPoints } from './decode.ts';
import { encodePoints } from './encode.ts';
import { truncateTo, type Precision } from '../../core/time.ts';
import type { FieldValue, Point } from '../../core/point.ts';

interface Case {
  name: string;
  source: string;
  input: string;
  precision?: Precision | 'auto';
  points: Array<{ measurement: string; tags: Record<string, string>; fields: Record<string, [string, unknown]>; time: string | null }>;
  errors: Array<{ line: number; message: string }>;
}

const NOW = { sec: 1_700_000_123, nsec: 456_789_012 };

function expectedValue([type, v]: [string, unknown]): unknown {
  if (type === 'integer' || type === 'unsigned') {
    const b = BigInt(v as string);
    return b <= 9007199254740991n && b >= -9007199254740991n ? Number(b) : b;
  }
  return v;
}

function plain(p: Point, precision: Precision | 'auto') {
  void precision;
  return {
    measurement: p.measurement,
    tags: Object.fromEntries(p.tags),
    fields: Object.fromEntries(p.fields.map(([k, v]) => [k, [v.type, v.value]])),
    time: (BigInt(p.sec) * 1_000_000_000n + BigInt(p.nsec)).toString(),
  };
}

// parse-cases.json: verified InfluxDB 2.7 behaviour and the line protocol reference (docs.influxdata.com); upstream-cases.json:
// derived from InfluxDB's, line-protocol's and InfluxDB 3's own tests (each row names its source).
const cases: Case[] = ['parse-cases.json', 'upstream-cases.json'].flatMap((f) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')),
);

for (const c of cases) {
  test(`line protocol fixture: ${c.name}`, () => {
    const precision = c.precision ?? 'ns';
    const batch = parseLineProtocol(Buffer.from(c.input, 'utf8'), { precision, now: NOW });
    const def = precision === 'auto' ? NOW : truncateTo(NOW, precision);
    const defaultNs = (BigInt(def.sec) * 1_000_000_000n + BigInt(def.nsec)).toString();
    const got = toPoints(batch).map((p) => plain(p, precision));
    const want = c.points.map((p) => ({
      measurement: p.measurement,
      tags: p.tags,
      fields: Object.fromEntries(Object.entries(p.fields).map(([k, v]) => [k, [v[0], expectedValue(v)]])),
      time: p.time ?? defaultNs,
    }));
    assert.deepEqual(got, want, `points of ${JSON.stringify(c.input)}`);
    assert.deepEqual(
      batch.errors.map((e) => ({ line: e.line, message: e.message })),
      c.errors,
      `errors of ${JSON.stringify(c.input)}`,
    );
  });
}

test('a point without a timestamp gets now truncated to the precision', () => {
  for (const [precision, nsec, sec] of [
    ['ns', 456_789_012, 1_700_000_123],
    ['us', 456_789_000, 1_700_000_123],
    ['ms', 456_000_000, 1_700_000_123],
    ['s', 0, 1_700_000_123],
    ['m', 0, 1_700_000_100],
    ['h', 0, 1_699_999_200],
  ] as const) {
    const b = parseLineProtocol(Buffer.from('m v=1\nm v=2'), { precision, now: NOW });
    assert.equal(b.n, 2);
    assert.deepEqual([b.sec[0], b.nsec[0], b.sec[1], b.nsec[1]], [sec, nsec, sec, nsec], precision);
  }
});

// ---- round trip: encode(points) parses back to the same points

const name = fc.stringMatching(/^[A-Za-z0-9_\-.:\/ ,="'é€]{1,12}$/).filter((s) => !s.startsWith('#') && !/^[ \t]/.test(s));
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ type: 'float' as const, value: v })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ type: 'integer' as const, value: norm(v) })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ type: 'unsigned' as const, value: norm(v) })),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((v) => ({ type: 'string' as const, value: v })),
  fc.boolean().map((v) => ({ type: 'boolean' as const, value: v })),
);
function norm(v: bigint): number | bigint {
  return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}
const tagKey = name.filter((k) => k !== 'time' && k !== '_measurement' && k !== '_field');
const point: fc.Arbitrary<Point> = fc.record({
  measurement: name,
  tags: fc.uniqueArray(fc.tuple(tagKey, name), { selector: (t) => t[0], maxLength: 4 }),
  fields: fc.uniqueArray(fc.tuple(name, fieldValue), { selector: (t) => t[0], minLength: 1, maxLength: 4 }),
  sec: fc.integer({ min: -9_000_000_000, max: 9_000_000_000 }),
  nsec: fc.integer({ min: 0, max: 999_999_999 }),
});

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(escapeForSort(a)), Buffer.from(escapeForSort(b)));
}
function escapeForSort(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}

test('round trip: parse(encode(points)) == points', () => {
  fc.assert(
    fc.property(fc.array(point, { minLength: 1, maxLength: 8 }), (points) => {
      const text = encodePoints(points);
      const batch = parseLineProtocol(Buffer.from(text), { precision: 'ns', now: NOW });
      assert.deepEqual(batch.errors, []);
      const back = toPoints(batch);
      const want = points.map((p) => ({ ...p, tags: [...p.tags].sort((x, y) => byteOrder(x[0], y[0])) }));
      assert.deepEqual(back, want);
    }),
    { numRuns: 400, seed: 20261122 },
  );
});

// ---- random input: never throws, never hangs, every line is a point or an error

test('seeded random input never throws and accounts for every line', () => {
  const alphabet = fc.constantFrom(...'ab=, "\\\n\r\t#-.0123456789eEiuTtFf'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')), (text) => {
      const t0 = performance.now();
      const batch = parseLineProtocol(Buffer.from(text), { precision: 'ns', now: NOW });
      assert.ok(performance.now() - t0 < 1000);
      assert.equal(batch.n + batch.errors.length, batch.lines);
      for (const e of batch.errors) assert.match(e.message, /^unable to parse '/);
      toPoints(batch);
    }),
    { numRuns: 5000, seed: 42 },
  );
});

test('random bytes (not UTF-8) never throw', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const batch = parseLineProtocol(bytes, { precision: 'ns', now: NOW });
      assert.equal(batch.n + batch.errors.length, batch.lines);
      toPoints(batch);
    }),
    { numRuns: 3000, seed: 7 },
  );
});

// ---- differential: the fast path for plain lines must agree with the exact path

function sameOutcome(text: string | Uint8Array, precision: Precision | 'auto' = 'ns') {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const fast = parseLineProtocol(buf, { precision, now: NOW });
  const exact = parseLineProtocol(buf, { precision, now: NOW, exactOnly: true });
  assert.deepEqual(toPoints(fast), toPoints(exact), `points of ${JSON.stringify(String(text))}`);
  assert.deepEqual(fast.errors, exact.errors, `errors of ${JSON.stringify(String(text))}`);
  assert.deepEqual([...fast.lineNo.subarray(0, fast.n)], [...exact.lineNo.subarray(0, exact.n)]);
  assert.deepEqual([...fast.ordinal.subarray(0, fast.n)], [...exact.ordinal.subarray(0, exact.n)]);
  assert.deepEqual([...fast.keyCanonical.subarray(0, fast.n)], [...exact.keyCanonical.subarray(0, exact.n)]);
}

test('differential: fast and exact paths agree on near-valid lines', () => {
  const token = fc.constantFrom('m', 'cpu', 'a', 'b', 'time', '_field', 'x1', 'é', '0', '1', '-1', '1.5', '.5', '1e3', '1e', '9223372036854775808i', '1i', '2u', '-1u', 't', 'TRUE', 'False', 'tru', 'NaN', '', ' ', '  ', ',', '=', '\t', '\0', '#', '-', '1764625907', '-5', '9223372036854775807');
  const sep = fc.constantFrom(',', '=', ' ', '');
  const line = fc.array(fc.tuple(token, sep), { maxLength: 12 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), fc.constantFrom('ns', 's', 'ms', 'auto'), (lines, precision) => {
      sameOutcome(lines.join('\n'), precision as Precision | 'auto');
    }),
    { numRuns: 20000, seed: 99 },
  );
});

test('differential: fast and exact paths agree on generated points and their corruptions', () => {
  fc.assert(
    fc.property(fc.array(point, { minLength: 1, maxLength: 5 }), fc.nat(), fc.constantFrom(',', ' ', '=', '\t', 'x', '-', '.', ''), (points, at, ch) => {
      const text = encodePoints(points).replace(/["\\]/g, '');
      sameOutcome(text);
      const k = at % (text.length + 1);
      sameOutcome(text.slice(0, k) + ch + text.slice(k + 1));
    }),
    { numRuns: 3000, seed: 77 },
  );
});

test('the fast path hashes each key exactly as core/fnv.ts does', async () => {
  const { fnv1a: hashBytes } = await import('../../core/fnv.ts');
  const b = parseLineProtocol(Buffer.from('cpu,host=a,region=b v=1 1\nm v=2 2\nx,é=ü y=3i 3'), { precision: 'ns', now: NOW });
  for (let i = 0; i < b.n; i++) assert.equal(b.keyHash[i], hashBytes(b.buf, b.keyStart[i], b.keyEnd[i]));
});
