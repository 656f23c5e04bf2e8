import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastValueCache } from './last-value-cache.ts';
import { lastFromCache, parseLastQuery } from './last-value-query.ts';

test('the last() shape is recognised; anything else is left to the query engine', () => {
  assert.deepEqual(parseLastQuery('SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY "device"'), { field: 'temp', measurement: 'data', windowMs: 300_000, groupBy: ['device'] });
  assert.deepEqual(parseLastQuery('select last(temp) as t from data where time > now() - 1h group by site, "device";'), { field: 'temp', measurement: 'data', windowMs: 3_600_000, groupBy: ['site', 'device'] });
  assert.equal(parseLastQuery('SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY *')!.groupBy, '*');
  for (const q of ['SELECT mean("temp") FROM "data" WHERE time > now() - 5m GROUP BY "device"', 'SELECT last("temp") FROM "data" GROUP BY "device"', 'SELECT last("temp") FROM "data" WHERE time > now() - 5m AND site = \'a\' GROUP BY "device"', 'SELECT last("temp") FROM "db"."rp"."data" WHERE time > now() - 5m GROUP BY "device"', 'SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY time(1m)']) assert.equal(parseLastQuery(q), undefined, q);
});

test('answers from the cache: newest value per group within the window', () => {
  const lvc = new LastValueCache();
  const p = (device: string, site: string, temp: number, sec: number) => ({ measurement: 'data', tags: [['device', device], ['site', site]] as Array<[string, string]>, fields: [['temp', { type: 'float' as const, value: temp }]] as never, sec, nsec: 0 });
  lvc.record('B', [p('a', 'n', 30, 100), p('a', 's', 31, 110), p('b', 'n', 20, 10)], 1e12);
  const q = parseLastQuery('SELECT last("temp") FROM "data" WHERE time > now() - 60s GROUP BY "device"')!;
  assert.deepEqual(lastFromCache(lvc, 'B', q, 120_000), [{ tags: { device: 'a' }, value: 31 }]);
  const all = parseLastQuery('SELECT last("temp") FROM "data" WHERE time > now() - 1h GROUP BY *')!;
  assert.equal(lastFromCache(lvc, 'B', all, 120_000).length, 3);
});
