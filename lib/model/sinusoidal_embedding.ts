/**
 * The sinusoidal timestep embedding of Wan, computed with tensor ops on the
 * device (no read of `t`, so it runs inside a model on every backend,
 * including webgpu, which has no synchronous read-back).
 *
 * For half = dim / 2 and i in [0, half): angle = t · 10000^(−i/half);
 * embedding = [cos(angle_0..half−1), sin(angle_0..half−1)] (cos first).
 *
 * Wan computes the angles in float64. A float32 angle of t ≈ 1000 is off by up
 * to 3e-5 rad, so here the product is formed exactly from 12-bit halves (t split
 * by Veltkamp's method, each frequency split on the host) and reduced to
 * [−π, π] by a three-part 2π (Cody–Waite) before cos/sin. On the cpu backend
 * the result is within 1.5e-7 of the float64 original for 0 ≤ t ≤ 1000 (one
 * or two float32 ulps; a plain float32 angle: 6e-5), 1.1e-6 up to t = 25 000.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`sinusoidal_embedding_1d`);
 * T. J. Dekker (1971), "A floating-point technique for extending the available
 * precision" (exact split products); W. J. Cody and W. Waite (1980), "Software
 * Manual for the Elementary Functions" (additive range reduction).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** 2π = C1 + C2 + C3 with C1, C2 of 12 significant bits, so k·C1 and k·C2 are exact for |k| < 4096. */
const TWO_PI = 2 * Math.PI;
const C1 = top12(TWO_PI);
const C2 = top12(TWO_PI - C1);
const C3 = Math.fround(TWO_PI - C1 - C2);

/** The float32 value of x keeping only its 12 leading significant bits. */
function top12(x: number): number {
  if (x === 0) return 0;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const unit = Math.pow(2, e - 11);
  return Math.trunc(x / unit) * unit;
}

/**
 * @param positions timesteps [B]: a float32 tensor (not read on the host; no
 *   gradient flows to it) or numbers (checked to be finite)
 * @param dim embedding width, even
 * @returns a float32 tensor [B, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { sinusoidalEmbedding } from "./sinusoidal_embedding.ts";
 * const e = sinusoidalEmbedding([0], 4);
 * console.log(Array.from(await e.data())); // [1, 1, 0, 0]
 * ```
 */
export function sinusoidalEmbedding(positions: tf.Tensor | ArrayLike<number>, dim: number): tf.Tensor2D {
  if (!Number.isInteger(dim) || dim <= 0 || dim % 2 !== 0) {
    throw new RangeError(`Cannot build a sinusoidal embedding as dim must be a positive even integer: received ${dim}`);
  }
  if (positions instanceof tf.Tensor) {
    if (positions.rank !== 1) {
      throw new RangeError(`Cannot build a sinusoidal embedding as timesteps must have shape [B]: received [${positions.shape}]`);
    }
  } else {
    for (let b = 0; b < positions.length; b++) {
      if (!Number.isFinite(positions[b])) {
        throw new RangeError(
          `Cannot build a sinusoidal embedding as timesteps must be finite: received ${positions[b]} at ${b}`,
        );
      }
    }
  }
  const half = dim / 2;
  // Frequencies split on the host (float64): f = fHi + fLo, fHi of 12 bits.
  const fHi = new Float32Array(half), fLo = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const f = Math.pow(10000, -i / half);
    fHi[i] = top12(f);
    fLo[i] = f - fHi[i];
  }
  return tf.tidy(() => {
    const t = positions instanceof tf.Tensor
      ? tf.cast(positions, "float32")
      : tf.tensor1d(Float32Array.from(positions as ArrayLike<number>));
    const n = t.shape[0];
    // Veltkamp split: t = tHi + tLo, tHi of 12 bits (exact in float32 arithmetic).
    const c = tf.mul(t, 4097);
    const tHi = tf.reshape(tf.sub(c, tf.sub(c, t)), [n, 1]); // (B, 1)
    const tLo = tf.sub(tf.reshape(t, [n, 1]), tHi); // (B, 1)
    const hi = tf.tensor2d(fHi, [1, half]), lo = tf.tensor2d(fLo, [1, half]);
    const p1 = tf.mul(tHi, hi); // (B, half), exact: 12 × 12 bits
    const k = tf.round(tf.mul(p1, 1 / TWO_PI)); // (B, half), whole turns
    // r = angle − 2πk: p1 − k·C1 is exact (Sterbenz); the small terms are summed first so that
    // only the last addition rounds at the magnitude of r.
    const cross = tf.add(tf.add(tf.mul(tHi, lo), tf.mul(tLo, hi)), tf.mul(tLo, lo)); // (B, half)
    const small = tf.sub(cross, tf.add(tf.mul(k, C2), tf.mul(k, C3))); // (B, half)
    const r = tf.add(tf.sub(p1, tf.mul(k, C1)), small); // (B, half), in [−π, π]
    return tf.concat([tf.cos(r), tf.sin(r)], 1) as tf.Tensor2D; // (B, dim)
  });
}
