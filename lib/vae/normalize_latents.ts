import * as tf from "@tensorflow/tfjs-core";
import type { LatentStats } from "./vae_config.ts";
import { channelStats } from "./_channel_stats.ts";

/**
 * Normalises latents per channel: (z − mean) / std, the scale the diffusion
 * model sees.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.encode`:
 * `(mu - scale[0]) * scale[1]` with scale = [mean, 1/std]).
 *
 * @param z latents [B, C, F, H, W]
 * @param stats per-channel mean and std of length C
 * @returns normalised latents, same shape
 * @throws {RangeError} when the statistics do not have C entries or a std is not > 0
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { normalizeLatents } from "./normalize_latents.ts";
 * const stats = { mean: new Float32Array([1]), std: new Float32Array([2]) };
 * normalizeLatents(tf.fill([1, 1, 1, 1, 1], 5), stats); // 2
 * ```
 */
export function normalizeLatents(z: tf.Tensor, stats: LatentStats): tf.Tensor5D {
  return tf.tidy(() => {
    const [mean, std] = channelStats(z, { stats, verb: "normalize" });
    return tf.div(tf.sub(z, mean), std) as tf.Tensor5D;
  });
}
