// The PointStore contract, run against every implementation, as aedes'
// abstract persistence tests (aedes-persistence/abstract.js) run one suite
// against the memory, Redis and MongoDB backends: a function that takes a
// factory and declares the tests. point-store.test.ts calls it once per
// implementation. Points are read back through the ports only (SqlSource and
// SchemaReader), never through an implementation's internals.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeletePredicate, PointStore } from '../../src/core/ports/point-store.ts';
import type { SchemaReader } from '../../src/core/ports/schema-reader.ts';
import type { SqlSource } from '../../src/core/ports/sql-source.ts';

export type StorePorts = PointStore & SchemaReader & SqlSource;

export interface StoreHarness {
  store: StorePorts;
  /** Closes the store and opens it again on the same data (durable implementations only). */
  reopen(): Promise<StorePorts>;
  /** Closes the store and removes what it kept. */
  destroy(): Promise<void>;
}

export interface PointStoreFactory {
  name: string;
  /** True when acknowledged writes and deletions survive reopen(). */
  durable: boolean;
  /** A fresh, empty store; bucket ids are any non-empty strings. */
  open(): Promise<StoreHarness>;
}

const NOW = { sec: 1_700_000_000, nsec: 0 };
const B = 'b1';

function lp(store: PointStore, body: string, bucketId = B, extra: { onParseError?: 'reject' | 'skip'; atomic?: boolean } = {}) {
  return store.write({ bucketId, data: { format: 'line-protocol', body: Buffer.from(body), precision: 'ns' }, now: NOW, onParseError: extra.onParseError ?? 'skip', atomic: extra.atomic });
}

/** Every row of a measurement through SqlSource, ordered, with time as ns since the epoch. */
async function rows(store: SqlSource, measurement: string, cols: string[], bucketId = B): Promise<Array<Record<string, unknown>>> {
  return store.withSnapshot([{ bucketId, measurement }], async (snap) => {
    const rel = snap.relation(bucketId, measurement);
    if (!rel) return [];
    const list = cols.map((c) => `"${c}"`).join(', ');
    const out = await snap.query(`SELECT epoch_ns(time)::VARCHAR AS t, ${list} FROM (${rel.sql}) ORDER BY t, ${list}`);
    return out.map((r) => ({ ...r }));
  });
}

export function pointStoreContract(factory: PointStoreFactory): void {
  describe(`PointStore contract: ${factory.name}`, () => {
    async function withStore(fn: (h: StoreHarness) => Promise<void>): Promise<void> {
      const h = await factory.open();
      try {
        await fn(h);
      } finally {
        await h.destroy();
      }
    }

    test('writes line protocol and objects through one call; reads back values, types and schema', () =>
      withStore(async ({ store }) => {
        const r = await lp(store, 'cpu,host=a,dc=x usage=1.5,n=3i,ok=true,s="hi" 10\ncpu,host=b usage=2 20\n');
        assert.deepEqual({ written: r.written, lines: r.lines, parseErrors: r.parseErrors, drops: r.drops }, { written: 2, lines: 2, parseErrors: [], drops: [] });
        const o = await store.write({
          bucketId: B,
          data: { format: 'points', points: [{ measurement: 'cpu', tags: [['host', 'c']], fields: [['usage', { type: 'float', value: 3 }], ['u', { type: 'unsigned', value: 18446744073709551615n }]], sec: 0, nsec: 30 }] },
          now: NOW,
          onParseError: 'skip',
        });
        assert.equal(o.written, 1);
        assert.deepEqual(store.measurements(B), ['cpu']);
        assert.deepEqual(store.tagKeys(B, 'cpu'), ['dc', 'host']);
        assert.deepEqual(store.fields(B, 'cpu'), [
          { name: 'n', type: 'integer' },
          { name: 'ok', type: 'boolean' },
          { name: 's', type: 'string' },
          { name: 'u', type: 'unsigned' },
          { name: 'usage', type: 'float' },
        ]);
        assert.deepEqual(
          store.series(B, 'cpu').map((s) => s.key),
          ['cpu,dc=x,host=a', 'cpu,host=b', 'cpu,host=c'],
        );
        assert.deepEqual(store.series(B, 'cpu')[0].tags, [['dc', 'x'], ['host', 'a']]);
        assert.deepEqual(await rows(store, 'cpu', ['host', 'dc', 'usage', 'n', 'ok', 's', 'u']), [
          { t: '10', host: 'a', dc: 'x', usage: 1.5, n: 3n, ok: true, s: 'hi', u: null },
          { t: '20', host: 'b', dc: null, usage: 2, n: null, ok: null, s: null, u: null },
          { t: '30', host: 'c', dc: null, usage: 3, n: null, ok: null, s: null, u: 18446744073709551615n },
        ]);
        const cols = await store.withSnapshot([{ bucketId: B, measurement: 'cpu' }, { bucketId: B, measurement: 'absent' }], async (snap) => {
          assert.equal(snap.relation(B, 'absent'), undefined);
          return snap.relation(B, 'cpu')!.columns;
        });
        assert.deepEqual(cols, [
          { name: 'dc', key: 'dc', kind: 'tag' },
          { name: 'host', key: 'host', kind: 'tag' },
          { name: 'n', key: 'n', kind: 'field', type: 'integer' },
          { name: 'ok', key: 'ok', kind: 'field', type: 'boolean' },
          { name: 's', key: 's', kind: 'field', type: 'string' },
          { name: 'time', key: 'time', kind: 'time' },
          { name: 'u', key: 'u', kind: 'field', type: 'unsigned' },
          { name: 'usage', key: 'usage', kind: 'field', type: 'float' },
        ]);
      }));

    test('same series and time: fields merge, the later write wins per field (also over flushed data)', () =>
      withStore(async ({ store }) => {
        await lp(store, 'm,k=a v=1,w=2 10');
        await lp(store, 'm,k=a v=3 10');
        await store.flush();
        await lp(store, 'm,k=a x="late" 10\nm,k=b v=9 10');
        assert.deepEqual(await rows(store, 'm', ['k', 'v', 'w', 'x']), [
          { t: '10', k: 'a', v: 3, w: 2, x: 'late' },
          { t: '10', k: 'b', v: 9, w: null, x: null },
        ]);
      }));

    test('a field keeps its first type: a conflicting point is dropped with InfluxDB\'s message, the rest written', () =>
      withStore(async ({ store }) => {
        const r = await lp(store, 'm v=1 1\nm v=2i 2\nm v=3 3\nbad line\n');
        assert.equal(r.written, 2);
        assert.equal(r.lines, 4);
        assert.deepEqual(
          r.drops.map((d) => [d.line, d.reason, d.message]),
          [[2, 'type-conflict', 'field type conflict: input field "v" on measurement "m" is type integer, already exists as type float']],
        );
        assert.deepEqual(r.parseErrors.map((e) => e.line), [4]);
        const rejected = await lp(store, 'm v=4 4\nbad line', B, { onParseError: 'reject' });
        assert.equal(rejected.written, 0);
        const atomic = await lp(store, 'm v=5 5\nm v=5i 6', B, { atomic: true });
        assert.equal(atomic.written, 0);
        assert.equal(atomic.drops.length, 1);
        assert.deepEqual(await rows(store, 'm', ['v']), [
          { t: '1', v: 1 },
          { t: '3', v: 3 },
        ]);
      }));

    test('deletes by a structured predicate: tag equality, regex, or, a missing tag as "", a time range', () =>
      withStore(async ({ store }) => {
        await lp(store, ['d,host=a,dc=x v=1 10', 'd,host=b,dc=x v=2 10', 'd,host=ab v=3 20', 'd v=4 30', 'd,host=a,dc=x v=5 40', 'other,host=a v=1 10'].join('\n'));
        await store.flush();
        await lp(store, 'd,host=c v=6 50');
        const del = (p: Omit<DeletePredicate, 'measurement'>) => store.deletePoints(B, { measurement: 'd', ...p });
        // host = 'a' and time <= 10: one point (the one at 40 is outside the range)
        assert.deepEqual(await del({ tags: { op: '=', key: 'host', value: 'a' }, maxNs: 10n }), { deleted: 1 });
        // series without dc compare as dc = '': host=ab, the untagged point and host=c
        assert.deepEqual(await del({ tags: { op: 'and', args: [{ op: '=', key: 'dc', value: '' }, { op: '=~', key: 'host', value: '^a' }] } }), { deleted: 1 });
        assert.deepEqual(await del({ tags: { op: 'or', args: [{ op: '=', key: 'host', value: '' }, { op: '=', key: 'host', value: 'c' }] }, minNs: 30n, maxNs: 50n }), { deleted: 2 });
        assert.deepEqual(await rows(store, 'd', ['host', 'v']), [
          { t: '10', host: 'b', v: 2 },
          { t: '40', host: 'a', v: 5 },
        ]);
        // a tag the measurement never had is "" everywhere: != '' matches nothing
        assert.deepEqual(await del({ tags: { op: '!=', key: 'nope', value: '' } }), { deleted: 0 });
        assert.deepEqual(await del({ tags: { op: '!~', key: 'host', value: 'b' } }), { deleted: 1 });
        assert.deepEqual(await rows(store, 'd', ['host', 'v']), [{ t: '10', host: 'b', v: 2 }]);
        assert.deepEqual(await rows(store, 'other', ['host', 'v']), [{ t: '10', host: 'a', v: 1 }], 'other measurements untouched');
        assert.deepEqual(await store.deletePoints(B, { measurement: 'absent' }), { deleted: 0 });
      }));

    test('deletes by tag order (byte-wise, a missing tag as "") and by a constant', () =>
      withStore(async ({ store }) => {
        await lp(store, ['o,host=a v=1 1', 'o,host=b v=2 2', 'o,host=c v=3 3', 'o v=4 4'].join('\n'));
        await store.flush();
        await lp(store, 'o,host=d v=5 5');
        const del = (p: Omit<DeletePredicate, 'measurement'>) => store.deletePoints(B, { measurement: 'o', ...p });
        assert.deepEqual(await del({ tags: { op: 'const', value: false } }), { deleted: 0 });
        // '' < 'a' < 'b': the untagged point and host=a
        assert.deepEqual(await del({ tags: { op: '<', key: 'host', value: 'b' } }), { deleted: 2 });
        assert.deepEqual(await del({ tags: { op: '>=', key: 'host', value: 'd' } }), { deleted: 1 });
        assert.deepEqual(await rows(store, 'o', ['host', 'v']), [
          { t: '2', host: 'b', v: 2 },
          { t: '3', host: 'c', v: 3 },
        ]);
        assert.deepEqual(await del({ tags: { op: 'and', args: [{ op: '<=', key: 'host', value: 'b' }, { op: '>', key: 'host', value: 'a' }] } }), { deleted: 1 });
        assert.deepEqual(await del({ tags: { op: 'const', value: true }, maxNs: 3n }), { deleted: 1 });
        assert.deepEqual(store.measurements(B), []);
      }));

    test('a snapshot spans buckets, names each key, lists series in stored order and bounds the points in a range', () =>
      withStore(async ({ store }) => {
        await lp(store, ['q,zone=z1,host=h2 v=1,host=7i 10', 'q,zone=z1,host=h1 v=2 20'].join('\n'));
        await store.flush();
        await lp(store, 'q,zone=z2 v=3 30');
        await lp(store, 'q,zone=z9 v=9 5', 'b2');
        const got = await store.withSnapshot(
          [
            { bucketId: B, measurement: 'q' },
            { bucketId: 'b2', measurement: 'q' },
          ],
          async (snap) => {
            const a = snap.relation(B, 'q')!;
            const b = snap.relation('b2', 'q')!;
            assert.equal(snap.relation('b3', 'q'), undefined);
            const rowsOf = (sql: string) => snap.connection(async (conn) => (await conn.runAndReadAll(sql)).getRows().map((r) => r.map(String)));
            return {
              keys: a.columns.map((c) => [c.name, c.key, c.kind]),
              order: a.seriesOrder(),
              all: a.rowEstimate(),
              from20: a.rowEstimate(20n),
              avg: await rowsOf(`SELECT avg(v) FROM (${snap.relation(B, 'q', { floatsAsStored: true })!.sql})`),
              other: await rowsOf(`SELECT "zone", v FROM (${b.sql})`),
            };
          },
        );
        assert.deepEqual(got.keys, [
          ['host', 'host', 'field'],
          ['host::tag', 'host', 'tag'],
          ['time', 'time', 'time'],
          ['v', 'v', 'field'],
          ['zone', 'zone', 'tag'],
        ]);
        assert.deepEqual(got.order, [
          [['host', 'h2'], ['zone', 'z1']],
          [['host', 'h1'], ['zone', 'z1']],
          [['zone', 'z2']],
        ]);
        assert.ok(got.all >= 3, `estimate ${got.all} bounds the 3 points`);
        assert.ok(got.from20 >= 2 && got.from20 <= got.all);
        assert.deepEqual(got.avg, [['2']]);
        assert.deepEqual(got.other, [['z9', '9']]);
      }));

    test('a snapshot stays readable while the store flushes under it, and holds every point acknowledged before it', () =>
      withStore(async ({ store }) => {
        await lp(store, 's v=1 1');
        await store.flush();
        await lp(store, 's v=2 2');
        const [before, during] = await store.withSnapshot([{ bucketId: B, measurement: 's' }], async (snap) => {
          const rel = snap.relation(B, 's')!;
          const times = async () => (await snap.query(`SELECT epoch_ns(time)::VARCHAR AS t FROM (${rel.sql}) ORDER BY t`)).map((r) => r.t);
          const a = await times();
          await lp(store, 's v=3 3');
          await store.flush();
          await store.withSnapshot([{ bucketId: B, measurement: 's' }], async (other) => other.query(`SELECT count(*) FROM (${other.relation(B, 's')!.sql})`));
          return [a, await times()];
        });
        assert.deepEqual(before, ['1', '2']);
        assert.deepEqual(during.slice(0, 2), ['1', '2'], 'still readable, nothing acknowledged before lost');
        assert.deepEqual(await rows(store, 's', ['v']), [
          { t: '1', v: 1 },
          { t: '2', v: 2 },
          { t: '3', v: 3 },
        ]);
      }));

    test('drop measurement forgets data and field types; drop bucket leaves other buckets', () =>
      withStore(async ({ store }) => {
        await lp(store, 'gone v=1i 1\nkept v=1 1');
        await lp(store, 'gone v=1i 1', 'b2');
        await store.flush();
        await lp(store, 'gone v=2i 2');
        await store.dropMeasurement(B, 'gone');
        assert.deepEqual(store.measurements(B), ['kept']);
        assert.deepEqual(store.fields(B, 'gone'), []);
        assert.deepEqual(await rows(store, 'gone', ['v']), []);
        assert.equal((await lp(store, 'gone v=1.5 3')).written, 1, 'a float is accepted once the integer field is gone');
        assert.deepEqual(await rows(store, 'gone', ['v']), [{ t: '3', v: 1.5 }]);
        await store.dropBucket(B);
        assert.deepEqual(store.measurements(B), []);
        assert.deepEqual(store.measurements('b2'), ['gone']);
        assert.deepEqual(await rows(store, 'gone', ['v'], 'b2'), [{ t: '1', v: 1n }]);
      }));

    if (factory.durable) {
      test('acknowledged writes and deletions survive a restart (flushed or only logged)', async () => {
        const h = await factory.open();
        try {
          await lp(h.store, 'r,k=a v=1 1\nr,k=b v=2 2');
          await h.store.flush();
          await lp(h.store, 'r,k=a v=3 3\nr,k=c w="x" 4');
          await h.store.deletePoints(B, { measurement: 'r', tags: { op: '=', key: 'k', value: 'b' } });
          await lp(h.store, 'r,k=a v=10 1');
          const store = await h.reopen();
          assert.deepEqual(store.fields(B, 'r'), [
            { name: 'v', type: 'float' },
            { name: 'w', type: 'string' },
          ]);
          assert.deepEqual(await rows(store, 'r', ['k', 'v', 'w']), [
            { t: '1', k: 'a', v: 10, w: null },
            { t: '3', k: 'a', v: 3, w: null },
            { t: '4', k: 'c', v: null, w: 'x' },
          ]);
        } finally {
          await h.destroy();
        }
      });
    }
  });
}
