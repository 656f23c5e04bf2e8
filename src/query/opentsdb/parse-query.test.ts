// Query parsing (QueryRpc.parseMTypeSubQuery, TSSubQuery, DownsamplingSpecification,
// RateOptions, TagVFilter.getFilter) and OpenTSDB's date syntax.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDownsample, parseQueryBody, parseQueryParams } from './parse-query.ts';
import { QueryError } from '../../core/errors.ts';
import { parseTime } from './time.ts';
import { filterFromShortcut, filterSql } from './filters.ts';

const NOW = 1_700_000_000_000;

test('times: relative, epoch seconds/ms (13 digits), dotted ms, formatted UTC', () => {
  assert.equal(parseTime('1h-ago', NOW), NOW - 3_600_000);
  assert.equal(parseTime('2w-ago', NOW), NOW - 14 * 86_400_000);
  assert.equal(parseTime('now', NOW), NOW);
  assert.equal(parseTime('1365465600', NOW), 1365465600000);
  assert.equal(parseTime('1365465600123', NOW), 1365465600123);
  assert.equal(parseTime(1365465600123, NOW), 1365465600123);
  assert.equal(parseTime('1364410924.250', NOW), 1364410924250);
  assert.equal(parseTime('2013/04/09-00:00:00', NOW), Date.UTC(2013, 3, 9));
  assert.equal(parseTime('2013/04/09 12:30', NOW), Date.UTC(2013, 3, 9, 12, 30));
  assert.throws(() => parseTime('yesterday', NOW), QueryError);
});

test('m= grammar: aggregator, rate with counter options, downsampler, explicit_tags, group-by and plain filter groups', () => {
  const q = parseQueryParams({ start: '1h-ago', m: 'sum:rate{dropcounter,1000,5}:1m-avg-zero:explicit_tags:sys.cpu{host=web*}{dc=eu|us}' }, NOW);
  const sq = q.queries[0];
  assert.equal(sq.metric, 'sys.cpu');
  assert.equal(sq.aggregator.name, 'sum');
  assert.deepEqual(sq.rateOptions, { counter: true, dropResets: true, counterMax: 1000, resetValue: 5 });
  assert.equal(sq.rate, true);
  assert.deepEqual([sq.downsample?.intervalMs, sq.downsample?.aggregator.name, sq.downsample?.fill], [60_000, 'avg', 'zero']);
  assert.equal(sq.explicitTags, true);
  assert.deepEqual(sq.filters, [
    { type: 'iwildcard', tagk: 'host', filter: 'web*', groupBy: true },
    { type: 'literal_or', tagk: 'dc', filter: 'eu|us', groupBy: false },
  ]);
  assert.equal(q.endMs, NOW);
  assert.throws(() => parseQueryParams({ start: '1h-ago' }, NOW), /Missing sub queries/);
  assert.throws(() => parseQueryParams({ start: '1h-ago', m: 'sys.cpu' }, NOW), /not enough :-separated parts/);
  assert.throws(() => parseQueryParams({ start: '1h-ago', m: 'sum:rate{counter,x}:m' }, NOW), /Max value of counter was not a number, received 'x'/);
});

test('POST body: tags shortcut and filters merge; the start must precede the end', () => {
  const q = parseQueryBody({ start: 1000, end: 2000, queries: [{ metric: 'm', aggregator: 'avg', tags: { host: '*' }, filters: [{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: false }] }] }, NOW);
  assert.deepEqual(q.queries[0].filters, [{ type: 'wildcard', tagk: 'host', filter: '*', groupBy: true }]);
  assert.deepEqual([q.startMs, q.endMs], [1_000_000, 2_000_000]);
  assert.throws(() => parseQueryBody({ start: 2000, end: 1000, queries: [{ metric: 'm', aggregator: 'avg' }] }, NOW), /Start time must be less than the end time/);
  assert.throws(() => parseQueryBody({ start: 1000, queries: [] }, NOW), /Missing queries/);
});

test('downsample specs: intervals, 0all, calendar suffix, fill policies, and OpenTSDB\'s refusals', () => {
  assert.equal(parseDownsample('500ms-sum').intervalMs, 500);
  assert.equal(parseDownsample('0all-max').intervalMs, 'all');
  assert.equal(parseDownsample('1dc-avg-nan').intervalMs, 86_400_000);
  assert.equal(parseDownsample('1n-avg').intervalMs, 30 * 86_400_000);
  assert.throws(() => parseDownsample('1m-none'), /cannot use the NONE aggregator for downsampling/);
  assert.throws(() => parseDownsample('1m-foo'), /No such downsampling function: foo/);
  assert.throws(() => parseDownsample('1m'), /Invalid downsampling specifier/);
});

test('filters become SQL predicates with values quoted and LIKE wildcards escaped', () => {
  assert.equal(filterSql(filterFromShortcut('host', "o'k|b", false), 't0'), "t0 IN ('o''k', 'b')");
  assert.equal(filterSql(filterFromShortcut('host', 'wildcard(we_b*)', true), 't0'), "t0 LIKE 'we\\_b%' ESCAPE '\\'");
  assert.equal(filterSql(filterFromShortcut('host', '*', true), 't0'), 't0 IS NOT NULL');
  assert.equal(filterSql(filterFromShortcut('host', 'not_key()', false), 't0'), 't0 IS NULL');
  assert.equal(filterSql(filterFromShortcut('host', 'not_literal_or(a)', false), 't0'), "(t0 IS NULL OR NOT t0 IN ('a'))");
  assert.equal(filterSql(filterFromShortcut('host', 'regexp(web.*)', true), undefined), 'false');
  assert.throws(() => filterFromShortcut('host', 'regexp(()', true), /Invalid regular expression/);
  assert.throws(() => filterFromShortcut('host', 'bogus(x)', true), /Could not find a filter of type: bogus/);
});
