import * as tf from "@tensorflow/tfjs-core";
import type { Vae } from "./vae_config.ts";
import { vaeDecode } from "./vae_decode.ts";
import { vaeEncode } from "./vae_encode.ts";

/**
 * PSNR of the deterministic reconstruction decode(mean(encode(x))), clamped to
 * [−1, 1], against x, on the [0, 1] scale: 10·log10(1 / MSE) per clip, averaged
 * over the batch (Infinity for a perfect clip).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE.encode` uses mu,
 * `WanVAE.decode` clamps); PSNR as in skimage `peak_signal_noise_ratio` with
 * data_range 1.
 *
 * @param vae the model
 * @param video pixels [B, 3, F, H, W] in [−1, 1]
 * @returns mean PSNR in dB (async: the per-clip errors are read with `await data()`, which every backend
 *   supports, webgpu included)
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { Prng } from "../random/prng.ts";
 * import { initVaeParams, reconstructionPsnr, VAE_PRESETS } from "./mod.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
 * const db = await reconstructionPsnr(vae, tf.zeros([1, 3, 5, 16, 16]));
 * ```
 */
export async function reconstructionPsnr(vae: Vae, video: tf.Tensor): Promise<number> {
  const mse = tf.tidy(() => {
    const { mean } = vaeEncode(vae, video);
    const decoded = vaeDecode(vae, mean, { clamp: true });
    const diff = tf.mul(tf.sub(decoded, video), 0.5); // [0, 1] scale: (x + 1)/2
    return tf.mean(tf.square(diff), [1, 2, 3, 4]); // (B)
  });
  const perClip = await mse.data();
  mse.dispose();
  let total = 0;
  for (const m of perClip) total += m === 0 ? Infinity : 10 * Math.log10(1 / m);
  return total / perClip.length;
}
