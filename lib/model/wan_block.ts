/**
 * One Wan transformer block (t2v), with the modulation of the original:
 *
 *   (e₀…e₅) = modulation + e0                       [B, 1, dim] each
 *   x ← x + self_attn(norm1(x)·(1+e₁) + e₀) · e₂
 *   x ← x + cross_attn(norm3(x), context)
 *   x ← x + ffn(norm2(x)·(1+e₄) + e₃) · e₅
 *
 * norm1/norm2 are LayerNorms without affine, norm3 is affine when
 * `cross_attn_norm` (identity otherwise); ffn = Linear → GELU(tanh) → Linear.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanAttentionBlock.forward`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { gatedAdd, geluTanh, layerNorm, linear, modulatedLayerNorm, param, type ParamMap } from "./_nn.ts";
import type { RopeTables } from "./rope_tables.ts";
import type { WanConfig } from "./wan_config.ts";
import { wanCrossAttention } from "./wan_cross_attention.ts";
import { type KeyValue, type KVCapture, wanSelfAttention } from "./wan_self_attention.ts";

/** Options of {@link wanBlock}. */
export interface WanBlockOptions {
  /** Parameter prefix of the block, e.g. `blocks.3`. */
  prefix: string;
  /** Model configuration (num_heads, eps, qk_norm, cross_attn_norm). */
  cfg: WanConfig;
  /** Shared modulation from the time embedding [B, 6, dim]. */
  e0: tf.Tensor;
  /** Embedded text context [B, text_len, dim] (null when `contextKV` is given). */
  context: tf.Tensor | null;
  /** The cross-attention's keys and values, precomputed from the context (a text cache's). */
  contextKV?: { k: tf.Tensor; v: tf.Tensor };
  /** RoPE tables for the L tokens of x. */
  rope: RopeTables;
  /** Keys/values appended in self-attention (e.g. from a Reference-Net). */
  extraKV?: KeyValue;
  /** Receives this block's self-attention k/v (kept; the caller disposes). */
  capture?: KVCapture;
}

/**
 * @param params DiT parameters (`${prefix}.*`)
 * @param x tokens [B, L, dim]
 * @param options block prefix, configuration, conditioning and hooks
 * @returns tokens [B, L, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanBlock } from "./wan_block.ts";
 * import { ropeTables } from "./rope_tables.ts";
 * import { ropePositions } from "./rope_positions.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const params = initWanParams(cfg, { prng: new Prng(0) });
 * const rope = ropeTables(ropePositions([1, 2, 2]), { headDim: 16 });
 * const y = wanBlock(params, tf.ones([1, 4, 32]), {
 *   prefix: "blocks.0", cfg, e0: tf.zeros([1, 6, 32]), context: tf.zeros([1, 8, 32]), rope,
 * });
 * console.log(y.shape); // [1, 4, 32]
 * ```
 */
export function wanBlock(params: ParamMap, x: tf.Tensor, options: WanBlockOptions): tf.Tensor {
  const { prefix, cfg, e0, context, rope } = options;
  const [b, , dim] = x.shape;
  if (e0.rank !== 3 || e0.shape[0] !== b || e0.shape[1] !== 6 || e0.shape[2] !== dim) {
    throw new RangeError(`Cannot run ${prefix} as e0 must be [${b}, 6, ${dim}]: received [${e0.shape}]`);
  }
  const heads = { numHeads: cfg.num_heads, eps: cfg.eps, qkNorm: cfg.qk_norm };
  return tf.tidy(() => {
    const e = tf.split(tf.add(param(params, `${prefix}.modulation`), e0), 6, 1); // 6 × (B, 1, dim)
    const h1 = modulatedLayerNorm(x, { shift: e[0], scale: e[1] }, cfg.eps);
    const y1 = wanSelfAttention(params, h1, {
      ...heads,
      prefix: `${prefix}.self_attn`,
      rope,
      extraKV: options.extraKV,
      capture: options.capture,
    });
    let h = gatedAdd(x, y1, e[2]);
    const h3 = cfg.cross_attn_norm ? layerNorm(params, `${prefix}.norm3`, h, cfg.eps) : h;
    h = tf.add(
      h,
      wanCrossAttention(params, h3, {
        ...heads,
        prefix: `${prefix}.cross_attn`,
        context,
        kv: options.contextKV,
      }),
    );
    const h2 = modulatedLayerNorm(h, { shift: e[3], scale: e[4] }, cfg.eps);
    const y2 = linear(params, `${prefix}.ffn.2`, geluTanh(linear(params, `${prefix}.ffn.0`, h2)));
    return gatedAdd(h, y2, e[5]);
  });
}
