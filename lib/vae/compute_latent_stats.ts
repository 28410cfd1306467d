import * as tf from "@tensorflow/tfjs-core";
import type { LatentStats, Vae } from "./vae_config.ts";
import { vaeEncode } from "./vae_encode.ts";

/**
 * Per-channel mean and standard deviation of the encoder's posterior means
 * over a set of clips: the statistics `normalizeLatents` uses (computed once
 * after training and saved with the checkpoint as `latents_mean`/`latents_std`).
 * Sums are accumulated in float64; the std is the population std.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE`: per-channel
 * `mean`/`std` applied to mu).
 *
 * @param vae the trained model
 * @param videos batches of pixels [B, 3, F, H, W] in [−1, 1] (not disposed)
 * @returns mean and std per latent channel (async: each batch's latents are read with `await data()`,
 *   which every backend supports, webgpu included)
 * @throws {RangeError} when there are fewer than two latent values per channel or a channel is constant
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import { Prng } from "../random/prng.ts";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { computeLatentStats, initVaeParams, type Vae, VAE_PRESETS } from "./mod.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const vae: Vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
 * const clips = [tf.tensor(new Prng(1).normals(3 * 5 * 16 * 16), [1, 3, 5, 16, 16])];
 * vae.stats = await computeLatentStats(vae, clips);
 * ```
 */
export async function computeLatentStats(vae: Vae, videos: Iterable<tf.Tensor>): Promise<LatentStats> {
  const c = vae.config.zDim;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  let perChannel = 0;
  for (const video of videos) {
    const { mean, logvar } = vaeEncode(vae, video);
    logvar.dispose();
    const values = await mean.data();
    const [b, , f, h, w] = mean.shape;
    const plane = f * h * w;
    mean.dispose();
    for (let i = 0; i < b; i++) {
      for (let ch = 0; ch < c; ch++) {
        const off = (i * c + ch) * plane;
        let s = 0, s2 = 0;
        for (let k = 0; k < plane; k++) {
          const v = values[off + k];
          s += v;
          s2 += v * v;
        }
        sum[ch] += s;
        sumSq[ch] += s2;
      }
    }
    perChannel += b * plane;
  }
  if (perChannel < 2) {
    throw new RangeError(`Cannot compute latent statistics from ${perChannel} value(s) per channel: expected at least 2`);
  }
  const stats: LatentStats = { mean: new Float32Array(c), std: new Float32Array(c) };
  for (let ch = 0; ch < c; ch++) {
    const m = sum[ch] / perChannel;
    const variance = Math.max(sumSq[ch] / perChannel - m * m, 0);
    if (!(variance > 0)) {
      throw new RangeError(`Cannot compute latent statistics as channel ${ch} is constant (std 0)`);
    }
    stats.mean[ch] = m;
    stats.std[ch] = Math.sqrt(variance);
  }
  return stats;
}
