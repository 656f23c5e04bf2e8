import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedFilter, eventNameOfTopic, topicOfEvent } from './topics.ts';

test('events/<name> both ways; slashes are topic levels', () => {
  assert.equal(eventNameOfTopic('events/data'), 'data');
  assert.equal(eventNameOfTopic('events/a/b/c'), 'a/b/c');
  assert.equal(eventNameOfTopic('events/'), undefined);
  assert.equal(eventNameOfTopic('devices/x'), undefined);
  assert.equal(topicOfEvent('hook-response/data/0'), 'events/hook-response/data/0');
  assert.equal(topicOfEvent('a+b'), undefined);
  assert.equal(allowedFilter('events/#'), true);
  assert.equal(allowedFilter('events/+/hook-response/#'), true);
  assert.equal(allowedFilter('#'), false);
  assert.equal(allowedFilter('$SYS/#'), false);
});
