// Bound parameters (`params=` on /query): JSON values become the tokens the
// parser substitutes for `$name` (influxql params.go BindValue). Numbers with a
// '.' are floats, others integers, as the 1.x handler decodes them.

export interface BoundValue {
  tok: string;
  lit: string;
}

export class JsonNumber {
  constructor(readonly text: string) {}
}

/** JSON.parse keeping each number's text (integers stay exact). */
export function parseParamsJson(text: string): Record<string, unknown> {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (m, str: string | undefined) =>
    str !== undefined ? str : JSON.stringify({ '\u0000num': m }),
  );
  const revive = (v: unknown): unknown => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (Object.keys(o).length === 1 && typeof o['\u0000num'] === 'string') return new JsonNumber(o['\u0000num'] as string);
      for (const k of Object.keys(o)) o[k] = revive(o[k]);
    } else if (Array.isArray(v)) return v.map(revive);
    return v;
  };
  const out = revive(JSON.parse(marked));
  if (!out || typeof out !== 'object' || Array.isArray(out)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
  return out as Record<string, unknown>;
}

function formatFloatF(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
  const s = String(v);
  if (!/e/.test(s)) return s;
  return v.toFixed(20).replace(/\.?0+$/, '');
}

export function bindValue(v: unknown): BoundValue {
  if (v instanceof JsonNumber) {
    if (v.text.includes('.')) return { tok: 'NUMBER', lit: formatFloatF(Number(v.text)) };
    return { tok: 'INTEGER', lit: BigInt(Number(v.text) === Math.trunc(Number(v.text)) && !/[eE]/.test(v.text) ? v.text : Math.trunc(Number(v.text))).toString() };
  }
  if (typeof v === 'number') return Number.isInteger(v) ? { tok: 'INTEGER', lit: String(v) } : { tok: 'NUMBER', lit: formatFloatF(v) };
  if (typeof v === 'string') return { tok: 'STRING', lit: v };
  if (typeof v === 'boolean') return { tok: v ? 'TRUE' : 'FALSE', lit: v ? 'true' : 'false' };
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length !== 1) return { tok: 'ERROR', lit: 'bound object parameter value must have exactly one entry' };
    const [k, val] = entries[0];
    const text = val instanceof JsonNumber ? val.text : String(val);
    switch (k) {
      case 'ident':
      case 'identifier':
        return { tok: 'IDENT', lit: text };
      case 'regex':
        return { tok: 'REGEX', lit: text };
      case 'string':
        return { tok: 'STRING', lit: text };
      case 'integer':
        return { tok: 'INTEGER', lit: text };
      case 'number':
      case 'float':
        return { tok: 'NUMBER', lit: text };
      case 'boolean':
        return { tok: text === 'true' ? 'TRUE' : 'FALSE', lit: text };
      case 'duration':
        return { tok: 'DURATIONVAL', lit: text };
      default:
        return { tok: 'ERROR', lit: `unknown bind object type: ${k}` };
    }
  }
  return { tok: 'ERROR', lit: `unable to bind parameter with type ${v === null ? '<nil>' : typeof v}` };
}
