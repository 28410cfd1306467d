/**
 * The forward pass of the Wan DiT (t2v), batched:
 * patch embedding → (+ added tokens) → (++ extra tokens) → time and text
 * embeddings → blocks with 3D RoPE → (drop extra tokens) → head → unpatchify.
 *
 * The hooks are what conditioning designs need: `addTokens` (e.g. pose tokens
 * added to the video tokens, `designs/pose_projection.ts`), `extraTokens`
 * (e.g. reference tokens appended along the sequence with their own, shifted,
 * RoPE positions and dropped before the head, `designs/concat_reference.ts`), `positions` (explicit video positions), and per-block `extraKV` /
 * `captureKV` (a Reference-Net's hidden states as extra keys/values).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.forward`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { patchEmbed } from "./patch_embed.ts";
import { ropePositions } from "./rope_positions.ts";
import { ropeTables } from "./rope_tables.ts";
import { textEmbedding } from "./text_embedding.ts";
import { timeEmbedding } from "./time_embedding.ts";
import { unpatchify } from "./unpatchify.ts";
import { wanBlock } from "./wan_block.ts";
import { wanHead } from "./wan_head.ts";
import { param, type ParamMap } from "./_nn.ts";
import type { TextKVCache } from "./text_kv_cache.ts";
import { crossAttentionKV, crossAttentionKVNames } from "./wan_cross_attention.ts";
import type { WanConfig } from "./wan_config.ts";
import type { KeyValue, KVCapture } from "./wan_self_attention.ts";

/** Inputs of {@link wanForward}. */
export interface WanInputs {
  /** Noisy latents [B, in_dim, F, H, W]. */
  x: tf.Tensor;
  /** Timesteps [B] in 0..1000 (t = 1000·σ); a tensor or numbers. */
  t: tf.Tensor | ArrayLike<number>;
  /** Text features [B, Lc, text_dim], Lc <= text_len (zero-padded inside). */
  context: tf.Tensor;
}

/** Options of {@link wanForward}. */
export interface WanForwardOptions {
  /** RoPE positions of the video tokens, row-major [L, 3]; default the patch grid. */
  positions?: ArrayLike<number>;
  /** Added to the video tokens after the patch embedding [B, L, dim]. */
  addTokens?: tf.Tensor;
  /** Tokens appended after the video tokens and dropped before the head. */
  extraTokens?: { tokens: tf.Tensor; positions: ArrayLike<number> };
  /** Per block index: keys/values appended in its self-attention. */
  extraKV?: ReadonlyArray<KeyValue | undefined>;
  /** Per block index: filled with that block's self-attention k/v (kept; the caller disposes). */
  captureKV?: ReadonlyArray<KVCapture | undefined>;
  /** Keeps the text side's per-block cross-attention K/V between calls on one context (used outside gradients). */
  textCache?: TextKVCache;
}

/**
 * @param model configuration and parameters
 * @param inputs x, t and context
 * @param options conditioning hooks
 * @returns the prediction (velocity for flow matching) [B, out_dim, F, H, W]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanForward } from "./wan_forward.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const model = { cfg, params: initWanParams(cfg, { prng: new Prng(0) }) };
 * const v = wanForward(model, { x: tf.zeros([1, 4, 2, 4, 4]), t: [500], context: tf.zeros([1, 3, 16]) });
 * console.log(v.shape); // [1, 4, 2, 4, 4]
 * ```
 */
export function wanForward(
  model: { cfg: WanConfig; params: ParamMap },
  inputs: WanInputs,
  options: WanForwardOptions = {},
): tf.Tensor {
  const { cfg, params } = model;
  const { x, t, context } = inputs;
  if (x.rank !== 5 || x.shape[1] !== cfg.in_dim) {
    throw new RangeError(`Cannot run the Wan DiT as x must be [B, ${cfg.in_dim}, F, H, W]: received [${x.shape}]`);
  }
  const b = x.shape[0];
  const tLen = t instanceof tf.Tensor ? (t.rank === 1 ? t.shape[0] : -1) : t.length;
  if (tLen !== b) {
    const got = t instanceof tf.Tensor ? `[${t.shape}]` : `length ${t.length}`;
    throw new RangeError(`Cannot run the Wan DiT as t must have shape [${b}]: received ${got}`);
  }
  if (context.rank !== 3 || context.shape[0] !== b || context.shape[2] !== cfg.text_dim) {
    throw new RangeError(
      `Cannot run the Wan DiT as context must be [${b}, Lc, ${cfg.text_dim}]: received [${context.shape}]`,
    );
  }
  const headDim = cfg.dim / cfg.num_heads;
  return tf.tidy(() => {
    const { tokens, grid } = patchEmbed(params, x); // (B, L, dim)
    const len = tokens.shape[1] as number;
    let h = tokens;
    if (options.addTokens) {
      if (!tf.util.arraysEqual(options.addTokens.shape, tokens.shape)) {
        throw new RangeError(
          `Cannot add tokens as they must be [${tokens.shape}]: received [${options.addTokens.shape}]`,
        );
      }
      h = tf.add(h, options.addTokens);
    }
    const positions = options.positions ?? ropePositions(grid);
    if (positions.length !== 3 * len) {
      throw new RangeError(
        `Cannot use RoPE positions as they must be [${len}, 3]: received length ${positions.length}`,
      );
    }
    let allPositions: ArrayLike<number> = positions;
    if (options.extraTokens) {
      const { tokens: extra, positions: extraPos } = options.extraTokens;
      if (extra.rank !== 3 || extra.shape[0] !== b || extra.shape[2] !== cfg.dim) {
        throw new RangeError(
          `Cannot append extra tokens as they must be [${b}, Le, ${cfg.dim}]: received [${extra.shape}]`,
        );
      }
      if (extraPos.length !== 3 * (extra.shape[1] as number)) {
        throw new RangeError(
          `Cannot append extra tokens as their positions must be [${
            extra.shape[1]
          }, 3]: received length ${extraPos.length}`,
        );
      }
      h = tf.concat([h, extra], 1); // (B, L+Le, dim)
      const merged = new Float64Array(positions.length + extraPos.length);
      merged.set(Array.from(positions));
      merged.set(Array.from(extraPos), positions.length);
      allPositions = merged;
    }
    const rope = ropeTables(allPositions, { headDim, numHeads: cfg.num_heads, batch: b });
    const { e, e0 } = timeEmbedding(params, t, { freqDim: cfg.freq_dim });
    const textKV = options.textCache?.lookup(context, textSideWeights(params, cfg), () => {
      const ctx = textEmbedding(params, context, { textLen: cfg.text_len }); // (B, text_len, dim)
      return Array.from(
        { length: cfg.num_layers },
        (_, i) =>
          crossAttentionKV(params, ctx, { prefix: `blocks.${i}.cross_attn`, eps: cfg.eps, qkNorm: cfg.qk_norm }),
      );
    });
    const ctx = textKV ? null : textEmbedding(params, context, { textLen: cfg.text_len }); // (B, text_len, dim)
    for (let i = 0; i < cfg.num_layers; i++) {
      h = wanBlock(params, h, {
        prefix: `blocks.${i}`,
        cfg,
        e0,
        context: ctx,
        contextKV: textKV?.[i],
        rope,
        extraKV: options.extraKV?.[i],
        capture: options.captureKV?.[i],
      });
    }
    if (options.extraTokens) h = tf.slice(h, [0, 0, 0], [b, len, cfg.dim]); // (B, L, dim)
    const out = wanHead(params, h, { e, eps: cfg.eps }); // (B, L, prod(patch)·out_dim)
    return unpatchify(out, { grid, patchSize: cfg.patch_size, outDim: cfg.out_dim });
  });
}

/** Every parameter the text side's K/V are computed from (text embedding, each block's K/V projections and norm). */
function textSideWeights(params: ParamMap, cfg: WanConfig): tf.Tensor[] {
  const names = Object.keys(params).filter((n) => n.startsWith("text_embedding."));
  for (let i = 0; i < cfg.num_layers; i++) names.push(...crossAttentionKVNames(`blocks.${i}.cross_attn`, cfg.qk_norm));
  return names.map((n) => param(params, n));
}
