/**
 * The self-attention of a Wan block: q, k, v Linear; q and k RMSNorm over the
 * full width (all heads together); 3D RoPE on q and k; softmax attention; `o`.
 *
 * Extra keys/values (already projected, normalised and rotated, e.g. a
 * Reference-Net's per-block hidden states) can be appended to this block's own
 * keys/values, and the block's own rotated k and v can be captured for reuse.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanSelfAttention`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { linear, type ParamMap, rmsNorm } from "./_nn.ts";
import { applyRope } from "./apply_rope.ts";
import { attention } from "./attention.ts";
import type { RopeTables } from "./rope_tables.ts";

/** Keys and values [B, L, N, d] (keys already rotated). */
export interface KeyValue {
  k: tf.Tensor;
  v: tf.Tensor;
}

/** A holder that {@link wanSelfAttention} fills with kept tensors; the caller disposes them. */
export interface KVCapture {
  k?: tf.Tensor;
  v?: tf.Tensor;
  /** With `withQuery`: the block's rotated queries [B, L, N, d] (for attention diagnostics). */
  q?: tf.Tensor;
  /** Also capture the queries. */
  withQuery?: boolean;
}

/** Options of {@link wanSelfAttention}. */
export interface WanSelfAttentionOptions {
  /** Parameter prefix, e.g. `blocks.3.self_attn`. */
  prefix: string;
  numHeads: number;
  eps: number;
  /** RMSNorm on q and k (`norm_q`, `norm_k`). */
  qkNorm: boolean;
  /** RoPE tables for the L tokens of x. */
  rope: RopeTables;
  /** Keys/values appended to this block's own along the sequence. */
  extraKV?: KeyValue;
  /** Receives this block's rotated k and normal v [B, L, N, d]. */
  capture?: KVCapture;
}

/**
 * @param params parameters holding `${prefix}.{q,k,v,o}` and, with qkNorm, `${prefix}.norm_{q,k}`
 * @param x [B, L, dim] (already normalised and modulated)
 * @param options heads, eps, RoPE and the extra K/V hooks
 * @returns [B, L, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanSelfAttention } from "./wan_self_attention.ts";
 * import { ropeTables } from "./rope_tables.ts";
 * import { ropePositions } from "./rope_positions.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const rope = ropeTables(ropePositions([1, 2, 2]), { headDim: 16 });
 * const y = wanSelfAttention(params, tf.ones([1, 4, 32]), { prefix: "blocks.0.self_attn", numHeads: 2, eps: 1e-6, qkNorm: true, rope });
 * console.log(y.shape); // [1, 4, 32]
 * ```
 */
export function wanSelfAttention(params: ParamMap, x: tf.Tensor, options: WanSelfAttentionOptions): tf.Tensor {
  const { prefix, numHeads: n, eps, rope } = options;
  const [b, l, dim] = x.shape;
  const d = dim / n;
  return tf.tidy(() => {
    let q = linear(params, `${prefix}.q`, x); // (B, L, dim)
    let k = linear(params, `${prefix}.k`, x);
    if (options.qkNorm) {
      q = rmsNorm(params, `${prefix}.norm_q`, q, eps);
      k = rmsNorm(params, `${prefix}.norm_k`, k, eps);
    }
    const v = tf.reshape(linear(params, `${prefix}.v`, x), [b, l, n, d]); // (B, L, N, d)
    const qr = applyRope(tf.reshape(q, [b, l, n, d]), rope); // (B, L, N, d)
    const kr = applyRope(tf.reshape(k, [b, l, n, d]), rope); // (B, L, N, d)
    if (options.capture) {
      options.capture.k = tf.keep(kr);
      options.capture.v = tf.keep(v);
      if (options.capture.withQuery) options.capture.q = tf.keep(qr);
    }
    let kAll = kr, vAll = v;
    if (options.extraKV) {
      const { k: ek, v: ev } = options.extraKV;
      if (
        ek.rank !== 4 || ek.shape[0] !== b || ek.shape[2] !== n || ek.shape[3] !== d ||
        !tf.util.arraysEqual(ek.shape, ev.shape)
      ) {
        throw new RangeError(
          `Cannot append extra K/V in ${prefix} as they must be [${b}, Le, ${n}, ${d}]: received k [${ek.shape}], v [${ev.shape}]`,
        );
      }
      kAll = tf.concat([kr, ek], 1); // (B, L+Le, N, d)
      vAll = tf.concat([v, ev], 1); // (B, L+Le, N, d)
    }
    const y = tf.reshape(attention(qr, { k: kAll, v: vAll }), [b, l, dim]); // (B, L, dim)
    return linear(params, `${prefix}.o`, y);
  });
}
