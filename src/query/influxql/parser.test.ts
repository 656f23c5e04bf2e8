// The InfluxQL parser against a table of statements and InfluxDB's exact
// error texts (fixtures/parse-cases.json), plus a seeded random-input check:
// any input either parses or fails with a ParseError-like message, never a crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseQuery } from './parse-statements.ts';

interface Case {
  q: string;
  err?: string;
  ok?: boolean;
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/parse-cases.json', import.meta.url), 'utf8')) as Case[];

for (const c of cases) {
  test(`parse: ${c.q}`, () => {
    if (c.ok) {
      assert.doesNotThrow(() => parseQuery(c.q));
      return;
    }
    assert.throws(() => parseQuery(c.q), (e: Error) => {
      assert.equal(e.message, c.err);
      return true;
    });
  });
}

test('bound parameters substitute tokens: strings, numbers, identifiers, regexes', () => {
  const [s] = parseQuery('SELECT $f FROM m WHERE host = $h AND v > $n AND app =~ $re', {
    f: { identifier: 'value' },
    h: 'a',
    n: 2,
    re: { regex: 'x.*' },
  });
  assert.equal(s.kind, 'select');
  const sel = s as Extract<typeof s, { kind: 'select' }>;
  assert.deepEqual(sel.fields[0].expr, { kind: 'varref', name: 'value' });
  assert.match(JSON.stringify(sel.condition, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), /"source":"x\.\*"/);
});

test('random input never throws anything but a parse error', () => {
  const alphabet = fc.constantFrom(...'SELECT FROM WHERE GROUP BY time ( ) , ; * / = ~ ! < > \' " $ 1 2 3 ms h a b _ . : - +'.split(' '), ' ');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 30 }), (parts) => {
      const q = parts.join(' ');
      try {
        parseQuery(q);
      } catch (e) {
        assert.ok(e instanceof Error, `non-Error thrown for ${q}`);
        assert.ok(!(e instanceof TypeError) && !(e instanceof RangeError), `${(e as Error).message} for ${q}`);
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test('a query nested deeper than MAX_NESTING is a parse error, not a stack overflow (found by test/fuzz-parsers.test.ts)', async () => {
  const { MAX_NESTING, ParseError } = await import('./parser.ts');
  const deep = (n: number) => `SELECT ${'('.repeat(n)}v${')'.repeat(n)} FROM m`;
  assert.equal(parseQuery(deep(MAX_NESTING - 1)).length, 1);
  for (const q of [deep(5000), `SELECT v FROM ${'(SELECT v FROM '.repeat(5000)}m`, `SELECT ${'abs('.repeat(5000)}v FROM m`]) {
    assert.throws(() => parseQuery(q), (e: Error) => e instanceof ParseError && /nested too deeply/.test(e.message));
  }
});

test('a query with more than MAX_OPERATORS binary operators is a parse error, not a stack overflow', async () => {
  const { MAX_OPERATORS, ParseError } = await import('./parser.ts');
  assert.equal(parseQuery(`SELECT ${Array(MAX_OPERATORS + 1).fill('v').join('+')} FROM m`).length, 1);
  for (const q of [`SELECT ${Array(30_000).fill('v').join('+')} FROM m`, `SELECT v FROM m WHERE ${Array(30_000).fill("host='a'").join(' OR ')}`]) {
    assert.throws(() => parseQuery(q), (e: Error) => e instanceof ParseError && /more than \d+ operators/.test(e.message));
  }
});
