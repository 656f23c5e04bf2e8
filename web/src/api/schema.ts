// What the builder offers to pick: measurements, fields, tag keys and tag
// values of a bucket. InfluxQL's SHOW statements answer it exactly (as in
// Grafana's query editor). Without /query, SQL is asked instead: it cannot
// list measurements (the name is then typed), and it tells tags from fields
// by their values in recent rows (text = tag), which is right for device data.

import { influxIdent } from '../lib/quote.ts';
import { sqlIdent } from '../lib/quote.ts';
import { hasInfluxQl, influxQlRaw, sqlRows } from './query.ts';

export interface MeasurementSchema {
  fields: Array<{ name: string; type: string }>;
  tagKeys: string[];
}

type Values = unknown[][];

async function show(bucket: string, q: string): Promise<Values> {
  const body = await influxQlRaw(bucket, q);
  const r = (body.results ?? [])[0] as { error?: string; series?: Array<{ values?: Values }> } | undefined;
  if (r?.error) throw new Error(r.error);
  return (r?.series ?? []).flatMap((s) => s.values ?? []);
}

/** undefined when the server cannot list them (SQL only): the picker becomes free text. */
export async function measurements(bucket: string): Promise<string[] | undefined> {
  if (!(await hasInfluxQl())) return undefined;
  return (await show(bucket, 'SHOW MEASUREMENTS')).map((v) => String(v[0]));
}

export async function measurementSchema(bucket: string, measurement: string): Promise<MeasurementSchema> {
  if (await hasInfluxQl()) {
    const [fields, tags] = await Promise.all([
      show(bucket, `SHOW FIELD KEYS FROM ${influxIdent(measurement)}`),
      show(bucket, `SHOW TAG KEYS FROM ${influxIdent(measurement)}`),
    ]);
    return { fields: fields.map((v) => ({ name: String(v[0]), type: String(v[1] ?? '') })), tagKeys: tags.map((v) => String(v[0])) };
  }
  const rows = await sqlRows(bucket, `SELECT * FROM ${sqlIdent(measurement)} ORDER BY time DESC LIMIT 200`);
  const fields = new Map<string, string>();
  const tags = new Set<string>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (k === 'time') continue;
      if (typeof v === 'string') tags.add(k);
      else if (!fields.has(k)) fields.set(k, typeof v === 'boolean' ? 'boolean' : 'float');
    }
  }
  for (const t of tags) fields.delete(t);
  return { fields: [...fields].map(([name, type]) => ({ name, type })).sort((a, b) => a.name.localeCompare(b.name)), tagKeys: [...tags].sort() };
}

export async function tagValues(bucket: string, measurement: string, key: string): Promise<string[]> {
  if (await hasInfluxQl()) {
    return (await show(bucket, `SHOW TAG VALUES FROM ${influxIdent(measurement)} WITH KEY = ${influxIdent(key)}`)).map((v) => String(v[1]));
  }
  const rows = await sqlRows(bucket, `SELECT DISTINCT ${sqlIdent(key)} AS v FROM ${sqlIdent(measurement)} WHERE ${sqlIdent(key)} IS NOT NULL ORDER BY 1 LIMIT 500`);
  return rows.map((r) => String(r.v));
}
