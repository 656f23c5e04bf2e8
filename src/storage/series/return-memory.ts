// After a large release of series (a cardinality flood), the freed objects
// stay in V8's old space until the next full collection, and a hub that has
// stopped receiving the flood allocates too little to trigger one: RSS would
// stay at the flood's peak. One full collection then gives the pages back.
// Node exposes no gc() without --expose-gc; setting the flag at run time and
// taking gc from a fresh context is the documented V8 way to get it
// (v8.setFlagsFromString, nodejs.org/api/v8.html#v8setflagsfromstringflags).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Runs one full garbage collection (a few tens of ms on a heap of a few hundred MB). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
