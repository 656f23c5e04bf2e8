// RE2 semantics of the InfluxQL regexes matched in JS (regex.ts): Go's
// syntax and error texts, linear time, a bounded cache.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRegex, compileRegex, regexCacheSize } from './regex.ts';
import { parseQuery } from './parse-statements.ts';

test('flags and anchors as Go writes them: (?i), (?s), \\A, \\z, $ at the very end only', () => {
  assert.equal(compileRegex('(?i)^CPU').test('cpu_load'), true);
  assert.equal(compileRegex('^CPU').test('cpu_load'), false);
  assert.equal(compileRegex('\\Acpu\\z').test('cpu'), true);
  assert.equal(compileRegex('\\Acpu\\z').test('cpu2'), false);
  assert.equal(compileRegex('a.b').test('a\nb'), false);
  assert.equal(compileRegex('(?s)a.b').test('a\nb'), true);
  // Go: without (?m), $ matches only at the end of the text, not before a final newline.
  assert.equal(compileRegex('a$').test('a\n'), false);
  assert.equal(compileRegex('(?m)a$').test('a\nb'), true);
  // A match anywhere (MatchString), as measurement regexes use it.
  assert.equal(compileRegex('load').test('cpu_load_short'), true);
  assert.equal(compileRegex('(?P<n>cpu)').test('cpu'), true);
});

test("invalid patterns fail with Go's regexp/syntax texts at the literal's position", () => {
  const cases: Array<[string, string]> = [
    ['(abc', 'error parsing regexp: missing closing ): `(abc`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
    ['abc)', 'error parsing regexp: unexpected ): `abc)`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['(?z)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?z`'],
  ];
  for (const [src, msg] of cases) {
    assert.throws(() => compileRegex(src), { message: msg }, src);
    assert.throws(() => checkRegex(src, { line: 0, char: 14 }), { message: `${msg} at line 1, char 15` }, src);
  }
  // Through the parser, as /query reports it (the position is the scanner's, parser.ts).
  assert.throws(() => parseQuery('SELECT * FROM /(abc/'), /^Error: error parsing regexp: missing closing \): `\(abc` at line 1, char \d+$/);
  assert.throws(() => parseQuery('SHOW TAG VALUES WITH KEY =~ /a**/'), /^Error: error parsing regexp: invalid nested repetition operator: `\*\*` at line 1/);
});

test('a pattern that backtracking engines take exponential time on is linear', () => {
  // Finding 5 of issue 10: /^(.+)+#$/ over a 31-character name took 16 s with JS's RegExp.
  const re = compileRegex('^(.+)+#$');
  for (let n = 20; n <= 4000; n *= 2) assert.equal(re.test('a'.repeat(n)), false);
  assert.equal(re.test('a'.repeat(31) + '#'), true);
});

test('the cache of compiled patterns stays bounded', () => {
  for (let i = 0; i < 2000; i++) compileRegex(`^m${i}$`);
  assert.ok(regexCacheSize() <= 256, `cache holds ${regexCacheSize()}`);
  // A cached pattern still answers.
  assert.equal(compileRegex('^m1999$').test('m1999'), true);
});
