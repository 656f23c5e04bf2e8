// The one vocabulary for field types. Line protocol's four value types plus
// unsigned (InfluxDB 2's `u` suffix); a field keeps the type of its first value
// for the life of its measurement (docs/storage.md).
//
// Same numeric values as ingest/line-protocol/batch.ts's FieldType, which the
// parser writes into a Uint8Array per field row: when the 25 importers of
// batch.ts's FieldType move here (issue 11), the change is an import path only
// and no stored byte changes meaning. test/contracts/port-shapes.test.ts keeps
// the two in step until then.

export const enum FieldType {
  Float = 0,
  Integer = 1,
  Unsigned = 2,
  String = 3,
  Boolean = 4,
}

/** Names by FieldType value: the words InfluxQL's SHOW FIELD KEYS prints (1.x influxql/ast.go DataType.String). */
export const FIELD_TYPE_NAMES = ['float', 'integer', 'unsigned', 'string', 'boolean'] as const;
export type FieldTypeName = (typeof FIELD_TYPE_NAMES)[number];

export function fieldTypeName(t: FieldType): FieldTypeName {
  return FIELD_TYPE_NAMES[t];
}

export function fieldTypeOf(name: FieldTypeName): FieldType {
  return FIELD_TYPE_NAMES.indexOf(name) as FieldType;
}
