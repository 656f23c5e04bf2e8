// OpenTSDB points -> line protocol, the format of hookline's write-ahead log
// and the one body every ingest path hands to the store (one ingest path,
// conventions habit 2). The data model (docs/opentsdb.md):
//   metric  -> measurement
//   tags    -> tags
//   value   -> the float field `value` (integers too, so a metric never changes
//              type: field types are fixed per measurement)
//   time    -> milliseconds (write with precision=ms)
// One line per point, in order, so the store's line numbers map back to points.

import type { ValidPoint } from './validate-point.ts';

const NEEDS_ESCAPE_MEASUREMENT = /[, ]/;
const NEEDS_ESCAPE_TAG = /[,= ]/;

function escMeasurement(s: string): string {
  return NEEDS_ESCAPE_MEASUREMENT.test(s) ? s.replace(/[, ]/g, (c) => '\\' + c) : s;
}

function escTag(s: string): string {
  return NEEDS_ESCAPE_TAG.test(s) ? s.replace(/[,= ]/g, (c) => '\\' + c) : s;
}

/** JS's shortest round-trip spelling; line protocol reads `1e+21` and `-0` back exactly. */
function floatText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** The line-protocol body for `points` (precision ms), one line each, in order. */
export function encodeLineProtocol(points: readonly ValidPoint[]): Buffer {
  let out = '';
  // Points of one request usually repeat a few series: reuse their escaped keys.
  let lastMetric = '';
  let lastTags: Array<[string, string]> | undefined;
  let lastKey = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    let key: string;
    if (p.metric === lastMetric && p.tags === lastTags) key = lastKey;
    else {
      key = escMeasurement(p.metric);
      for (const [k, v] of p.tags) key += ',' + escTag(k) + '=' + escTag(v);
      key += ' value=';
      lastMetric = p.metric;
      lastTags = p.tags;
      lastKey = key;
    }
    out += key + floatText(p.value) + ' ' + p.ms + '\n';
  }
  return Buffer.from(out, 'utf8');
}
