// The one ingest call (src/ingest/pipeline.ts) over a PointStore, run against
// every implementation (ingest-pipeline.test.ts), as point-store.contract.ts
// runs the port itself: each transport's shape of write (HTTP line protocol,
// OpenTSDB's ms lines with the caller's clock, SELECT INTO's objects) goes in
// through `ingest()`, and what comes back (counts, per-line refusals, the time
// used) is the same whichever store keeps the points. Points are read back
// through the ports only (SqlSource, SchemaReader).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlSource } from '../../src/core/ports/sql-source.ts';
import type { SecNsec } from '../../src/core/time.ts';
import { IngestPipeline, refusedByIndex } from '../../src/ingest/pipeline.ts';
import type { PointStoreFactory, StoreHarness } from './point-store.contract.ts';

const B = 'b1';
/** The pipeline's clock in these tests: a fixed instant, so points without a time are predictable. */
const CLOCK: SecNsec = { sec: 1_700_000_000, nsec: 5 };
const lpBody = (s: string) => Buffer.from(s, 'utf8');

async function rows(store: SqlSource, measurement: string, cols: string[]): Promise<Array<Record<string, unknown>>> {
  return store.withSnapshot([{ bucketId: B, measurement }], async (snap) => {
    const rel = snap.relation(B, measurement);
    if (!rel) return [];
    const list = cols.map((c) => `"${c}"`).join(', ');
    const out = await snap.query(`SELECT epoch_ns(time)::VARCHAR AS t, ${list} FROM (${rel.sql}) ORDER BY t, ${list}`);
    return out.map((r) => ({ ...r }));
  });
}

export function ingestPipelineContract(factory: PointStoreFactory): void {
  describe(`IngestPipeline contract: ${factory.name}`, () => {
    async function withPipeline(fn: (p: IngestPipeline, h: StoreHarness) => Promise<void>): Promise<void> {
      const h = await factory.open();
      try {
        await fn(new IngestPipeline(h.store, () => CLOCK), h);
      } finally {
        await h.destroy();
      }
    }

    test('HTTP shape: line-protocol bytes as sent; a point without a time takes the clock; a bad line is skipped and reported', () =>
      withPipeline(async (p, { store }) => {
        const r = await p.ingest({ bucketId: B, data: { format: 'line-protocol', body: lpBody('cpu,host=a v=1 10\ncpu,host=b v=2\n\nbad line\n'), precision: 'ns' }, onParseError: 'skip' });
        assert.deepEqual({ written: r.written, lines: r.lines, drops: r.drops, now: r.now }, { written: 2, lines: 3, drops: [], now: CLOCK });
        assert.deepEqual(r.parseErrors.map((e) => [e.line, e.ordinal, e.text]), [[4, 3, 'bad line']]);
        assert.deepEqual(await rows(store, 'cpu', ['host', 'v']), [
          { t: '10', host: 'a', v: 1 },
          { t: '1700000000000000005', host: 'b', v: 2 },
        ]);
      }));

    test('InfluxDB 2 reject and InfluxDB 3 atomic: nothing is written, the refusals still come back', () =>
      withPipeline(async (p, { store }) => {
        const rejected = await p.ingest({ bucketId: B, data: { format: 'line-protocol', body: lpBody('m v=1 1\nbad line'), precision: 'ns' }, onParseError: 'reject' });
        assert.deepEqual([rejected.written, rejected.parseErrors.length], [0, 1]);
        await p.ingest({ bucketId: B, data: { format: 'line-protocol', body: lpBody('m v=1 1'), precision: 'ns' }, onParseError: 'skip' });
        const atomic = await p.ingest({
          bucketId: B,
          data: { format: 'line-protocol', body: lpBody('m v=2 2\nm v=3i 3'), precision: 'ns' },
          onParseError: 'skip',
          atomic: true,
          rejectDuplicateFields: true,
        });
        assert.deepEqual([atomic.written, atomic.drops.map((d) => [d.line, d.reason])], [0, [[2, 'type-conflict']]]);
        assert.deepEqual(await rows(store, 'm', ['v']), [{ t: '1', v: 1 }]);
      }));

    test("OpenTSDB shape: ms lines at the caller's time; refusals per point index, the parser's reason or the drop's message", () =>
      withPipeline(async (p, { store }) => {
        const nowMs = 1_365_465_600_123;
        const now = { sec: Math.floor(nowMs / 1000), nsec: (nowMs % 1000) * 1_000_000 };
        const first = await p.ingest({ bucketId: B, data: { format: 'line-protocol', body: lpBody('sys.cpu,host=x value=1 1365465600000\n'), precision: 'ms' }, now, onParseError: 'skip' });
        assert.deepEqual([first.written, first.now], [1, now]);
        const r = await p.ingest({
          bucketId: B,
          data: { format: 'line-protocol', body: lpBody('sys.cpu,host=x value=2i 1365465601000\nsys.cpu,host=x value=3 1365465602000\nbad line\n'), precision: 'ms' },
          now,
          onParseError: 'skip',
        });
        assert.equal(r.written, 1);
        const refused = refusedByIndex(r);
        assert.deepEqual([...refused.keys()], [2, 0]);
        assert.equal(refused.get(0), 'field type conflict: input field "value" on measurement "sys.cpu" is type integer, already exists as type float');
        assert.equal(refused.get(2), r.parseErrors[0].reason);
        assert.deepEqual(await rows(store, 'sys.cpu', ['value']), [
          { t: '1365465600000000000', value: 1 },
          { t: '1365465602000000000', value: 3 },
        ]);
      }));

    test('SELECT INTO shape: point objects are stored with their tags, field types and times', () =>
      withPipeline(async (p, { store }) => {
        const r = await p.ingest({
          bucketId: B,
          data: {
            format: 'points',
            points: [
              { measurement: 'agg', tags: [['host', 'a']], fields: [['mean', { type: 'float', value: 1.5 }], ['n', { type: 'integer', value: 3n }]], sec: 60, nsec: 0 },
              { measurement: 'agg', tags: [['host', 'b']], fields: [['mean', { type: 'float', value: 2 }], ['s', { type: 'string', value: 'x "q"' }]], sec: 120, nsec: 7 },
            ],
          },
          onParseError: 'skip',
        });
        assert.deepEqual({ written: r.written, lines: r.lines, parseErrors: r.parseErrors, drops: r.drops, now: r.now }, { written: 2, lines: 2, parseErrors: [], drops: [], now: CLOCK });
        assert.deepEqual(store.fields(B, 'agg'), [
          { name: 'mean', type: 'float' },
          { name: 'n', type: 'integer' },
          { name: 's', type: 'string' },
        ]);
        assert.deepEqual(await rows(store, 'agg', ['host', 'mean', 's']), [
          { t: '120000000007', host: 'b', mean: 2, s: 'x "q"' },
          { t: '60000000000', host: 'a', mean: 1.5, s: null },
        ]);
      }));
  });
}
