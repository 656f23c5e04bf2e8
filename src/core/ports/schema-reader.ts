// SchemaReader: what exists in a bucket, without reading points. InfluxQL's
// SHOW MEASUREMENTS / TAG KEYS / FIELD KEYS / SERIES, the explorer's schema
// tree, OpenTSDB's suggest API and the query planners (which columns a
// measurement has, of which type) ask this instead of walking storage's
// `Measurement` objects. Modelled on the catalog InfluxDB 3 keeps in memory
// (influxdb3_catalog: databases -> tables -> columns with their types).
//
// Synchronous on purpose: every engine keeps the schema in memory (the
// embedded store in its MeasurementIndex; a replica or a forwarder in a
// cached copy), and the planners ask many small questions.
//
// Implementations: storage/parquet-point-store.ts (over the embedded store),
// storage/memory/memory-point-store.ts.

import type { FieldTypeName } from '../field-type.ts';

export interface FieldSchema {
  name: string;
  type: FieldTypeName;
}

export interface SeriesInfo {
  /** measurement,k=v,... escaped as line protocol, tags by key: the key InfluxDB prints. */
  key: string;
  /** Tag pairs in ascending key order. */
  tags: Array<[string, string]>;
}

export interface SchemaReader {
  /** Measurements of a bucket that hold data, in ascending order. */
  measurements(bucketId: string): string[];
  /** Tag keys of a measurement, ascending; empty when it does not exist. */
  tagKeys(bucketId: string, measurement: string): string[];
  /** Fields of a measurement with their fixed types, ascending by name. */
  fields(bucketId: string, measurement: string): FieldSchema[];
  /** Series of a measurement, ascending by key. */
  series(bucketId: string, measurement: string): SeriesInfo[];
}
