// Hands validated OpenTSDB points to the store through the same durable path
// as line protocol (WAL + fdatasync before the answer; conventions habit 2)
// and maps what the store refused back to the points: a line the parser
// refused (e.g. a key too long) or a point storage dropped (a field type
// conflict with line-protocol data, a time past the bucket's retention).

import { encodeLineProtocol } from '../ingest/opentsdb/encode-lp.ts';
import type { ValidPoint } from '../ingest/opentsdb/validate-point.ts';
import type { Store } from '../storage/store.ts';

/** Index in `points` -> why the store refused it. Empty when everything was stored. */
export function storePoints(store: Store, bucketId: string, points: readonly ValidPoint[], nowMs: number): Promise<Map<number, string>> {
  if (points.length === 0) return Promise.resolve(new Map());
  return storeLines(store, bucketId, encodeLineProtocol(points), nowMs);
}

/** Line-protocol bytes (precision ms, one line per point) -> line index -> why the store refused it. */
export async function storeLines(store: Store, bucketId: string, body: Buffer, nowMs: number): Promise<Map<number, string>> {
  const failed = new Map<number, string>();
  const outcome = await store.write({
    bucketId,
    body,
    precision: 'ms',
    now: { sec: Math.floor(nowMs / 1000), nsec: (nowMs % 1000) * 1_000_000 },
    onParseError: 'skip',
  });
  // One line per point, in order: line n is points[n - 1].
  for (const e of outcome.parseErrors) failed.set(e.line - 1, e.reason);
  for (const d of outcome.drops) failed.set(d.line - 1, d.message);
  return failed;
}
