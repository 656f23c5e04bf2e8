// Quoting for the two query languages the explorer writes. Names and values
// come from the user's data, so every one is quoted, never spliced in raw.

/** InfluxQL identifier: double quotes, with \ and " backslash-escaped (influxql scanner). */
export function influxIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** InfluxQL string literal: single quotes, with \ and ' backslash-escaped. */
export function influxString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** SQL identifier: double quotes, a quote doubled (SQL standard, DuckDB). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL string literal: single quotes, a quote doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** SQL TIMESTAMP literal in UTC, as the store keeps `time` (TIMESTAMP_NS, UTC). */
export function sqlTimestamp(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
}
