/**
 * Named VAE sizes. `vae-smoke` is for tests and CI, `vae-toy` for the 64×64 /
 * 32×32 clips of the ablations, `wan2.1` is the released Wan 2.1 VAE (load its
 * converted checkpoint with `loadVae`).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`_video_vae`: dim 96,
 * dim_mult [1, 2, 4, 4], num_res_blocks 2, temperal_downsample
 * [False, True, True]; `WanVAE`: z_dim 16).
 *
 * @example
 * ```ts
 * import { VAE_PRESETS } from "./vae_presets.ts";
 * const cfg = VAE_PRESETS["vae-toy"];
 * ```
 *
 * @module
 */
import type { VaeConfig } from "./vae_config.ts";

/** Registry of VAE sizes by name. */
export const VAE_PRESETS = {
  /** 4× spatial, 4× temporal, 42 k parameters: shapes, causality and overfit checks in seconds. */
  "vae-smoke": { zDim: 4, dim: 4, dimMult: [1, 2, 2], numResBlocks: 1, temporalDownsample: [true, true] },
  /** 4× spatial, 4× temporal, 0.63 M parameters: 64×64×(4k+1) clips → 16×16×(k+1) latents of 4 channels. */
  "vae-toy": { zDim: 4, dim: 16, dimMult: [1, 2, 2], numResBlocks: 1, temporalDownsample: [true, true] },
  /**
   * vae-toy with Wan's 16 latent channels: 12× fewer numbers than pixels instead
   * of 48×. The foundation's VAE (trained with `vae.maskWeight`, it keeps a
   * blurred figure where vae-toy kept a smudge).
   */
  "vae-toy-z16": { zDim: 16, dim: 16, dimMult: [1, 2, 2], numResBlocks: 1, temporalDownsample: [true, true] },
  /**
   * vae-toy-z16 twice as wide with a deeper last stage (channels 32/64/128, full-resolution
   * decoder 32 instead of 16), 7.3 M parameters. Tried against vae-toy-z16's blur (results/JOURNAL.md,
   * `pretrain_vae_image`): with `pretrain`'s recipe it learned no faster per step, at 2.3× the step
   * time (9×32×32, batch 4, 2 threads); no committed run uses it.
   */
  "vae-small-z16": { zDim: 16, dim: 32, dimMult: [1, 2, 4], numResBlocks: 1, temporalDownsample: [true, true] },
  /** The released Wan 2.1 VAE: 8× spatial, 4× temporal, 16 latent channels. */
  "wan2.1": { zDim: 16, dim: 96, dimMult: [1, 2, 4, 4], numResBlocks: 2, temporalDownsample: [false, true, true] },
} as const satisfies Record<string, VaeConfig>;

/** A preset name. */
export type VaePresetName = keyof typeof VAE_PRESETS;
