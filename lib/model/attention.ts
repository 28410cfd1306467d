/**
 * Plain softmax attention with heads, the exact float32 computation that
 * Wan's `flash_attention` approximates (without key masking: Wan passes no
 * mask to cross-attention, and self-attention masks only padding that this
 * port never adds).
 *
 * softmax(q·kᵀ · scale) · v, scale = 1/√d by default; computed by the engine's
 * `simdAttention` (`fusedAttention` with the softmax exponentials in SIMD: a
 * fused kernel on the blas backend, composed tf ops elsewhere).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/attention.py` (`flash_attention`,
 * softmax_scale default of flash-attn: 1/√d).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { simdAttention } from "../engine/simd_attention.ts";

/** Options of {@link attention}. */
export interface AttentionOptions {
  /** Multiplies q·kᵀ; default 1/√d. */
  scale?: number;
  /** Additive bias broadcastable to [B, N, Lq, Lk] (e.g. T5's position bias and mask). */
  bias?: tf.Tensor;
}

/**
 * @param q queries [B, Lq, N, d]
 * @param kv keys and values, each [B, Lk, N, d]
 * @param options scale and bias
 * @returns [B, Lq, N, d]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { attention } from "./attention.ts";
 * const q = tf.ones([1, 2, 1, 4]);
 * const out = attention(q, { k: q, v: q }); // all ones
 * ```
 */
export function attention(q: tf.Tensor, kv: { k: tf.Tensor; v: tf.Tensor }, options: AttentionOptions = {}): tf.Tensor {
  const { k, v } = kv;
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4) {
    throw new RangeError(
      `Cannot compute attention as q, k, v must be [B, L, N, d]: received [${q.shape}], [${k.shape}], [${v.shape}]`,
    );
  }
  if (
    k.shape[0] !== q.shape[0] || k.shape[2] !== q.shape[2] || k.shape[3] !== q.shape[3] ||
    !tf.util.arraysEqual(k.shape, v.shape)
  ) {
    throw new RangeError(`Cannot compute attention as shapes disagree: q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  }
  // One fused kernel (forward and backward) on the blas backend, the same composed ops elsewhere.
  return simdAttention(q, kv, options);
}
