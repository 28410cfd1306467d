/**
 * Conversions between float32 and the two 16-bit float formats of
 * safetensors: IEEE 754 binary16 ("F16") and bfloat16 ("BF16").
 *
 * References: IEEE 754-2008 §3.6 (binary16: 1 sign, 5 exponent, 10 fraction
 * bits, bias 15); bfloat16 = the upper 16 bits of a binary32.
 */

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

let halfTable: Float32Array | null = null;

/** float32 value of one binary16 bit pattern (exact: every half is a float). */
function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero or subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** @returns a 65536-entry table from binary16 bits to float32, built once. */
function table(): Float32Array {
  if (halfTable === null) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfBitsToFloat(h);
  }
  return halfTable;
}

/**
 * Decodes binary16 bit patterns to float32.
 * @param bits binary16 bit patterns
 * @returns float32 values, one per pattern
 */
export function f16ToF32(bits: Uint16Array): Float32Array {
  const t = table();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i]];
  return out;
}

/**
 * Decodes bfloat16 bit patterns to float32 (exact: shift into the top half).
 * @param bits bfloat16 bit patterns
 * @returns float32 values, one per pattern
 */
export function bf16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i] << 16;
  return out;
}

/**
 * Rounds one float32 to binary16 bits, round-to-nearest-even; overflow goes
 * to ±Inf, tiny values to subnormals or ±0, NaN to a quiet NaN of the same sign.
 * @param x a number (first rounded to float32)
 * @returns the binary16 bit pattern
 */
export function floatToHalfBits(x: number): number {
  F32[0] = x;
  const b = U32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | (mant ? 0x7e00 : 0x7c00);
  // Unbiased exponent e = exp - 127; half normal range is e in [-14, 15].
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Normal half: keep 10 of the 23 mantissa bits, round to nearest even.
    let h = ((e + 15) << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // may carry into the exponent (correct, incl. → Inf)
    return sign | h;
  }
  if (e < -25) return sign; // below half the smallest subnormal: ±0
  // Subnormal half: value = m · 2^-24 with m = full mantissa (with hidden bit) >> shift.
  const full = mant | 0x800000;
  const shift = -e - 1; // 14 … 24: bits dropped from the 24-bit significand
  let h = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1))) h++;
  return sign | h;
}

/**
 * Rounds float32 values to bfloat16 bits, round-to-nearest-even; NaN stays a
 * quiet NaN of the same sign.
 * @param x one float32 value
 * @returns the bfloat16 bit pattern
 */
export function floatToBf16Bits(x: number): number {
  F32[0] = x;
  const b = U32[0];
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff)) return ((b >>> 16) | 0x40) & 0xffff;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}
