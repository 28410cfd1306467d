/**
 * The text cross-attention of a Wan block (t2v): q from the video tokens,
 * k and v from the embedded context, q/k RMSNorm over the full width, no
 * RoPE and no mask (padded context rows are attended to, as in the original).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanT2VCrossAttention`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { linear, type ParamMap, rmsNorm } from "./_nn.ts";
import { attention } from "./attention.ts";

/** Options of {@link wanCrossAttention}. */
export interface WanCrossAttentionOptions {
  /** Parameter prefix, e.g. `blocks.3.cross_attn`. */
  prefix: string;
  numHeads: number;
  eps: number;
  qkNorm: boolean;
  /** Embedded context [B, Lc, dim] (unused when `kv` is given). */
  context: tf.Tensor | null;
  /** This block's keys and values precomputed by {@link crossAttentionKV} (a text cache's). */
  kv?: { k: tf.Tensor; v: tf.Tensor };
}

/**
 * The keys and values the text cross-attention reads: k = norm_k(k(context)), v = v(context).
 * @param params parameters holding `${prefix}.{k,v}` and, with qkNorm, `${prefix}.norm_k`
 * @param context embedded context [B, Lc, dim]
 * @param options prefix, eps, qkNorm
 * @returns k and v, [B, Lc, dim] each
 */
export function crossAttentionKV(
  params: ParamMap,
  context: tf.Tensor,
  options: { prefix: string; eps: number; qkNorm: boolean },
): { k: tf.Tensor; v: tf.Tensor } {
  const { prefix, eps } = options;
  return tf.tidy(() => {
    const k = linear(params, `${prefix}.k`, context); // (B, Lc, dim)
    return {
      k: options.qkNorm ? rmsNorm(params, `${prefix}.norm_k`, k, eps) : k,
      v: linear(params, `${prefix}.v`, context), // (B, Lc, dim)
    };
  });
}

/** Names of the parameters {@link crossAttentionKV} reads. */
export function crossAttentionKVNames(prefix: string, qkNorm: boolean): string[] {
  const names = [`${prefix}.k.weight`, `${prefix}.k.bias`, `${prefix}.v.weight`, `${prefix}.v.bias`];
  return qkNorm ? [...names, `${prefix}.norm_k.weight`] : names;
}

/**
 * @param params parameters holding `${prefix}.{q,k,v,o}` and, with qkNorm, `${prefix}.norm_{q,k}`
 * @param x [B, L, dim]
 * @param options heads, eps and the context
 * @returns [B, L, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanCrossAttention } from "./wan_cross_attention.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const y = wanCrossAttention(params, tf.ones([1, 4, 32]), {
 *   prefix: "blocks.0.cross_attn", numHeads: 2, eps: 1e-6, qkNorm: true, context: tf.ones([1, 8, 32]),
 * });
 * console.log(y.shape); // [1, 4, 32]
 * ```
 */
export function wanCrossAttention(params: ParamMap, x: tf.Tensor, options: WanCrossAttentionOptions): tf.Tensor {
  const { prefix, numHeads: n, eps, context } = options;
  const [b, l, dim] = x.shape;
  const d = dim / n;
  const source = options.kv?.k ?? context;
  if (!source || source.rank !== 3 || source.shape[0] !== b || source.shape[2] !== dim) {
    const what = options.kv ? "the precomputed k" : "context";
    throw new RangeError(
      `Cannot cross-attend in ${prefix} as ${what} must be [${b}, Lc, ${dim}]: received [${source?.shape ?? "none"}]`,
    );
  }
  return tf.tidy(() => {
    let q = linear(params, `${prefix}.q`, x); // (B, L, dim)
    if (options.qkNorm) q = rmsNorm(params, `${prefix}.norm_q`, q, eps);
    const { k, v } = options.kv ?? crossAttentionKV(params, context!, { prefix, eps, qkNorm: options.qkNorm });
    const att = attention(tf.reshape(q, [b, l, n, d]), {
      k: tf.reshape(k, [b, -1, n, d]), // (B, Lc, N, d)
      v: tf.reshape(v, [b, -1, n, d]),
    });
    const y = tf.reshape(att, [b, l, dim]); // (B, L, dim)
    return linear(params, `${prefix}.o`, y);
  });
}
