/**
 * Turns head outputs back into latents: each token's prod(patch)·c values are
 * read in (pt, ph, pw, c) order and placed at its patch.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.unpatchify`,
 * einsum 'fhwpqrc->cfphqwr').
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Options of {@link unpatchify}. */
export interface UnpatchifyOptions {
  /** The patch grid (F', H', W'). */
  grid: readonly [number, number, number];
  /** Patch size (pt, ph, pw). */
  patchSize: readonly [number, number, number];
  /** Output channels c. */
  outDim: number;
}

/**
 * @param x [B, F'·H'·W', pt·ph·pw·c]
 * @param options grid, patch size and channels
 * @returns [B, c, F'·pt, H'·ph, W'·pw]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { unpatchify } from "./unpatchify.ts";
 * const y = unpatchify(tf.zeros([1, 2, 8]), { grid: [1, 1, 2], patchSize: [1, 2, 2], outDim: 2 });
 * console.log(y.shape); // [1, 2, 1, 2, 4]
 * ```
 */
export function unpatchify(x: tf.Tensor, options: UnpatchifyOptions): tf.Tensor {
  const [f, h, w] = options.grid;
  const [pt, ph, pw] = options.patchSize;
  const c = options.outDim;
  const b = x.shape[0];
  if (x.rank !== 3 || x.shape[1] !== f * h * w || x.shape[2] !== pt * ph * pw * c) {
    throw new RangeError(
      `Cannot unpatchify as x must be [B, ${f * h * w}, ${pt * ph * pw * c}]: received [${x.shape}]`,
    );
  }
  return tf.tidy(() => {
    const x8 = tf.reshape(x, [b, f, h, w, pt, ph, pw, c]); // (B, F', H', W', pt, ph, pw, c)
    const x8t = tf.transpose(x8, [0, 7, 1, 4, 2, 5, 3, 6]); // (B, c, F', pt, H', ph, W', pw)
    return tf.reshape(x8t, [b, c, f * pt, h * ph, w * pw]); // (B, c, F, H, W)
  });
}
