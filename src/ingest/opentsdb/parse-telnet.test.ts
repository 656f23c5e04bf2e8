// Telnet `put` lines against fixtures/telnet-cases.json (OpenTSDB's TestPutRpc
// execute* tests, importDataPoint and Tags.parse), in both modes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePut, splitWords } from './parse-telnet.ts';
import type { OpenTsdbMode } from './validate-point.ts';

interface Case {
  line: string;
  mode: OpenTsdbMode;
  expect: { error: string } | { ok: { metric: string; ms: number | 'now'; value: number; tags: Array<[string, string]> } };
  source: string;
}
const { cases } = JSON.parse(readFileSync(new URL('./fixtures/telnet-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };
const NOW = 1_700_000_000_123;

for (const c of cases) {
  test(`${c.mode}: ${JSON.stringify(c.line)} (${c.source})`, () => {
    const r = parsePut(splitWords(c.line), c.mode, NOW);
    if ('error' in c.expect) assert.deepEqual(r, { ok: false, error: c.expect.error });
    else assert.deepEqual(r, { ok: true, point: { ...c.expect.ok, ms: c.expect.ok.ms === 'now' ? NOW : c.expect.ok.ms } });
  });
}

test('WordSplitter splits on every single space', () => {
  assert.deepEqual(splitWords('put  a'), ['put', '', 'a']);
});
