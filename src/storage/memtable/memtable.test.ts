import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Memtable } from './memtable.ts';
import { SeriesRegistry } from '../series/series-registry.ts';

function setup() {
  const reg = new SeriesRegistry();
  const sids = [reg.add(0, 'a', []), reg.add(0, 'b', []), reg.add(0, 'c', [])];
  return { reg, sids, mt: new Memtable(0, reg, 4) };
}

test('one row per (series, time), whatever the arrival order; find() sees every row', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 })), { maxLength: 600 }),
      (writes) => {
        const { mt, sids } = setup();
        const model = new Map<string, number>();
        for (const [s, sec, nsec] of writes) {
          const r = mt.locate(sids[s], sec, nsec);
          const row = r < 0 ? -r - 1 : r;
          const key = `${s}:${sec}:${nsec}`;
          if (model.has(key)) assert.equal(row, model.get(key), 'existing key found');
          else {
            assert.ok(r < 0, 'new key appended');
            model.set(key, row);
          }
        }
        assert.equal(mt.rows, model.size);
        mt.freeze();
        for (const [key, row] of model) {
          const [s, sec, nsec] = key.split(':').map(Number);
          assert.equal(mt.find(sids[s], sec, nsec), row);
        }
        assert.equal(mt.find(sids[0], 9999, 0), -1);
      },
    ),
    { numRuns: 300, seed: 3 },
  );
});

test('freeze() raises the persisted high-water mark of each series to its newest row', () => {
  const { mt, sids, reg } = setup();
  mt.locate(sids[0], 10, 0);
  mt.locate(sids[0], 5, 0);
  mt.locate(sids[1], 7, 3);
  mt.freeze();
  assert.ok(reg.mayBePersisted(sids[0], 10, 0));
  assert.ok(!reg.mayBePersisted(sids[0], 10, 1));
  assert.ok(reg.mayBePersisted(sids[1], 7, 3));
  assert.ok(!reg.mayBePersisted(sids[2], 0, 0));
});
