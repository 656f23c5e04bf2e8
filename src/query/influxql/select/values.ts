// Values flowing through InfluxQL evaluation: floats are numbers, integers and
// unsigned integers bigint (exact), plus strings, booleans and null. Time
// cells carry nanoseconds and are formatted by the response encoders.

export type Value = number | bigint | string | boolean | null;

export class TimeCell {
  constructor(
    readonly ns: bigint,
    /** IANA zone from tz(): times print with that zone's offset. */
    readonly tz?: string,
  ) {}
}

export type OutCell = Value | TimeCell;

export function isNumeric(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** InfluxQL arithmetic: integer op integer stays integer except `/`; anything with a float is a float. */
export function arith(op: string, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return BigInt.asIntN(64, a + b);
      case '-':
        return BigInt.asIntN(64, a - b);
      case '*':
        return BigInt.asIntN(64, a * b);
      case '/':
        return b === 0n ? 0 : Number(a) / Number(b);
      case '%':
        return b === 0n ? 0n : a % b;
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
    }
    return null;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (op === '&') return a && b;
    if (op === '|') return a || b;
    if (op === '^') return a !== b;
    return null;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) {
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    return null;
  }
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? 0 : x / y;
    case '%':
      return y === 0 ? 0 : x % y;
  }
  return null;
}

export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}
