// Bound parameters (`params=` on /query): JSON values become the tokens the
// parser substitutes for `$name` (influxql params.go BindValue). Numbers with a
// '.' are floats, others integers, as the 1.x handler decodes them.

import { firstJsonValue, goJsonError } from './go-json.ts';

export interface BoundValue {
  tok: string;
  lit: string;
}

export class JsonNumber {
  constructor(readonly text: string) {}
}

/** JSON.parse keeping each number's text (integers stay exact). */
export function parseParamsJson(raw: string): Record<string, unknown> {
  // handler.go decodes with a json.Decoder: Go's syntax errors, one value read.
  const err = goJsonError(raw);
  if (err) throw new Error(err);
  const text = firstJsonValue(raw);
  if (text === 'null') return {};
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
  if (!out || typeof out !== 'object' || Array.isArray(out) || out instanceof JsonNumber) {
    const kind = Array.isArray(out) ? 'array' : out instanceof JsonNumber ? 'number' : typeof out === 'boolean' ? 'bool' : 'string';
    throw new Error(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  // handler.go converts the top-level json.Numbers: Int64 unless there is a '.'.
  for (const [k, v] of Object.entries(out as Record<string, unknown>)) {
    if (!(v instanceof JsonNumber) || v.text.includes('.')) continue;
    if (/[eE]/.test(v.text)) throw new ParamValueError(`strconv.ParseInt: parsing ${JSON.stringify(v.text)}: invalid syntax`);
    const n = BigInt(v.text);
    if (n > 9223372036854775807n || n < -9223372036854775808n) throw new ParamValueError(`strconv.ParseInt: parsing ${JSON.stringify(v.text)}: value out of range`);
    void k;
  }
  return out as Record<string, unknown>;
}

/** A parameter value the handler cannot convert ("error parsing json value: ..."). */
export class ParamValueError extends Error {}

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
    const str = typeof val === 'string';
    const num = val instanceof JsonNumber;
    switch (k) {
      case 'ident':
      case 'identifier':
        return str ? { tok: 'IDENT', lit: text } : { tok: 'ERROR', lit: 'identifier must be a string value' };
      case 'regex':
        return str ? { tok: 'REGEX', lit: text } : { tok: 'ERROR', lit: 'regex literal must be a string value' };
      case 'string':
        return str ? { tok: 'STRING', lit: text } : { tok: 'ERROR', lit: 'string literal must be a string value' };
      case 'int':
      case 'integer':
        return num ? { tok: 'INTEGER', lit: BigInt(Math.trunc(Number(text))).toString() } : { tok: 'ERROR', lit: 'integer literal must be an integer value' };
      case 'number':
      case 'float':
        return num ? { tok: 'NUMBER', lit: text } : { tok: 'ERROR', lit: 'number literal must be a float value' };
      case 'boolean':
        return { tok: text === 'true' ? 'TRUE' : 'FALSE', lit: text };
      case 'duration':
        return { tok: 'DURATIONVAL', lit: text };
      default:
        return { tok: 'ERROR', lit: `unknown bind object type: ${k}` };
    }
  }
  // %T of the decoded JSON value.
  return { tok: 'ERROR', lit: `unable to bind parameter with type ${v === null ? '<nil>' : Array.isArray(v) ? '[]interface {}' : typeof v}` };
}
