// The Collection contract (src/core/ports/collection.ts), run against every
// implementation as aedes' abstract persistence tests run against every
// backend: DuckCollection (one table in the catalog database) and
// NatsCollection (a JetStream key-value bucket). collection.test.ts calls it
// once per implementation.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Collection } from '../../src/core/ports/collection.ts';
import { eventually } from './eventually.ts';

interface Doc {
  name: string;
  n: number;
  tags?: string[];
}

export interface CollectionHarness {
  open(): Promise<Collection<Doc>>;
  /** Removes the backing storage (after every collection opened is closed). */
  destroy(): Promise<void>;
}

export interface CollectionFactory {
  name: string;
  /** True when several open collections on one backing see each other's changes (several nodes). */
  shared: boolean;
  /** A fresh, empty backing; every `open()` of the harness opens the same one. */
  backing(): Promise<CollectionHarness>;
}

export function collectionContract(factory: CollectionFactory): void {
  describe(`Collection contract: ${factory.name}`, () => {
    test('put, get, values, size, replace, delete; changes are announced', async () => {
      const h = await factory.backing();
      const c = await h.open();
      try {
        const seen: Array<[string, Doc | undefined]> = [];
        c.onChange = (id, doc) => seen.push([id, doc]);
        assert.equal(c.size, 0);
        await c.put('a', { name: 'alpha', n: 1, tags: ['x'] });
        await c.put('b', { name: 'beta', n: 2 });
        assert.deepEqual(c.get('a'), { name: 'alpha', n: 1, tags: ['x'] });
        assert.equal(c.get('missing'), undefined);
        await c.put('a', { name: 'alpha', n: 10 });
        assert.deepEqual(c.get('a'), { name: 'alpha', n: 10 });
        assert.equal(c.size, 2);
        await c.delete('b');
        assert.equal(c.get('b'), undefined);
        assert.deepEqual([...c.values()], [{ name: 'alpha', n: 10 }]);
        await eventually('the delete announced', () => seen.some(([id, doc]) => id === 'b' && doc === undefined));
        assert.ok(seen.some(([id, doc]) => id === 'a' && doc?.n === 10), 'the replacement announced');
      } finally {
        await c.close();
        await h.destroy();
      }
    });

    test('putMany stores every document; everything survives a reopen', async () => {
      const h = await factory.backing();
      let c = await h.open();
      try {
        await c.putMany([]);
        await c.putMany([
          ['d1', { name: 'one', n: 1 }],
          ['d2', { name: 'two', n: 2 }],
          ['d3', { name: 'three', n: 3 }],
        ]);
        await c.delete('d2');
        assert.equal(c.size, 2);
        await c.close();
        c = await h.open();
        assert.equal(c.size, 2);
        assert.deepEqual(c.get('d1'), { name: 'one', n: 1 });
        assert.equal(c.get('d2'), undefined);
        assert.deepEqual(
          [...c.values()].map((d) => d.n).sort(),
          [1, 3],
        );
      } finally {
        await c.close();
        await h.destroy();
      }
    });

    if (factory.shared) {
      test('another node sees puts and deletes, and is told of them', async () => {
        const h = await factory.backing();
        const a = await h.open();
        const b = await h.open();
        try {
          const seenByB: string[] = [];
          b.onChange = (id, doc) => seenByB.push(`${id}:${doc ? doc.n : 'gone'}`);
          await a.put('x', { name: 'shared', n: 7 });
          await eventually('b to see x', () => b.get('x'));
          assert.deepEqual(b.get('x'), { name: 'shared', n: 7 });
          await a.delete('x');
          await eventually('b to see x go', () => b.get('x') === undefined);
          assert.deepEqual(seenByB, ['x:7', 'x:gone']);
        } finally {
          await a.close();
          await b.close();
          await h.destroy();
        }
      });
    }
  });
}
