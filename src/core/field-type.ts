// The one vocabulary for field types. Line protocol's four value types plus
// unsigned (InfluxDB 2's `u` suffix); a field keeps the type of its first value
// for the life of its measurement (docs/storage.md).
//
// The parser writes these numeric values into a Uint8Array per field row, and
// the WAL and catalog keep them: they never change meaning
// (test/contracts/port-shapes.test.ts pins them). This is the only definition
// (it used to live in ingest/line-protocol/batch.ts, and core/point.ts had a
// second FieldTypeName).

export const enum FieldType {
  Float = 0,
  Integer = 1,
  Unsigned = 2,
  String = 3,
  Boolean = 4,
}

/** Names by FieldType value: the words InfluxQL's SHOW FIELD KEYS prints (1.x influxql/ast.go DataType.String). */
/** The types arithmetic and numeric aggregates apply to. */
export const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set([FieldType.Float, FieldType.Integer, FieldType.Unsigned]);

export const FIELD_TYPE_NAMES = ['float', 'integer', 'unsigned', 'string', 'boolean'] as const;
export type FieldTypeName = (typeof FIELD_TYPE_NAMES)[number];

export function fieldTypeName(t: FieldType): FieldTypeName {
  return FIELD_TYPE_NAMES[t];
}

export function fieldTypeOf(name: FieldTypeName): FieldType {
  return FIELD_TYPE_NAMES.indexOf(name) as FieldType;
}
