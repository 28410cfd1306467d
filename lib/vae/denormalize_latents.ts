import * as tf from "@tensorflow/tfjs-core";
import type { LatentStats } from "./vae_config.ts";
import { channelStats } from "./_channel_stats.ts";

/**
 * Undoes `normalizeLatents`: z·std + mean per channel, before decoding.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.decode`:
 * `z / scale[1] + scale[0]`).
 *
 * @param z normalised latents [B, C, F, H, W]
 * @param stats per-channel mean and std of length C
 * @returns latents on the VAE's scale, same shape
 * @throws {RangeError} when the statistics do not have C entries or a std is not > 0
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { denormalizeLatents } from "./denormalize_latents.ts";
 * const stats = { mean: new Float32Array([1]), std: new Float32Array([2]) };
 * denormalizeLatents(tf.fill([1, 1, 1, 1, 1], 2), stats); // 5
 * ```
 */
export function denormalizeLatents(z: tf.Tensor, stats: LatentStats): tf.Tensor5D {
  return tf.tidy(() => {
    const [mean, std] = channelStats(z, { stats, verb: "denormalize" });
    return tf.add(tf.mul(z, std), mean) as tf.Tensor5D;
  });
}
