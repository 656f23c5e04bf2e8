// The fast path's one-pass numbers and timestamps (parse-plain.ts) against the
// InfluxDB-exact path, on seeded random values: the same points, values
// (including -0), offsets and error words, or the fast path is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLineProtocol, type ParseOptions } from './parse.ts';
import { batchArrays } from './batch.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

function sameAsExact(body: string, options: ParseOptions): void {
  const buf = Buffer.from(body);
  const fast = parseLineProtocol(buf, options);
  const exact = parseLineProtocol(buf, { ...options, exactOnly: true });
  assert.equal(fast.n, exact.n, body);
  assert.equal(fast.fieldCount, exact.fieldCount, body);
  assert.deepEqual(fast.errors.map((e) => e.message), exact.errors.map((e) => e.message), body);
  const a = batchArrays(fast);
  const b = batchArrays(exact);
  for (const k of ['ftype', 'fnum', 'fvStart', 'fvEnd', 'fkStart', 'fkEnd'] as const) {
    for (let i = 0; i < fast.fieldCount; i++) assert.ok(Object.is(a[k][i], b[k][i]), `${body}: ${k}[${i}] ${a[k][i]} vs ${b[k][i]}`);
  }
  for (let i = 0; i < fast.n; i++) assert.ok(Object.is(a.sec[i], b.sec[i]) && a.nsec[i] === b.nsec[i], `${body}: time`);
  assert.deepEqual([...fast.big], [...exact.big], body);
}

test('numbers: the one-pass path agrees with scanNumber on random values', () => {
  const rnd = lcg(12345);
  const alphabet = '0123456789.-iueE+, x';
  for (let n = 0; n < 20_000; n++) {
    let v = '';
    const len = 1 + Math.floor(rnd() * 20);
    for (let k = 0; k < len; k++) v += alphabet[Math.floor(rnd() * alphabet.length)];
    sameAsExact(`m,t=a f=${v},g=1i${rnd() < 0.5 ? ' 1700000000' : ''}`, { precision: 's', now: { sec: 1, nsec: 0 } });
  }
});

test('timestamps: the one-pass path agrees with setTimestamp in every precision', () => {
  const rnd = lcg(777);
  const precisions = ['ns', 'us', 'ms', 's', 'm', 'h', 'auto'] as const;
  for (let n = 0; n < 20_000; n++) {
    let v = rnd() < 0.1 ? '-' : '';
    const len = 1 + Math.floor(rnd() * 21);
    for (let k = 0; k < len; k++) v += String(Math.floor(rnd() * 10));
    const precision = precisions[Math.floor(rnd() * precisions.length)];
    sameAsExact(`m,t=a f=1i ${v}`, { precision, now: { sec: 1, nsec: 0 } });
  }
});
