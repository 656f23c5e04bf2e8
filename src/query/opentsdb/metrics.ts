// OpenTSDB metric names <-> hookline measurements and fields (docs/opentsdb.md):
//   - a metric written through /api/put or telnet is the measurement of that
//     name with the float field `value`;
//   - a measurement written with line protocol is offered as
//     `<measurement>.<field>` for each numeric field (OVH Metrics' separator),
//     so Grafana's OpenTSDB datasource can chart InfluxDB-side data too.

import { FieldType } from '../../core/field-type.ts';
import type { SchemaReader } from '../../core/ports/schema-reader.ts';
import { storedMeasurement, storedMeasurements, type FieldDef, type StoredMeasurement } from '../store-view.ts';

export const VALUE_FIELD = 'value';

export interface MetricSource {
  measurement: StoredMeasurement;
  field: FieldDef;
}

function numeric(f: FieldDef | undefined): f is FieldDef {
  return f !== undefined && (f.type === FieldType.Float || f.type === FieldType.Integer || f.type === FieldType.Unsigned);
}

/** The measurement and field a metric name reads, or undefined ("No such name for 'metrics'"). */
export function resolveMetric(store: SchemaReader, bucketId: string, metric: string): MetricSource | undefined {
  const m = storedMeasurement(store, bucketId, metric);
  const f = m?.fieldByName.get(VALUE_FIELD);
  if (m && numeric(f)) return { measurement: m, field: f };
  const dot = metric.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const mm = storedMeasurement(store, bucketId, metric.slice(0, dot));
  const ff = mm?.fieldByName.get(metric.slice(dot + 1));
  return mm && numeric(ff) ? { measurement: mm, field: ff } : undefined;
}

/** Every metric name a bucket offers, sorted. */
export function metricNames(store: SchemaReader, bucketId: string): Array<{ name: string; source: MetricSource }> {
  const out: Array<{ name: string; source: MetricSource }> = [];
  for (const m of storedMeasurements(store, bucketId)) {
    for (const f of m.fields) {
      if (!numeric(f)) continue;
      out.push({ name: f.name === VALUE_FIELD ? m.name : `${m.name}.${f.name}`, source: { measurement: m, field: f } });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
