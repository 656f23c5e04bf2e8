// A seeded fuzz run of the OpenTSDB telnet session (src/opentsdb/telnet-session.ts)
// on a real server's OpenTSDB port (issue 10): batches of mutated telnet lines,
// random text and bytes, with and without `auth`. After each batch the session
// must still answer `version`, unless the batch itself ends it (`exit`, or a
// line over the 1024-byte limit); and a new connection must always be served.
// The pure line parser has its own run in fuzz-parsers.test.ts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { FUZZ_SEED, fuzzText } from './helpers/fuzz.ts';
import { Telnet } from './helpers/opentsdb.ts';
import { freePort, startTestServer, TOKEN, type TestServer } from './helpers/server.ts';
import { MAX_LINE_BYTES, splitWords } from '../src/ingest/opentsdb/parse-telnet.ts';

const VERSION_LINE = 'hookline built at revision hookline (MINT): OpenTSDB 2.4.0 API';

let s: TestServer;
let port: number;
before(async () => {
  port = await freePort();
  s = await startTestServer({ HOOKLINE_OPENTSDB_PORT: String(port) });
});
after(() => s?.stop());

/** True when these lines end the session by design: `exit`, or a line longer than the limit. */
function endsSession(lines: string[]): boolean {
  return lines.some((l) => Buffer.byteLength(l.replace(/\r$/, ''), 'utf8') > MAX_LINE_BYTES || splitWords(l.replace(/\r$/, ''))[0] === 'exit');
}

async function version(t: Telnet): Promise<boolean> {
  t.send('version\n');
  // Lines answered to the fuzz come first; the version line is looked for among them (a hang guard bounds the wait).
  for (let i = 0; i < 200; i++) {
    const got = await t.lines(1, 10_000);
    if (got.length === 0) return false;
    if (got[0] === VERSION_LINE) return true;
  }
  return false;
}

test('the telnet session answers after any batch of lines, and the port keeps serving', async () => {
  const cases = JSON.parse(readFileSync(new URL('../src/ingest/opentsdb/fixtures/telnet-cases.json', import.meta.url), 'utf8')) as { cases: Array<{ line: string }> };
  const seeds = [...cases.cases.map((c) => c.line), 'version', 'help', 'dropcaches', 'auth nope', `auth ${TOKEN} test-bucket`, 'put', 'stats'];
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.array(fuzzText(seeds), { minLength: 1, maxLength: 8 }), async (auth, lines) => {
      const t = await Telnet.connect(port);
      try {
        const batch = lines.flatMap((l) => l.split('\n'));
        // The first byte picks the protocol (a capital letter is HTTP, as OpenTSDB's DetectHttpOrRpc): start as telnet.
        t.send(auth ? `auth ${TOKEN}\n` : 'help\n');
        t.send(batch.join('\n') + '\n');
        if (!endsSession(batch)) assert.ok(await version(t), `no answer to version after ${JSON.stringify(batch).slice(0, 600)}`);
      } finally {
        t.close();
      }
      const fresh = await Telnet.connect(port);
      try {
        assert.ok(await version(fresh), 'a new connection was not served');
      } finally {
        fresh.close();
      }
    }),
    { seed: FUZZ_SEED, numRuns: 150, interruptAfterTimeLimit: 6000, markInterruptAsFailure: false },
  );
});
