/**
 * Named DiT sizes, one typed registry (like Wan's `WAN_CONFIGS` and DiT's
 * `DiT_models`). Defaults live here and nowhere else.
 *
 * References: Wan-Video/Wan2.1 `wan/configs/wan_t2v_1_3B.py`,
 * `wan/configs/shared_config.py` (text_len 512), `wan/modules/model.py`
 * (qk_norm, cross_attn_norm, eps defaults of `WanModel`).
 *
 * @module
 */
import type { WanConfig } from "./wan_config.ts";

const WAN_T2V = { model_type: "t2v", patch_size: [1, 2, 2], qk_norm: true, cross_attn_norm: true, eps: 1e-6 } as const;

/**
 * The model presets.
 *
 * - `wan-smoke`: CI-fast, a forward in milliseconds.
 * - `wan-toy`: what the ablations train on one CPU (4-channel latents, head_dim 32;
 *   a pretraining run gives it the VAE's channels). text_len 128 holds the
 *   synthetic captions whole (BOS + words + EOS: median 56, p99 121, max 133
 *   over 3000 pretraining captions); with 16, every caption lost its action,
 *   scene and lighting.
 * - `wan-small`: wan-toy twice as wide and 1.5× as deep (dim 256, 6 layers, 8 heads of
 *   head_dim 32; 6.9 M parameters, 5.6× wan-toy's), for a foundation with
 *   more capacity: about 2.4× wan-toy's step time at batch 16 and 48 tokens on 2 threads
 *   (0.99 vs 0.41 s).
 * - `wan-bench`: a heavier CPU benchmark with Wan's 16 latent channels.
 * - `wan2.1-t2v-1.3b`: the released Wan2.1-T2V-1.3B (1,418,996,800 parameters).
 *
 * @example
 * ```ts
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * console.log(MODEL_PRESETS["wan2.1-t2v-1.3b"].dim); // 1536
 * ```
 */
export const MODEL_PRESETS = {
  "wan-smoke": {
    ...WAN_T2V,
    text_len: 8,
    in_dim: 4,
    dim: 32,
    ffn_dim: 64,
    freq_dim: 16,
    text_dim: 16,
    out_dim: 4,
    num_heads: 2,
    num_layers: 2,
  },
  "wan-toy": {
    ...WAN_T2V,
    text_len: 128,
    in_dim: 4,
    dim: 128,
    ffn_dim: 512,
    freq_dim: 64,
    text_dim: 64,
    out_dim: 4,
    num_heads: 4,
    num_layers: 4,
  },
  "wan-small": {
    ...WAN_T2V,
    text_len: 128,
    in_dim: 4,
    dim: 256,
    ffn_dim: 1024,
    freq_dim: 64,
    text_dim: 64,
    out_dim: 4,
    num_heads: 8,
    num_layers: 6,
  },
  "wan-bench": {
    ...WAN_T2V,
    text_len: 16,
    in_dim: 16,
    dim: 256,
    ffn_dim: 1024,
    freq_dim: 64,
    text_dim: 64,
    out_dim: 16,
    num_heads: 4,
    num_layers: 4,
  },
  "wan2.1-t2v-1.3b": {
    ...WAN_T2V,
    text_len: 512,
    in_dim: 16,
    dim: 1536,
    ffn_dim: 8960,
    freq_dim: 256,
    text_dim: 4096,
    out_dim: 16,
    num_heads: 12,
    num_layers: 30,
  },
} as const satisfies Record<string, WanConfig>;

/** A key of {@link MODEL_PRESETS}. */
export type PresetName = keyof typeof MODEL_PRESETS;

/**
 * Looks a preset up by a name that comes from outside (CLI, JSON).
 *
 * @param name a preset name
 * @returns the preset
 * @example
 * ```ts
 * import { getPreset } from "./model_presets.ts";
 * console.log(getPreset("wan-toy").num_layers); // 4
 * ```
 */
export function getPreset(name: string): WanConfig {
  if (!Object.hasOwn(MODEL_PRESETS, name)) {
    throw new RangeError(
      `Unknown model preset "${name}": expected one of ${Object.keys(MODEL_PRESETS).join(", ")}`,
    );
  }
  return MODEL_PRESETS[name as PresetName];
}
