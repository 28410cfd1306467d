/**
 * The configuration of a Wan-2.1 DiT, with Wan's own key names so that a
 * `config.json` of an official checkpoint maps onto it one to one.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.__init__`),
 * `wan/configs/wan_t2v_1_3B.py`.
 *
 * @module
 */

/** Hyper-parameters of `WanModel` (text-to-video variant). Keys as in Wan's config.json. */
export interface WanConfig {
  /** Only "t2v" (text cross-attention) is implemented; i2v adds CLIP image tokens. */
  readonly model_type: "t2v";
  /** Patch size (pt, ph, pw) of the Conv3d patch embedding; Wan uses (1, 2, 2). */
  readonly patch_size: readonly [number, number, number];
  /** Rows the text context is zero-padded to before `text_embedding`. */
  readonly text_len: number;
  /** Latent channels in. */
  readonly in_dim: number;
  /** Transformer width. */
  readonly dim: number;
  /** Hidden width of each block's FFN. */
  readonly ffn_dim: number;
  /** Width of the sinusoidal timestep embedding. */
  readonly freq_dim: number;
  /** Width of the text features (umT5-XXL: 4096). */
  readonly text_dim: number;
  /** Latent channels out. */
  readonly out_dim: number;
  readonly num_heads: number;
  readonly num_layers: number;
  /** RMSNorm on q and k (over all heads together) in both attentions. */
  readonly qk_norm: boolean;
  /** Affine LayerNorm (`norm3`) before cross-attention; identity when false. */
  readonly cross_attn_norm: boolean;
  /** Epsilon of every LayerNorm/RMSNorm of the DiT. */
  readonly eps: number;
}

/**
 * Checks a configuration and returns it; errors name the field, the value and
 * what was expected.
 *
 * @param cfg the configuration to check
 * @returns the same configuration
 * @example
 * ```ts
 * import { checkWanConfig } from "./wan_config.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * checkWanConfig(MODEL_PRESETS["wan-smoke"]);
 * ```
 */
export function checkWanConfig<C extends WanConfig>(cfg: C): C {
  if (cfg.model_type !== "t2v") {
    throw new RangeError(
      `Cannot build a Wan DiT as model_type must be "t2v": received ${JSON.stringify(cfg.model_type)}`,
    );
  }
  const positive = [
    "text_len",
    "in_dim",
    "dim",
    "ffn_dim",
    "freq_dim",
    "text_dim",
    "out_dim",
    "num_heads",
    "num_layers",
  ] as const;
  for (const key of positive) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`Cannot build a Wan DiT as ${key} must be a positive integer: received ${v}`);
    }
  }
  if (
    !Array.isArray(cfg.patch_size) || cfg.patch_size.length !== 3 ||
    cfg.patch_size.some((p) => !Number.isInteger(p) || p <= 0)
  ) {
    throw new RangeError(
      `Cannot build a Wan DiT as patch_size must be three positive integers: received ${
        JSON.stringify(cfg.patch_size)
      }`,
    );
  }
  if (cfg.freq_dim % 2 !== 0) {
    throw new RangeError(`Cannot build a Wan DiT as freq_dim must be even: received ${cfg.freq_dim}`);
  }
  if (cfg.dim % cfg.num_heads !== 0 || (cfg.dim / cfg.num_heads) % 2 !== 0) {
    throw new RangeError(
      `Cannot build a Wan DiT as dim / num_heads must be an even integer: received dim ${cfg.dim}, num_heads ${cfg.num_heads}`,
    );
  }
  if (!(cfg.eps > 0)) {
    throw new RangeError(`Cannot build a Wan DiT as eps must be > 0: received ${cfg.eps}`);
  }
  return cfg;
}
