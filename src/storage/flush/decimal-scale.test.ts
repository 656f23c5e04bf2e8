import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimalScale } from './decimal-scale.ts';

const all = () => true;

test('finds the smallest exact decimal scale, or -1', () => {
  assert.equal(decimalScale(new Float64Array([1, 2, -3]), all, 3), 0);
  assert.equal(decimalScale(new Float64Array([21.37, 0.5, -4.1]), all, 3), 2);
  assert.equal(decimalScale(new Float64Array([0.1 + 0.2]), all, 1), -1);
  assert.equal(decimalScale(new Float64Array([1e300]), all, 1), -1);
  assert.equal(decimalScale(new Float64Array([-0]), all, 1), -1);
  assert.equal(decimalScale(new Float64Array([Math.PI]), all, 1), -1);
  assert.equal(decimalScale(new Float64Array([123456.789]), all, 1), 3);
});

test('every value scaled by the chosen k comes back identical (the storage round trip)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 50 }), (pairs) => {
      // values as devices print them: an integer mantissa with 0..6 decimals, parsed from text
      const values = new Float64Array(pairs.map(([m, d]) => Number((m / 10 ** d).toFixed(d))));
      const k = decimalScale(values, all, values.length);
      assert.ok(k >= 0 && k <= 9);
      for (const v of values) assert.equal(Math.round(v * 10 ** k) / 10 ** k, v);
    }),
    { numRuns: 2000, seed: 11 },
  );
});
