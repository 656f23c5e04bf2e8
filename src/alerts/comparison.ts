// A level's condition in a threshold check: `> 30`, `>= 30`, `< -15`, `<= 0`,
// `== 1`, `!= 0`, `outside 10..20`, `inside 10..20`. InfluxDB 2's threshold
// checks offer the same four shapes: greater than, less than, inside range and
// outside range (docs.influxdata.com/influxdb/v2/monitor-alert/checks/create/,
// "Threshold check"); equality is added for state-like fields. Pure.

export type Comparison =
  | { op: '>' | '>=' | '<' | '<=' | '==' | '!='; value: number }
  | { op: 'outside' | 'inside'; min: number; max: number };

const SIMPLE_RE = /^\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;
const RANGE_RE = /^\s*(outside|inside)\s+([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\.\.\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/i;

/** The comparison `text` describes, or an error message saying what is accepted. */
export function parseComparison(text: unknown): Comparison | string {
  if (typeof text !== 'string') return 'must be a comparison such as "> 30", "< -15" or "outside 10..20"';
  const s = SIMPLE_RE.exec(text);
  if (s) return { op: s[1] as '>', value: Number(s[2]) };
  const r = RANGE_RE.exec(text);
  if (r) {
    const min = Number(r[2]);
    const max = Number(r[3]);
    if (min > max) return `"${text}": the lower bound comes first (${max}..${min})`;
    return { op: r[1].toLowerCase() as 'outside', min, max };
  }
  return `"${text.slice(0, 100)}" is not a comparison; use "> 30", ">= 30", "< -15", "<= 0", "== 1", "!= 0", "outside 10..20" or "inside 10..20"`;
}

export function matches(c: Comparison, v: number): boolean {
  switch (c.op) {
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
    case '<':
      return v < c.value;
    case '<=':
      return v <= c.value;
    case '==':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case 'outside':
      return v < c.min || v > c.max;
    case 'inside':
      return v >= c.min && v <= c.max;
  }
}
