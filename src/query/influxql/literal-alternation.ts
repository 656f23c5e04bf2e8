// A tag regex that is only a list of whole values, `/^(d1|d2|d3)$/`, is what
// Grafana's InfluxDB data source sends for a multi-value variable
// (`WHERE "device" =~ /^($device)$/`, values regex-escaped:
// grafana/public/app/plugins/datasource/influxdb, interpolateQueryExpr).
// Matched as a regex, it makes DuckDB run RE2 on every row; as an IN list it
// is an equality DuckDB checks against each Parquet row group's statistics
// and bloom filter, skipping the other series' row groups. Anything that is
// not such a list (classes, repetition, flags, an empty alternative) answers
// undefined and stays a regex.

/** RE2 metacharacters: unescaped, they make the pattern more than a literal. */
const META = new Set(['.', '[', ']', '{', '}', '(', ')', '*', '+', '?', '^', '$', '|', '\\']);

/** The values an anchored alternation of literals matches exactly, or undefined. */
export function literalAlternation(source: string): string[] | undefined {
  const m = /^\^(?:\((?:\?:)?(.*)\)|(.*))\$$/s.exec(source);
  if (!m) return undefined;
  const body = m[1] ?? m[2];
  const values: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const next = body[i + 1];
      // \. \- \/ ... are the character itself; \d, \w, \b, \Q and friends are not literals.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      cur += next;
      i++;
      continue;
    }
    if (c === '|') {
      values.push(cur);
      cur = '';
      continue;
    }
    if (META.has(c)) return undefined;
    cur += c;
  }
  values.push(cur);
  // An empty alternative matches a missing tag (''): keep the regex for that rare case.
  if (values.some((v) => v === '')) return undefined;
  return values;
}
