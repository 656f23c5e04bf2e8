// The answer to POST /api/put, as PutDataPointRpc.processDataPoint (2.4) builds it:
//   - no ?summary/?details: 204 when every point was stored, else 400
//     {"error":{"code":400,"message":"One or more data points had errors",
//     "details":"Please see the TSD logs or append \"details\" to the put request"}};
//   - ?summary: {"success":N,"failed":M}, ?details adds "errors":[{"datapoint","error"}]
//     (details wins when both are given); status 400 when a point failed
//     validation, 200 otherwise, even when the store failed some (OpenTSDB
//     counts those as failed writes but answers 200);
//   - ?sync_timeout: "timeouts" is reported, and a write still running when it
//     expires answers 400 ("The put call has timedout with ...").
// hookline always writes synchronously (a 2xx means the points are on disk),
// so ?sync changes nothing; store refusals are reported as OpenTSDB reports
// storage exceptions ("Storage exception: <why>").
// Pure: the request's points and the outcome in, status and body out.

import { javaHashMapOrder } from '../ingest/opentsdb/java-text.ts';
import type { RawPoint } from '../ingest/opentsdb/parse-put-json.ts';

export interface PutFlags {
  summary: boolean;
  details: boolean;
  /** ms; 0 = none. */
  syncTimeout: number;
}

export interface PutOutcome {
  /** Points in the request. */
  total: number;
  /** The request's point `i`, as received (for ?details). */
  point(i: number): RawPoint;
  /** Validation failures, in point order. */
  invalid: Array<{ index: number; error: string }>;
  /** Points the store refused. */
  storageFailed: Array<{ index: number; error: string }>;
  /** The write did not finish within sync_timeout: these points are still being written. */
  timedOut?: number[];
}

export interface PutReply {
  status: number;
  /** Body object for 200/400 summaries; undefined for 204. */
  body?: unknown;
  /** An error answer (rendered in the OpenTSDB error envelope). */
  error?: { message: string; details: string };
}

const SEE_DETAILS = 'Please see the TSD logs or append "details" to the put request';

/** IncomingDataPoint as Jackson writes it (@JsonInclude(NON_NULL)): metric, timestamp, value, tags. */
export function datapointJson(p: RawPoint): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.metric !== null) o.metric = p.metric;
  o.timestamp = p.timestamp;
  if (p.value !== null) o.value = p.value;
  if (p.tags !== null) o.tags = Object.fromEntries(javaHashMapOrder(p.tags));
  return o;
}

/** A HashMap<String,Object> serialized: keys in HashMap order. */
function hashMapObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  return Object.fromEntries(javaHashMapOrder(entries));
}

export function putReply(flags: PutFlags, o: PutOutcome): PutReply {
  const total = o.total;
  const invalid = o.invalid.length;
  const timeouts = o.timedOut?.length ?? 0;
  const storageFailed = o.storageFailed.length;
  const details = flags.details
    ? [...o.invalid, ...o.storageFailed.map((f) => ({ index: f.index, error: `Storage exception: ${f.error}` })), ...(o.timedOut ?? []).map((index) => ({ index, error: 'Write timedout' }))].map((e) =>
        hashMapObject([
          ['error', e.error],
          ['datapoint', datapointJson(o.point(e.index))],
        ]),
      )
    : undefined;
  if (o.timedOut) {
    const good = total - invalid - storageFailed - timeouts;
    if (!flags.summary && !flags.details) {
      return {
        status: 400,
        error: { message: `The put call has timedout with ${good} successful writes, ${storageFailed} failed writes and ${timeouts} timed out writes.`, details: SEE_DETAILS },
      };
    }
    const entries: Array<[string, unknown]> = [['success', good], ['failed', invalid + storageFailed], ['timeouts', timeouts]];
    if (details) entries.push(['errors', details]);
    return { status: 400, body: hashMapObject(entries) };
  }
  if (!flags.summary && !flags.details) {
    if (invalid + storageFailed > 0) return { status: 400, error: { message: 'One or more data points had errors', details: SEE_DETAILS } };
    return { status: 204 };
  }
  const entries: Array<[string, unknown]> = [];
  if (flags.syncTimeout > 0) entries.push(['timeouts', 0]);
  entries.push(['success', total - invalid - storageFailed], ['failed', invalid + storageFailed]);
  if (details) entries.push(['errors', details]);
  return { status: invalid > 0 ? 400 : 200, body: hashMapObject(entries) };
}
