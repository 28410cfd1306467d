/**
 * Sizes of the small umT5-style text encoders that the small DiT presets
 * train alongside the DiT (their `dim` is the DiT's `text_dim`). Keys as in
 * Wan's T5 constructors.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/t5.py` (`umt5_xxl`: dim 4096,
 * dim_attn 4096, dim_ffn 10240, 64 heads, 24 layers, 32 buckets, per-layer
 * position bias; `T5RelativeEmbedding` max_dist 128).
 *
 * @module
 */

/** Hyper-parameters of a T5-style encoder (vocabulary size comes from the tokenizer). */
export interface TextEncoderConfig {
  /** Width of the output features (= the DiT's text_dim). */
  readonly dim: number;
  /** Width of q/k/v (num_heads × head dim). */
  readonly dim_attn: number;
  /** Hidden width of the gated-GELU FFN. */
  readonly dim_ffn: number;
  readonly num_heads: number;
  readonly num_layers: number;
  /** Relative-position buckets (half per direction). */
  readonly num_buckets: number;
  /** Distance beyond which relative positions share the last bucket (128 in Wan's T5Encoder, fixed there). */
  readonly max_dist: number;
  /** RMSNorm epsilon (T5: 1e-6). */
  readonly eps: number;
}

/** The encoder the CPU-sized DiTs (`wan-toy`, `wan-small`, `wan-bench`) share: 91 k parameters over the synthetic captions' vocabulary. */
const SMALL_TEXT_ENCODER = {
  dim: 64,
  dim_attn: 64,
  dim_ffn: 128,
  num_heads: 4,
  num_layers: 2,
  num_buckets: 16,
  max_dist: 128,
  eps: 1e-6,
} as const satisfies TextEncoderConfig;

/**
 * The text-encoder presets, keyed like `MODEL_PRESETS` (the 1.3B model takes
 * real umT5-XXL features instead).
 *
 * @example
 * ```ts
 * import { TEXT_ENCODER_PRESETS } from "./text_encoder_presets.ts";
 * console.log(TEXT_ENCODER_PRESETS["wan-toy"].dim); // 64
 * ```
 */
export const TEXT_ENCODER_PRESETS = {
  "wan-smoke": {
    dim: 16,
    dim_attn: 16,
    dim_ffn: 32,
    num_heads: 2,
    num_layers: 1,
    num_buckets: 8,
    max_dist: 128,
    eps: 1e-6,
  },
  "wan-toy": SMALL_TEXT_ENCODER,
  "wan-small": SMALL_TEXT_ENCODER,
  "wan-bench": SMALL_TEXT_ENCODER,
} as const satisfies Record<string, TextEncoderConfig>;
