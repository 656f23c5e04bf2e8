// One point of an acknowledged write as the ingest pipeline hands it to its
// observers (ingest/written-rows.ts makes them; alerts/last-value-cache.ts
// reads them): a cursor that decodes only what is asked for. In core because
// the producer and the consumer are two features that may not import each
// other.

export interface WrittenRow {
  /** Identifies the series within the bucket (equal keys: the same series). */
  key: string;
  timeMs: number;
  fieldCount: number;
  measurement(): string;
  /** Tag pairs, ascending by key. */
  tags(): Array<[string, string]>;
  fieldName(j: number): string;
  fieldValue(j: number): number | string | boolean;
}
