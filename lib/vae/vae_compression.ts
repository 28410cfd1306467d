import type { VaeConfig } from "./vae_config.ts";

/** Compression factors of a VAE. */
export interface VaeCompression {
  /** H and W are divided by this. */
  spatial: number;
  /** F − 1 is divided by this (the first frame is encoded alone). */
  temporal: number;
}

/**
 * Validates a VAE configuration and returns its compression factors.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`Encoder3d`: one 2×
 * spatial `Resample` between consecutive levels, `downsample3d` also halving
 * time).
 *
 * @param config the VAE size
 * @returns spatial = 2^(levels − 1), temporal = 2^(temporal downsamplings)
 * @throws {RangeError} when a size is not a positive integer, the flags do not
 *   match the levels, or a decoder upsampling would halve an odd channel count
 * @example
 * ```ts
 * import { vaeCompression } from "./vae_compression.ts";
 * import { VAE_PRESETS } from "./vae_presets.ts";
 * const { spatial, temporal } = vaeCompression(VAE_PRESETS["wan2.1"]); // 8, 4
 * ```
 */
export function vaeCompression(config: VaeConfig): VaeCompression {
  for (const key of ["zDim", "dim", "numResBlocks"] as const) {
    const v = config[key];
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`Cannot use VAE config as ${key} must be a positive integer: received ${v}`);
    }
  }
  const { dimMult, temporalDownsample } = config;
  if (!Array.isArray(dimMult) || dimMult.length < 1 || !dimMult.every((m) => Number.isInteger(m) && m >= 1)) {
    throw new RangeError(
      `Cannot use VAE config as dimMult must be a non-empty list of positive integers: received ${JSON.stringify(dimMult)}`,
    );
  }
  if (
    !Array.isArray(temporalDownsample) || temporalDownsample.length !== dimMult.length - 1 ||
    !temporalDownsample.every((t) => typeof t === "boolean")
  ) {
    throw new RangeError(
      `Cannot use VAE config as temporalDownsample must hold ${dimMult.length - 1} booleans (one per downsampling): ` +
        `received ${JSON.stringify(temporalDownsample)}`,
    );
  }
  // Decoder upsamplings map c → c/2 channels (Wan `Resample` upsample2d/3d).
  for (let i = 0; i < dimMult.length - 1; i++) {
    const c = config.dim * dimMult[dimMult.length - 1 - i];
    if (c % 2 !== 0) {
      throw new RangeError(
        `Cannot use VAE config as decoder upsampling ${i} halves ${c} channels: dim × dimMult must be even`,
      );
    }
  }
  return {
    spatial: 2 ** (dimMult.length - 1),
    temporal: 2 ** temporalDownsample.filter((t) => t).length,
  };
}
