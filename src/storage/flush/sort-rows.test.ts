import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Memtable } from '../memtable/memtable.ts';
import { SeriesRegistry } from '../series/series-registry.ts';
import { sortRows } from './sort-rows.ts';

test('rows come out by partition, then series in first-seen order, then time newest first; past-cutoff rows left out', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 400 })), { maxLength: 300 }), fc.integer({ min: -1, max: 200 }), (writes, cut) => {
      const reg = new SeriesRegistry();
      const sids = [0, 1, 2, 3, 4].map((i) => reg.add(0, `s${i}`, []));
      const mt = new Memtable(0, reg);
      for (const [s, sec] of writes) mt.locate(sids[s], sec, 0);
      const cutoff = cut < 0 ? -Infinity : cut;
      const parts = sortRows(mt, 100, cutoff);
      const firstSeen = mt.sids;
      const rank = (r: number) => firstSeen.indexOf(mt.sid[r]);
      const got = parts.flatMap((p) => [...p.rows].map((r) => [p.sec, rank(r), mt.sec[r]]));
      const want = [...Array(mt.rows).keys()]
        .filter((r) => mt.sec[r] >= cutoff)
        .map((r) => [Math.floor(mt.sec[r] / 100) * 100, rank(r), mt.sec[r]])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || b[2] - a[2]);
      assert.deepEqual(got, want);
    }),
    { numRuns: 500, seed: 13 },
  );
});
