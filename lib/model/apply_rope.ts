/**
 * Rotates adjacent channel pairs (2i, 2i+1) of q or k by the RoPE angles
 * (a complex multiply): (a, b) → (a·cos − b·sin, a·sin + b·cos).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`rope_apply`:
 * `view_as_complex(x.reshape(seq_len, n, -1, 2)) * freqs`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { RopeTables } from "./rope_tables.ts";

/**
 * @param x [B, L, N, d]
 * @param rope tables for L tokens and head dim d
 * @returns the rotated tensor [B, L, N, d]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { applyRope } from "./apply_rope.ts";
 * import { ropeTables } from "./rope_tables.ts";
 * const rope = ropeTables([0, 0, 0], { headDim: 6 });
 * const y = applyRope(tf.ones([1, 1, 1, 6]), rope); // position 0: identity
 * ```
 */
export function applyRope(x: tf.Tensor, rope: RopeTables): tf.Tensor {
  if (x.rank !== 4 || x.shape[1] !== rope.length || x.shape[3] !== rope.headDim) {
    throw new RangeError(
      `Cannot apply RoPE as x must be [B, ${rope.length}, N, ${rope.headDim}]: received [${x.shape}]`,
    );
  }
  const [b, l, n, d] = x.shape;
  return tf.tidy(() => {
    const pairs = tf.reshape(x, [b, l, n, d / 2, 2]); // (B, L, N, d/2, 2)
    const [re, im] = tf.split(pairs, 2, 4); // (B, L, N, d/2, 1) each
    const outRe = tf.sub(tf.mul(re, rope.cos), tf.mul(im, rope.sin));
    const outIm = tf.add(tf.mul(re, rope.sin), tf.mul(im, rope.cos));
    return tf.reshape(tf.concat([outRe, outIm], 4), [b, l, n, d]); // (B, L, N, d)
  });
}
