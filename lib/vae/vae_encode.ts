import * as tf from "@tensorflow/tfjs-core";
import type { DiagonalGaussian, Vae } from "./vae_config.ts";
import { vaePlan } from "./_architecture.ts";
import { runCoder } from "./_coders.ts";
import { VaeLayers } from "./_layers.ts";
import { vaeCompression } from "./vae_compression.ts";

/**
 * Encodes pixel clips to the diagonal Gaussian posterior over latents.
 *
 * Causal in time: latent frame 0 depends on pixel frame 0 only, latent frame
 * j ≥ 1 on pixel frames 0 … j·temporal. The clip is processed at once; the
 * result equals Wan's chunked encoding (first frame, then `temporal` frames at
 * a time with the causal feature cache). The posterior is not normalised: use
 * `normalizeLatents` on the mean (or a sample) for the diffusion model.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.encode`:
 * encoder, `conv1`, `chunk(2, dim=1)` into mu and log_var).
 *
 * @param vae the model
 * @param video pixels [B, 3, F, H, W] in [−1, 1], F = 1 + k·temporal, H and W multiples of the spatial factor
 * @returns mean and log-variance, each [B, zDim, 1 + k, H/spatial, W/spatial]
 * @throws {RangeError} when the shape does not fit the model
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initVaeParams, VAE_PRESETS, vaeEncode } from "./mod.ts";
 * import { Prng } from "../random/prng.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
 * const { mean, logvar } = vaeEncode(vae, tf.zeros([1, 3, 5, 16, 16]));
 * console.log(mean.shape); // [1, 4, 2, 4, 4]
 * ```
 */
export function vaeEncode(vae: Vae, video: tf.Tensor): DiagonalGaussian {
  const { spatial, temporal } = vaeCompression(vae.config);
  const s = video.shape;
  if (s.length !== 5 || s[1] !== 3) {
    throw new RangeError(`Cannot encode video as it must be [B, 3, F, H, W]: received [${s.join(", ")}]`);
  }
  if ((s[2] - 1) % temporal !== 0) {
    throw new RangeError(
      `Cannot encode video as its frame count must be 1 + k·${temporal}: received ${s[2]} frames`,
    );
  }
  if (s[3] % spatial !== 0 || s[4] % spatial !== 0) {
    throw new RangeError(
      `Cannot encode video as its height and width must be multiples of ${spatial}: received ${s[3]}×${s[4]}`,
    );
  }
  const plan = vaePlan(vae.config);
  const z = vae.config.zDim;
  return tf.tidy(() => {
    const layers = new VaeLayers(vae.params);
    const x = tf.transpose(video, [0, 2, 3, 4, 1]) as tf.Tensor5D; // (B, F, H, W, 3)
    const h = runCoder(layers, { plan: plan.encoder, x });
    const moments = layers.causalConv3d(plan.quant.name, h); // (B, F', H', W', 2z)
    const [mean, logvar] = tf.split(moments, [z, z], 4);
    return {
      mean: tf.transpose(mean, [0, 4, 1, 2, 3]) as tf.Tensor5D, // (B, z, F', H', W')
      logvar: tf.transpose(logvar, [0, 4, 1, 2, 3]) as tf.Tensor5D, // (B, z, F', H', W')
    };
  });
}
