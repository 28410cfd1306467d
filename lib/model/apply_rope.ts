/**
 * Rotates adjacent channel pairs (2i, 2i+1) of q or k by the RoPE angles
 * (a complex multiply): (a, b) → (a·cos − b·sin, a·sin + b·cos), computed as
 * x·cos + swapPairs(x)·sin with the tables of {@link ropeTables}, by the
 * engine's `rotatePairs` (one kernel forward and backward on the blas backend).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`rope_apply`:
 * `view_as_complex(x.reshape(seq_len, n, -1, 2)) * freqs`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { rotatePairs } from "../engine/rotate_pairs.ts";
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
  const [tb, , tn] = rope.cos.shape;
  if ((tb !== 1 && tb !== x.shape[0]) || (tn !== 1 && tn !== x.shape[2])) {
    throw new RangeError(
      `Cannot apply RoPE as tables laid out for batch ${tb}, ${tn} heads do not fit x [${x.shape}]`,
    );
  }
  // x·cos + swapPairs(x)·sin, with sin = (−sin θ, +sin θ) per pair.
  return rotatePairs(x, { cos: rope.cos, sin: rope.sin });
}
