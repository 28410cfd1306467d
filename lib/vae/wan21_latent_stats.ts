import type { LatentStats } from "./vae_config.ts";

/**
 * The per-channel latent statistics of the released Wan 2.1 VAE (16 channels),
 * for use with its converted checkpoint (`VAE_PRESETS["wan2.1"]`).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE.__init__`, the
 * `mean` and `std` lists).
 *
 * @example
 * ```ts
 * import { WAN21_LATENT_STATS } from "./wan21_latent_stats.ts";
 * console.log(WAN21_LATENT_STATS.std.length); // 16
 * ```
 */
export const WAN21_LATENT_STATS: Readonly<LatentStats> = Object.freeze({
  mean: new Float32Array([
    -0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508,
    0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921,
  ]),
  std: new Float32Array([
    2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743,
    3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.9160,
  ]),
});
