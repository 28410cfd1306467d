/**
 * The sinusoidal timestep embedding of Wan, computed on the host in float64
 * (as the original does) and returned as float32.
 *
 * For half = dim / 2 and i in [0, half): angle = t · 10000^(−i/half);
 * embedding = [cos(angle_0..half−1), sin(angle_0..half−1)] (cos first).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`sinusoidal_embedding_1d`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * @param positions timesteps (any real values, typically 0..1000)
 * @param dim embedding width, even
 * @returns a float32 tensor [positions.length, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { sinusoidalEmbedding } from "./sinusoidal_embedding.ts";
 * const e = sinusoidalEmbedding([0], 4);
 * console.log(Array.from(e.dataSync())); // [1, 1, 0, 0]
 * ```
 */
export function sinusoidalEmbedding(positions: ArrayLike<number>, dim: number): tf.Tensor2D {
  if (!Number.isInteger(dim) || dim <= 0 || dim % 2 !== 0) {
    throw new RangeError(`Cannot build a sinusoidal embedding as dim must be a positive even integer: received ${dim}`);
  }
  const half = dim / 2;
  const n = positions.length;
  const out = new Float32Array(n * dim);
  for (let b = 0; b < n; b++) {
    const t = positions[b];
    if (!Number.isFinite(t)) {
      throw new RangeError(`Cannot build a sinusoidal embedding as timesteps must be finite: received ${t} at ${b}`);
    }
    for (let i = 0; i < half; i++) {
      const angle = t * Math.pow(10000, -i / half);
      out[b * dim + i] = Math.cos(angle);
      out[b * dim + half + i] = Math.sin(angle);
    }
  }
  return tf.tensor2d(out, [n, dim]);
}
