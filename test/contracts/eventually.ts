// Waits for a condition that another process (NATS JetStream) makes true
// asynchronously. Times out with the last value, so a failing contract says
// what it saw.

export async function eventually<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** NATS tests run against a real server, as in CI (.ci/run starts one): none is a failure, never a skip. */
export const NATS_SERVERS = '127.0.0.1:4222';
