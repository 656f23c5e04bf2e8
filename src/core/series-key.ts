// The series key InfluxDB prints (SHOW SERIES, the `key` column): the
// measurement, then each tag as k=v in ascending key order, with commas,
// spaces and equals signs escaped as line protocol escapes them. Storage keys
// its series by it and the query front ends order and merge series by it, so
// it lives here, in the shared vocabulary.

/** measurement + sorted tags, escaped as in line protocol. */
export function canonicalSeriesKey(measurement: string, tags: ReadonlyArray<readonly [string, string]>): string {
  let key = measurement.replace(/[, ]/g, (c) => '\\' + c);
  for (const [k, v] of tags) key += ',' + k.replace(/[,= ]/g, (c) => '\\' + c) + '=' + v.replace(/[,= ]/g, (c) => '\\' + c);
  return key;
}
