// Hands validated OpenTSDB points to the ingest pipeline, the one call every
// transport ends in (WAL + fdatasync before the answer; conventions habit 2),
// and maps what was refused back to the points: a line the parser refused
// (e.g. a key too long) or a point storage dropped (a field type conflict
// with line-protocol data, a time past the bucket's retention).

import type { ParsedBody } from '../core/ports/point-store.ts';
import { encodeLineProtocol } from '../ingest/opentsdb/encode-lp.ts';
import type { ValidPoint } from '../ingest/opentsdb/validate-point.ts';
import { refusedByIndex, type IngestPipeline } from '../ingest/pipeline.ts';

/** Index in `points` -> why it was refused. Empty when everything was stored. */
export function storePoints(ingest: IngestPipeline, bucketId: string, points: readonly ValidPoint[], nowMs: number): Promise<Map<number, string>> {
  if (points.length === 0) return Promise.resolve(new Map());
  return storeLines(ingest, bucketId, encodeLineProtocol(points), nowMs);
}

/**
 * Line-protocol bytes (precision ms, one line per point) -> line index -> why
 * it was refused. `parsed`: the body's lines already parsed, at `nowMs`
 * (transcode-put.ts), so nothing parses them again.
 */
export async function storeLines(ingest: IngestPipeline, bucketId: string, body: Buffer, nowMs: number, parsed?: ParsedBody): Promise<Map<number, string>> {
  const outcome = await ingest.ingest({
    bucketId,
    data: parsed ? { format: 'line-protocol', body, precision: 'ms', parsed } : { format: 'line-protocol', body, precision: 'ms' },
    now: { sec: Math.floor(nowMs / 1000), nsec: (nowMs % 1000) * 1_000_000 },
    onParseError: 'skip',
  });
  // One line per point, in order: line n is points[n - 1].
  return refusedByIndex(outcome);
}
