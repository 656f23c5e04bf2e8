// The observers' cursor: the same rows whether it parses the body itself or
// is handed the transport's parse, and series keys reused within a write only
// when their bytes are equal (a hash collision must not merge two series).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachRow } from './written-rows.ts';
import { parseLineProtocol } from './line-protocol/parse.ts';
import type { PointData } from '../core/ports/point-store.ts';

const NOW = { sec: 1_700_000_000, nsec: 0 };
const BODY = Buffer.from(
  [
    'cpu,host=a,dc=x usage=1,idle=2i 1000',
    'cpu,dc=x,host=a usage=3 2000',
    'cpu,dc=x,host=b usage=4 3000',
    'cpu,dc=x,host=a usage=5,idle=6i 4000',
    'mem,dc=x,host=a free="lots",ok=true 5000',
    'c\\ pu,dc=x,host=a usage=7 6000',
    'cpu,dc=x,host=b usage=8',
  ].join('\n'),
);

function rows(data: PointData): unknown[] {
  const out: unknown[] = [];
  forEachRow(data, NOW, (r) => {
    const fields: unknown[] = [];
    for (let j = 0; j < r.fieldCount; j++) fields.push([r.fieldName(j), r.fieldValue(j)]);
    out.push({ key: r.key, timeMs: r.timeMs, measurement: r.measurement(), tags: r.tags(), fields });
  });
  return out;
}

test('rows from a handed-over parse equal the rows of parsing the body', () => {
  const plain: PointData = { format: 'line-protocol', body: BODY, precision: 'ms' };
  const parsed = parseLineProtocol(BODY, { precision: 'ms', now: NOW });
  const expected = rows(plain);
  assert.equal(expected.length, 7);
  assert.deepEqual(rows({ ...plain, parsed }), expected);
  // repeated series share their key
  assert.equal((expected[1] as { key: string }).key, (expected[3] as { key: string }).key);
  assert.notEqual((expected[1] as { key: string }).key, (expected[2] as { key: string }).key);
});

test('equal key hashes of different series keep their own keys', () => {
  const plain: PointData = { format: 'line-protocol', body: BODY, precision: 'ms' };
  const parsed = parseLineProtocol(BODY, { precision: 'ms', now: NOW });
  parsed.keyHash.fill(42); // every key "collides"
  assert.deepEqual(rows({ ...plain, parsed }), rows(plain));
});
