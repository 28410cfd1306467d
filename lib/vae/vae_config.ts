/**
 * Types of the causal video VAE: its configuration, parameters, latent
 * statistics and the model bundle that every VAE function takes.
 *
 * The architecture mirrors Wan 2.1's `WanVAE_` (Encoder3d / Decoder3d with
 * causal 3D convolutions, RMS norms, residual blocks and a middle attention
 * block), sized by these five numbers. Spatial compression is
 * 2^(dimMult.length − 1); temporal compression is 2^(number of `true` in
 * `temporalDownsample`), and a clip of F = 1 + k·temporal frames encodes to
 * 1 + k latent frames (the first frame alone, so an image is one latent frame).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.__init__`,
 * `_video_vae` config).
 *
 * @example
 * ```ts
 * import type { VaeConfig } from "./vae_config.ts";
 * const cfg: VaeConfig = { zDim: 4, dim: 8, dimMult: [1, 2, 2], numResBlocks: 1, temporalDownsample: [true, true] };
 * ```
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Size of a causal video VAE (field names follow Wan's `WanVAE_` arguments). */
export interface VaeConfig {
  /** Latent channels C of z (Wan 2.1: 16). */
  zDim: number;
  /** Base channel width (Wan 2.1: 96). */
  dim: number;
  /** Channel multiplier per resolution level; each level after the first halves H and W. */
  dimMult: readonly number[];
  /** Residual blocks per encoder level; the decoder uses one more per level, as in Wan. */
  numResBlocks: number;
  /** One flag per downsampling (dimMult.length − 1): whether it also halves time after the first frame. */
  temporalDownsample: readonly boolean[];
}

/** Parameters keyed by Wan's PyTorch state-dict names, in PyTorch layout. */
export type VaeParams = Record<string, tf.Variable>;

/** Per-channel latent statistics: z is normalised as (z − mean) / std. */
export interface LatentStats {
  /** Mean per latent channel, length zDim. */
  mean: Float32Array;
  /** Standard deviation per latent channel, length zDim, all > 0. */
  std: Float32Array;
}

/** A VAE: configuration, parameters and (once computed) latent statistics. */
export interface Vae {
  config: VaeConfig;
  params: VaeParams;
  /** Set after training by `computeLatentStats`; saved with the checkpoint. */
  stats?: LatentStats;
}

/** The encoder's diagonal Gaussian posterior, both [B, zDim, F', H', W']. */
export interface DiagonalGaussian {
  mean: tf.Tensor5D;
  logvar: tf.Tensor5D;
}
