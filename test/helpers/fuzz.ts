// Seeded fuzzing helpers (issue 10): inputs made by mutating each parser's own
// fixtures (a valid input a few edits away reaches far deeper than random
// text), plus random strings and bytes; and a guard that lets through only the
// errors a parser documents, and fails an input that runs for seconds.

import assert from 'node:assert/strict';
import fc from 'fast-check';

/** One seed for every fuzz run; HOOKLINE_FUZZ_SEED replays another. */
export const FUZZ_SEED = Number(process.env.HOOKLINE_FUZZ_SEED ?? 20261207);

/** Generous per-input hang guard (not a timing assertion: a parser that loops forever is caught here). */
const HANG_MS = 2000;

/** Runs and wall-clock bounds per parser: a few seconds each on a shared 2-core box. */
export const RUN = { seed: FUZZ_SEED, numRuns: 4000, interruptAfterTimeLimit: 4000, markInterruptAsFailure: false } as const;

// Characters that matter to one grammar or another: separators, quotes,
// escapes, braces, mustache tags, JSON punctuation, numbers' signs and dots,
// line ends, NUL, a lone surrogate and non-ASCII.
const SPECIAL = [
  ' ', ',', '=', '"', "'", '\\', '\n', '\r', '\t', '#', '{', '}', '[', ']', '(', ')', ':', ';', '/', '*', '.', '-', '+', 'e', 'E', '0', '9',
  '{{', '}}', '{{{', '}}}', '{{#', '{{^', '{{/', '{{&', '{{!', '~', '!', '<', '>', '$', '\u0000', '\ud800', 'é', '😀', 'null', 'true', '1e309', '-0',
  '9223372036854775808', '18446744073709551616i', 'u', 'i', 'T', 'Z',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);

type Edit = (s: string, other: string) => string;

const edit: fc.Arbitrary<Edit> = fc.oneof(
  // insert a piece
  fc.tuple(fc.nat(), piece).map(([at, p]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + p + s.slice(i); }),
  // delete a short range
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([at, n]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + s.slice(i + n); }),
  // replace one character
  fc.tuple(fc.nat(), piece).map(([at, p]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + p + s.slice(i + 1); }),
  // duplicate a range (repeated keys, fields, clauses)
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 })).map(([at, n, times]) => (s: string) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + s.slice(i, i + n).repeat(times + 1) + s.slice(i + n);
  }),
  // deep nesting or a long run: one piece many times (finding 8 of issue 10 was 5,000 levels)
  fc.tuple(fc.nat(), fc.constantFrom('[', '{', '(', '{{#a}}', '{"a":', '\\', '"', '0', 'a'), fc.integer({ min: 100, max: 6000 })).map(([at, p, times]) => (s: string) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + p.repeat(times) + s.slice(i);
  }),
  // balanced deep nesting around a range: parses as far as the grammar goes, then recursion depth decides
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 }), fc.constantFrom(['(', ')'], ['[', ']'], ['{"a":', '}'], ['[{"a":', '}]'], ['{{#a}}', '{{/a}}'], ['{{^a}}', '{{/a}}'], ['(SELECT v FROM ', ')']), fc.integer({ min: 100, max: 6000 })).map(
    ([at, n, [open, close], times]) => (s: string) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + open.repeat(times) + s.slice(i, i + n) + close.repeat(times) + s.slice(i + n);
    },
  ),
  // truncate
  fc.nat().map((at) => (s: string) => s.slice(0, at % (s.length + 1))),
  // splice with another seed
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (s: string, other: string) => s.slice(0, a % (s.length + 1)) + other.slice(b % (other.length + 1))),
);

/** A seed from `seeds` with 1-6 edits (and sometimes a second seed spliced in). */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  assert.ok(seeds.length > 0, 'no seeds to mutate');
  return fc
    .tuple(fc.constantFrom(...seeds), fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([s, other, edits]) => edits.reduce((acc, e) => e(acc, other), s));
}

/** Mutated seeds, or arbitrary text, or arbitrary bytes read as latin1. */
export function fuzzText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: mutated(seeds) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
  );
}

/**
 * Calls `fn(input)`: returning is fine, so is throwing one of `allowed` with a
 * message; anything else (TypeError, RangeError, a non-Error) fails with the
 * input, and so does a call that takes longer than the hang guard.
 */
export function guard<T>(what: string, input: unknown, allowed: ReadonlyArray<new (...a: any[]) => Error>, fn: () => T): T | undefined {
  const started = performance.now();
  let result: T | undefined;
  try {
    result = fn();
  } catch (e) {
    const ok = allowed.some((c) => e instanceof c) && typeof (e as Error).message === 'string' && (e as Error).message !== '';
    if (!ok) assert.fail(`${what} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} for input ${show(input)}`);
  }
  const ms = performance.now() - started;
  if (ms > HANG_MS) assert.fail(`${what} took ${Math.round(ms)} ms (hang guard ${HANG_MS} ms) for input ${show(input)}`);
  return result;
}

function show(input: unknown): string {
  const s = typeof input === 'string' ? JSON.stringify(input) : JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  return s.length > 600 ? `${s.slice(0, 600)}... (${s.length} chars)` : s;
}
