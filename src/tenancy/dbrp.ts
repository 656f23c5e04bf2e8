// InfluxDB 1.x databases and retention policies over buckets (InfluxDB 2's
// DBRP mapping, https://docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/):
// policy "autogen" of database `db` is the bucket `db`, any other policy
// `rp` is the bucket `db/rp`.

export function dbOfBucket(name: string): { db: string; rp: string } {
  const i = name.indexOf('/');
  return i < 0 ? { db: name, rp: 'autogen' } : { db: name.slice(0, i), rp: name.slice(i + 1) };
}

export function bucketNameFor(db: string, rp: string): string {
  return rp === 'autogen' ? db : `${db}/${rp}`;
}
