// Go's math package where its results differ from JavaScript's Math in the
// last bits: InfluxDB's math functions (query/math.go) call these, and their
// answers are compared byte for byte. Ports of Go's pure-Go implementations
// (src/math: sin.go, tan.go, asin.go, atan.go, atan2.go, log10.go, pow.go,
// frexp.go, ldexp.go), themselves from Cephes. Exp, Log and Sqrt agree with
// V8's and stay Math's.

const buf = new DataView(new ArrayBuffer(8));

function bits(x: number): bigint {
  buf.setFloat64(0, x);
  return buf.getBigUint64(0);
}

function fromBits(b: bigint): number {
  buf.setBigUint64(0, b);
  return buf.getFloat64(0);
}

const MASK = 0x7ffn;
const SHIFT = 52n;
const BIAS = 1023;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** math.Frexp: frac in [0.5, 1) and exp with x = frac * 2**exp. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exp = 0;
  if (Math.abs(x) < SMALLEST_NORMAL) {
    x *= 2 ** 52;
    exp = -52;
  }
  let b = bits(x);
  exp += Number((b >> SHIFT) & MASK) - BIAS + 1;
  b &= ~(MASK << SHIFT);
  b |= BigInt(-1 + BIAS) << SHIFT;
  return [fromBits(b), exp];
}

/** math.Ldexp: frac * 2**exp. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const [f, e] = frexp(frac);
  exp += e;
  let b = bits(f);
  exp += Number((b >> SHIFT) & MASK) - BIAS;
  if (exp < -1074) return frac < 0 ? -0 : 0;
  if (exp > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (exp < -1022) {
    exp += 52;
    m = 1 / 2 ** 52;
  }
  b &= ~(MASK << SHIFT);
  b |= BigInt(exp + BIAS) << SHIFT;
  return m * fromBits(b);
}

const PI = Math.PI;
const FOUR_OVER_PI = 1.2732395447351628;
const PI4A = 7.85398125648498535156e-1;
const PI4B = 3.77489470793079817668e-8;
const PI4C = 2.69515142907905952645e-15;
const SIN = [1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6, -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1];
const COS = [-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7, 2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2];

function sinPoly(z: number, zz: number): number {
  return z + z * zz * ((((((SIN[0] * zz + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz) + SIN[5]);
}

function cosPoly(zz: number): number {
  return 1.0 - 0.5 * zz + zz * zz * ((((((COS[0] * zz + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz) + COS[5]);
}

/** Octant and remainder of x >= 0 (without Go 1.11's Payne-Hanek reduction, beyond 2**29 both drift). */
function reduce(x: number): [number, number] {
  let j = Math.floor(x * FOUR_OVER_PI);
  let y = j;
  if (j % 2 === 1) {
    j++;
    y++;
  }
  j %= 8;
  return [j, x - y * PI4A - y * PI4B - y * PI4C];
}

export function sin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let [j, z] = reduce(x);
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  x = Math.abs(x);
  let [j, z] = reduce(x);
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

const TANP = [-1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7];
const TANQ = [1.0, 1.36812963470692954678e4, -1.32089234440210967447e6, 2.50083801823357915839e7, -5.38695755929454629881e7];

export function tan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let j = Math.floor(x * FOUR_OVER_PI);
  let y = j;
  if (j % 2 === 1) {
    j++;
    y++;
  }
  const z = x - y * PI4A - y * PI4B - y * PI4C;
  const zz = z * z;
  y = zz > 1e-14 ? z + z * ((zz * ((TANP[0] * zz + TANP[1]) * zz + TANP[2])) / ((((zz + TANQ[1]) * zz + TANQ[2]) * zz + TANQ[3]) * zz + TANQ[4])) : z;
  if ((j & 2) === 2) y = -1 / y;
  return sign ? -y : y;
}

function xatan(x: number): number {
  const P0 = -8.750608600031904122785e-1;
  const P1 = -1.615753718733365076637e1;
  const P2 = -7.500855792314704667340e1;
  const P3 = -1.228866684490136173410e2;
  const P4 = -6.485021904942025371773e1;
  const Q0 = 2.485846490142306297962e1;
  const Q1 = 1.650270098316988542046e2;
  const Q2 = 4.328810604912902668951e2;
  const Q3 = 4.853903996359136964868e2;
  const Q4 = 1.945506571482613964425e2;
  let z = x * x;
  z = (z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4)) / (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  return x * z + x;
}

function satan(x: number): number {
  const MOREBITS = 6.123233995736765886130e-17;
  const TAN3PIO8 = 2.41421356237309504880;
  if (x <= 0.66) return xatan(x);
  if (x > TAN3PIO8) return PI / 2 - xatan(1 / x) + MOREBITS;
  return PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * MOREBITS;
}

export function atan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

export function asin(x: number): number {
  if (x === 0) return x;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  if (x > 1) return NaN;
  let temp = Math.sqrt(1 - x * x);
  temp = x > 0.7 ? PI / 2 - satan(temp / x) : satan(x / temp);
  return sign ? -temp : temp;
}

export function acos(x: number): number {
  return PI / 2 - asin(x);
}

const copysign = (x: number, s: number) => (s < 0 || Object.is(s, -0) ? -Math.abs(x) : Math.abs(x));

export function atan2(y: number, x: number): number {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  if (y === 0) return x >= 0 && !Object.is(x, -0) ? copysign(0, y) : copysign(PI, y);
  if (x === 0) return copysign(PI / 2, y);
  if (!Number.isFinite(x)) {
    if (x === Infinity) return !Number.isFinite(y) ? copysign(PI / 4, y) : copysign(0, y);
    return !Number.isFinite(y) ? copysign((3 * PI) / 4, y) : copysign(PI, y);
  }
  if (!Number.isFinite(y)) return copysign(PI / 2, y);
  const q = atan(y / x);
  if (x < 0) return q <= 0 ? q + PI : q - PI;
  return q;
}

const INV_LN10 = 0.4342944819032518;
const INV_LN2 = 1.4426950408889634;

export function log2(x: number): number {
  const [frac, exp] = frexp(x);
  // Exact for powers of two.
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * INV_LN2 + exp;
}

export function log10(x: number): number {
  return Math.log(x) * INV_LN10;
}

const isOddInt = (x: number) => Number.isInteger(x) && Math.abs(x) < 2 ** 53 && Math.abs(x % 2) === 1;

export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? copysign(Infinity, x) : Infinity;
    return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y === Infinity) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return pow(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  const ay = Math.abs(y);
  let yi = Math.trunc(ay);
  let yf = ay - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === y > 0 ? 0 : Infinity;
  }
  let a1 = 1.0;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
