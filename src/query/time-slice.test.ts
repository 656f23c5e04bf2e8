import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeSlicer } from './time-slice.ts';

test('a used-up slice is due on the clock check, and next() lets a macrotask run first', async () => {
  const sl = new TimeSlicer(undefined, 0);
  const due: number[] = [];
  for (let i = 1; i <= 200; i++) if (sl.due()) due.push(i);
  assert.deepEqual(due, [64, 128, 192]); // the clock is read every 64 items
  let ran = false;
  setImmediate(() => (ran = true));
  await sl.next();
  assert.equal(ran, true);
});

test("each slice boundary runs onSlice (the query's deadline check), and its error ends the loop", async () => {
  let slices = 0;
  const sl = new TimeSlicer(() => {
    if (++slices === 2) throw new Error('query exceeded 1 ms');
  }, 0);
  await sl.next();
  await assert.rejects(sl.next(), /query exceeded 1 ms/);
  assert.equal(slices, 2);
});

test('a slice that has not used its time is not due', () => {
  const sl = new TimeSlicer(undefined, 60_000);
  for (let i = 0; i < 1000; i++) assert.equal(sl.due(), false);
});
