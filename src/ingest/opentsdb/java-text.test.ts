// java.util.HashMap order and OpenTSDB's number parsing. The put API
// documentation prints its summary keys sorted by hand; a TSD writes them in
// HashMap order: success (bucket 6), timeouts (8), failed (11), errors (14).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaHashMapOrder, javaMapString, javaStringHash, NumberFormatError, parseJavaDouble, parseJavaLong } from './java-text.ts';

test('String.hashCode as Java computes it', () => {
  assert.equal(javaStringHash(''), 0);
  assert.equal(javaStringHash('cpu'), 98728);
  assert.equal(javaStringHash('host'), 3208616);
  assert.equal(javaStringHash('Aa'), javaStringHash('BB')); // Java's classic collision
});

test('HashMap iteration order of the put summary', () => {
  const keys = (e: Array<[string, number]>) => javaHashMapOrder(e).map(([k]) => k);
  assert.equal(javaStringHash('success'), -1867169789);
  assert.deepEqual(keys([['failed', 1], ['errors', 2], ['success', 0]]), ['success', 'failed', 'errors']);
  assert.deepEqual(keys([['errors', 2], ['failed', 1], ['success', 0], ['timeouts', 0]]), ['success', 'timeouts', 'failed', 'errors']);
  assert.deepEqual(keys([['error', 0], ['datapoint', 1]]), ['datapoint', 'error']);
});

test('HashMap.toString', () => {
  assert.equal(javaMapString([]), '{}');
  assert.equal(javaMapString([['cpu', '0'], ['host', 'web01']]), '{host=web01, cpu=0}');
});

test('Tags.parseLong messages', () => {
  assert.equal(parseJavaLong('-42'), -42n);
  assert.throws(() => parseJavaLong(''), new NumberFormatError('Empty string'));
  assert.throws(() => parseJavaLong('-'), new NumberFormatError('Just a sign, no value: -'));
  assert.throws(() => parseJavaLong('12a'), new NumberFormatError("Invalid character 'a' in 12a"));
  assert.throws(() => parseJavaLong('92233720368547758070'), new NumberFormatError('Value too long: 92233720368547758070'));
  assert.throws(() => parseJavaLong('9223372036854775808'), new NumberFormatError('Overflow in 9223372036854775808'));
});

test('Double.parseDouble accepts what Java accepts', () => {
  assert.equal(parseJavaDouble(' 1.5e3 '), 1500);
  assert.equal(parseJavaDouble('1.5f'), 1.5);
  assert.equal(parseJavaDouble('.5'), 0.5);
  assert.ok(Number.isNaN(parseJavaDouble('NaN')));
  assert.equal(parseJavaDouble('-Infinity'), -Infinity);
  assert.throws(() => parseJavaDouble('1.5x'), new NumberFormatError('For input string: "1.5x"'));
});
