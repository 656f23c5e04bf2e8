// One field of a memtable as typed arrays: values, a validity bitmap (bit i of
// the LSB-first bitmap is row i, DuckDB's layout, so it can be copied as is),
// strings on the side, and integers beyond 2^53 as bigint on the side.

import { FieldType } from '../../core/field-type.ts';

export class FieldColumn {
  num: Float64Array;
  valid: Uint8Array;
  str: string[] | undefined;
  big: Map<number, bigint> | undefined;

  constructor(
    readonly type: FieldType,
    capacity: number,
  ) {
    this.num = new Float64Array(type === FieldType.String ? 0 : capacity);
    this.valid = new Uint8Array(Math.ceil(capacity / 8) + 8);
    if (type === FieldType.String) this.str = [];
  }

  grow(capacity: number): void {
    if (this.type !== FieldType.String && this.num.length < capacity) {
      const n = new Float64Array(capacity);
      n.set(this.num);
      this.num = n;
    }
    const bytes = Math.ceil(capacity / 8) + 8;
    if (this.valid.length < bytes) {
      const v = new Uint8Array(bytes);
      v.set(this.valid);
      this.valid = v;
    }
  }

  isSet(row: number): boolean {
    return (this.valid[row >> 3] & (1 << (row & 7))) !== 0;
  }

  setNumber(row: number, v: number): void {
    this.num[row] = v;
    this.valid[row >> 3] |= 1 << (row & 7);
    if (this.big !== undefined) this.big.delete(row);
  }

  setBig(row: number, v: bigint): void {
    (this.big ??= new Map()).set(row, v);
    this.num[row] = Number(v);
    this.valid[row >> 3] |= 1 << (row & 7);
  }

  setString(row: number, v: string): void {
    this.str![row] = v;
    this.valid[row >> 3] |= 1 << (row & 7);
  }

  /** The value at `row` as a JS value (number, bigint, boolean or string), or undefined. */
  get(row: number): number | bigint | boolean | string | undefined {
    if (!this.isSet(row)) return undefined;
    switch (this.type) {
      case FieldType.String:
        return this.str![row];
      case FieldType.Boolean:
        return this.num[row] === 1;
      case FieldType.Float:
        return this.num[row];
      default:
        return this.big?.get(row) ?? this.num[row];
    }
  }

  /** Copies the value of `from` (another column of the same type) into `row`. */
  setValue(row: number, v: number | bigint | boolean | string): void {
    if (typeof v === 'string') this.setString(row, v);
    else if (typeof v === 'boolean') this.setNumber(row, v ? 1 : 0);
    else if (typeof v === 'bigint') {
      if (v <= 9007199254740991n && v >= -9007199254740991n) this.setNumber(row, Number(v));
      else this.setBig(row, v);
    } else this.setNumber(row, v);
  }
}
