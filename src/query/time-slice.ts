// Cooperative slices for long synchronous loops (InfluxQL assembly and
// response encoding): a loop asks `due()` on each item and, when the current
// slice has run for `sliceMs`, awaits `next()`, a macrotask (setImmediate),
// so timers, sockets and other requests (/ping) run before it goes on. A
// microtask (await of a resolved promise) would not let I/O in. `onSlice`
// runs at each boundary: the query's deadline check.

/** How long one slice may hold the event loop (ms): well under /ping's 100 ms target (issue 10). */
export const SLICE_MS = 8;

/** The clock is read once per this many items (a power of two). */
const CHECK_EVERY = 64;

export class TimeSlicer {
  private start = performance.now();
  private n = 0;

  constructor(
    private readonly onSlice?: () => void,
    private readonly sliceMs = SLICE_MS,
  ) {}

  /** True when this slice is used up and the caller should `await next()`. */
  due(): boolean {
    if ((++this.n & (CHECK_EVERY - 1)) !== 0) return false;
    return performance.now() - this.start >= this.sliceMs;
  }

  /** Ends the slice: lets the event loop run, then checks the deadline. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
    this.onSlice?.();
  }
}
