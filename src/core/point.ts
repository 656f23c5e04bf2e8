// The point vocabulary shared by every ingest protocol and the store.

/** A typed field value. Integers beyond 2^53 are bigint so no digit is lost. */
export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: number | bigint }
  | { type: 'unsigned'; value: number | bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

/** One point as an object: used off the hot path (tests, MQTT, OpenTSDB, webhooks). */
export interface Point {
  measurement: string;
  /** Tag keys in ascending byte order. */
  tags: Array<[string, string]>;
  fields: Array<[string, FieldValue]>;
  /** Unix time: whole seconds and nanoseconds within the second. */
  sec: number;
  nsec: number;
}
