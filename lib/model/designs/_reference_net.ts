/**
 * Private: runs a design's reference net on the reference latent and returns,
 * per denoising block, the extra keys/values its self-attention appends.
 *
 * Reference block j sees the reference tokens with the same timestep
 * modulation and text cross-attention as the denoising blocks. Its hidden
 * state at the input of self-attention, r̂ⱼ = norm1(rⱼ)·(1 + e₁) + e₀ (its own
 * modulation), is what Animate Anyone concatenates with the denoising tokens:
 * the denoising block i = inject[j] computes K and V over concat(x̂ᵢ, r̂ⱼ) with
 * ITS OWN k, v, norm_k and RoPE, i.e. k(r̂ⱼ), v(r̂ⱼ) are appended to its
 * keys/values (the `extraKV` hook). A narrower reference net projects r̂ⱼ to
 * the DiT's width first (`reference_net.proj.j`). Reference keys are rotated
 * at the reference's own grid positions (f 0, h ∈ [0, H'), w ∈ [0, W')), the
 * positions the reference net itself uses, spatially aligned with the video
 * like Animate Anyone's side-by-side concatenation.
 *
 * The last reference block's attention and FFN are never needed (only its
 * r̂ is); `resolveTrainable` leaves them out, as Moore-AnimateAnyone freezes
 * its reference UNet's unused top block.
 *
 * References: Animate Anyone (arXiv 2311.17117) §3.2 (spatial attention);
 * MooreThreads/Moore-AnimateAnyone `mutual_self_attention.py` (bank of
 * `norm_hidden_states`, `attn1(norm_hidden_states, encoder_hidden_states=cat(...))`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { layerNormPlain, linear, param, type ParamMap, rmsNorm, silu } from "../_nn.ts";
import { applyRope } from "../apply_rope.ts";
import { patchEmbed } from "../patch_embed.ts";
import { ropePositions } from "../rope_positions.ts";
import { ropeTables } from "../rope_tables.ts";
import { textEmbedding } from "../text_embedding.ts";
import { timeEmbedding } from "../time_embedding.ts";
import { wanBlock } from "../wan_block.ts";
import type { WanConfig } from "../wan_config.ts";
import type { KeyValue } from "../wan_self_attention.ts";
import type { DesignConfig } from "./design_config.ts";
import { referenceNetLayout } from "./_reference_net_config.ts";

/** @returns extra K/V per denoising block (undefined where nothing is injected); call inside a tidy. */
export function referenceNetKV(
  design: DesignConfig,
  model: { cfg: WanConfig; params: ParamMap },
  inputs: { reference: tf.Tensor; t: tf.Tensor | ArrayLike<number>; context: tf.Tensor },
): Array<KeyValue | undefined> {
  const { cfg, params } = model;
  const layout = referenceNetLayout(cfg, design);
  if (layout === null) throw new RangeError(`Cannot run a reference net for the ${design.kind} design`);
  const r = layout.cfg;
  const b = inputs.reference.shape[0];
  const n = cfg.num_heads, d = cfg.dim / cfg.num_heads;
  const { e, e0 } = timeEmbedding(params, inputs.t, { freqDim: cfg.freq_dim });
  const ctx = textEmbedding(params, inputs.context, { textLen: cfg.text_len }); // (B, text_len, dim)
  const e0r = layout.narrow
    ? tf.reshape(linear(params, "reference_net.time_proj", silu(e)), [b, 6, r.dim]) // (B, 6, d_r)
    : e0;
  const ctxr = layout.narrow ? linear(params, "reference_net.text_proj", ctx) : ctx; // (B, text_len, d_r)
  const { tokens, grid } = patchEmbed(params, inputs.reference, { prefix: "reference_net.patch_embedding" }); // (B, L', d_r)
  const len = tokens.shape[1] as number;
  const positions = ropePositions(grid);
  const ropeRef = ropeTables(positions, { headDim: d, numHeads: r.num_heads, batch: b });
  const ropeKV = r.num_heads === n ? ropeRef : ropeTables(positions, { headDim: d, numHeads: n, batch: b });
  const out: Array<KeyValue | undefined> = new Array(cfg.num_layers).fill(undefined);
  let h = tokens;
  for (let j = 0; j < r.num_layers; j++) {
    const prefix = `reference_net.blocks.${j}`;
    const mod = tf.split(tf.add(param(params, `${prefix}.modulation`), e0r), 6, 1); // 6 × (B, 1, d_r)
    let hat = tf.add(tf.mul(layerNormPlain(h, r.eps), tf.add(1, mod[1])), mod[0]); // (B, L', d_r)
    if (layout.narrow) hat = linear(params, `reference_net.proj.${j}`, hat); // (B, L', dim)
    const attn = `blocks.${layout.inject[j]}.self_attn`;
    let k = linear(params, `${attn}.k`, hat); // (B, L', dim)
    if (cfg.qk_norm) k = rmsNorm(params, `${attn}.norm_k`, k, cfg.eps);
    const v = tf.reshape(linear(params, `${attn}.v`, hat), [b, len, n, d]); // (B, L', N, d)
    out[layout.inject[j]] = { k: applyRope(tf.reshape(k, [b, len, n, d]), ropeKV), v }; // (B, L', N, d)
    if (j < r.num_layers - 1) {
      h = wanBlock(params, h, { prefix, cfg: r, e0: e0r, context: ctxr, rope: ropeRef });
    }
  }
  return out;
}
