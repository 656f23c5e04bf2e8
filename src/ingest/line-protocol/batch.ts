// The columnar result of parsing a line-protocol body. Nothing here allocates
// an object per point: points and fields are rows in typed arrays that point
// back into the input buffer. Strings are decoded only when asked for.

/** Why a line was refused. `kind` is stable; `message` is InfluxDB 1.x/2.x's exact text. */
export interface LineError {
  /** 1-based line number in the request body. */
  line: number;
  /** Position among the body's non-blank, non-comment lines (InfluxDB 3 numbers errors this way). */
  ordinal: number;
  /** The offending line as InfluxDB quotes it (leading whitespace and the newline removed). */
  text: string;
  kind: ParseErrorKind;
  /** The reason alone, e.g. "missing fields". */
  reason: string;
  /** InfluxDB's full text: unable to parse '<line>': <reason>. */
  message: string;
}

export type ParseErrorKind =
  | 'missing-measurement'
  | 'missing-fields'
  | 'missing-tag-key'
  | 'missing-tag-value'
  | 'invalid-tag-format'
  | 'duplicate-tags'
  | 'reserved-tag-key'
  | 'missing-field-key'
  | 'missing-field-value'
  | 'invalid-field-format'
  | 'unbalanced-quotes'
  | 'invalid-number'
  | 'invalid-float'
  | 'invalid-boolean'
  | 'integer-range'
  | 'unsigned-range'
  | 'bad-timestamp'
  | 'timestamp-range'
  | 'point-invalid'
  | 'max-key-length';

export interface LineBatch {
  /** The input the offsets refer to. */
  readonly buf: Buffer;
  /** Number of points parsed successfully. */
  n: number;
  /** Number of non-blank, non-comment lines seen (points + errors). */
  lines: number;
  readonly errors: LineError[];

  // per point
  lineNo: Int32Array;
  /** Position among non-blank, non-comment lines. */
  ordinal: Int32Array;
  /** Raw bytes of `measurement[,tags]` as written; [keyStart, keyEnd). */
  keyStart: Int32Array;
  keyEnd: Int32Array;
  /** End of the measurement within the key (exclusive). */
  measEnd: Int32Array;
  /** 1 when tags are in sorted order and nothing in the key is escaped: raw key == canonical key. */
  keyCanonical: Uint8Array;
  /** FNV-1a of the raw key bytes, computed while scanning them; 0 when not computed. */
  keyHash: Int32Array;
  /** Field rows of point i are [fieldStart[i], fieldStart[i+1]). */
  fieldStart: Int32Array;
  sec: Float64Array;
  nsec: Int32Array;

  // per field
  fieldCount: number;
  fkStart: Int32Array;
  fkEnd: Int32Array;
  /** 1 when the field key contains a backslash (needs unescaping). */
  fkEscaped: Uint8Array;
  ftype: Uint8Array;
  /** float value; integer/unsigned value when exact (see `big`); boolean as 0/1. */
  fnum: Float64Array;
  /** Raw value bytes; for strings the content between the quotes (still escaped). */
  fvStart: Int32Array;
  fvEnd: Int32Array;
  /** Integer and unsigned values beyond 2^53, by field row. */
  big: Map<number, bigint>;
}

/**
 * Point columns of 8, 4 and 1 bytes, then field columns likewise: carved from
 * one ArrayBuffer, aligned because each group's total is a multiple of the
 * next group's width. One allocation per body instead of seventeen, and not
 * zero-filled (Buffer.allocUnsafeSlow): every slot below n / fieldCount is
 * written before it is read, and fieldStart[0] is set here. The buffers were
 * 8 % of the ingest main thread as garbage collection (bench/README.md).
 */
export function createBatch(buf: Buffer, pointCapacity: number, fieldCapacity: number): LineBatch {
  const p = Math.max(4, pointCapacity);
  const f = Math.max(4, fieldCapacity);
  // bytes: sec 8; lineNo, ordinal, keyStart, keyEnd, measEnd, keyHash, nsec 4 each, fieldStart 4 (p + 1); keyCanonical 1
  //        fnum 8; fkStart, fkEnd, fvStart, fvEnd 4 each; fkEscaped, ftype 1 each
  const pad8 = (n: number) => (n + 7) & ~7;
  const size = pad8(p * 8 + p * 7 * 4 + (p + 1) * 4 + p) + f * 8 + f * 4 * 4 + f * 2;
  const mem = Buffer.allocUnsafeSlow(size).buffer;
  let at = 0;
  const f64 = (n: number) => {
    const a = new Float64Array(mem, at, n);
    at += n * 8;
    return a;
  };
  const i32 = (n: number) => {
    const a = new Int32Array(mem, at, n);
    at += n * 4;
    return a;
  };
  const u8 = (n: number) => {
    const a = new Uint8Array(mem, at, n);
    at += n;
    return a;
  };
  const sec = f64(p);
  const lineNo = i32(p);
  const ordinal = i32(p);
  const keyStart = i32(p);
  const keyEnd = i32(p);
  const measEnd = i32(p);
  const keyHash = i32(p);
  const nsec = i32(p);
  const fieldStart = i32(p + 1);
  const keyCanonical = u8(p);
  at = pad8(at);
  const fnum = f64(f);
  const fkStart = i32(f);
  const fkEnd = i32(f);
  const fvStart = i32(f);
  const fvEnd = i32(f);
  const fkEscaped = u8(f);
  const ftype = u8(f);
  fieldStart[0] = 0;
  return {
    buf,
    n: 0,
    lines: 0,
    errors: [],
    lineNo,
    ordinal,
    keyStart,
    keyEnd,
    measEnd,
    keyCanonical,
    keyHash,
    fieldStart,
    sec,
    nsec,
    fieldCount: 0,
    fkStart,
    fkEnd,
    fkEscaped,
    ftype,
    fnum,
    fvStart,
    fvEnd,
    big: new Map(),
  };
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, min: number): T {
  if (a.length >= min) return a;
  const next = new (a.constructor as { new (n: number): T })(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}

export function ensurePointCapacity(b: LineBatch, n: number): void {
  if (b.lineNo.length >= n && b.fieldStart.length >= n + 1) return;
  b.lineNo = grow(b.lineNo, n);
  b.ordinal = grow(b.ordinal, n);
  b.keyStart = grow(b.keyStart, n);
  b.keyEnd = grow(b.keyEnd, n);
  b.measEnd = grow(b.measEnd, n);
  b.keyCanonical = grow(b.keyCanonical, n);
  b.keyHash = grow(b.keyHash, n);
  b.fieldStart = grow(b.fieldStart, n + 1);
  b.sec = grow(b.sec, n);
  b.nsec = grow(b.nsec, n);
}

export function ensureFieldCapacity(b: LineBatch, n: number): void {
  if (b.fkStart.length >= n) return;
  b.fkStart = grow(b.fkStart, n);
  b.fkEnd = grow(b.fkEnd, n);
  b.fkEscaped = grow(b.fkEscaped, n);
  b.ftype = grow(b.ftype, n);
  b.fnum = grow(b.fnum, n);
  b.fvStart = grow(b.fvStart, n);
  b.fvEnd = grow(b.fvEnd, n);
}

const ARRAY_KEYS = [
  'lineNo',
  'ordinal',
  'keyStart',
  'keyEnd',
  'measEnd',
  'keyCanonical',
  'keyHash',
  'fieldStart',
  'sec',
  'nsec',
  'fkStart',
  'fkEnd',
  'fkEscaped',
  'ftype',
  'fnum',
  'fvStart',
  'fvEnd',
] as const;

export type BatchArrays = Pick<LineBatch, (typeof ARRAY_KEYS)[number]>;

/** The typed arrays of a batch (to transfer it between threads). */
export function batchArrays(b: LineBatch): BatchArrays {
  return Object.fromEntries(ARRAY_KEYS.map((k) => [k, b[k]])) as BatchArrays;
}

/** A batch rebuilt around `buf` from arrays parsed elsewhere (same bytes, same offsets). */
export function batchFromArrays(
  buf: Buffer,
  arrays: BatchArrays,
  n: number,
  lines: number,
  fieldCount: number,
  errors: LineError[],
  big: Map<number, bigint>,
): LineBatch {
  return { buf, n, lines, fieldCount, errors, big, ...arrays };
}
