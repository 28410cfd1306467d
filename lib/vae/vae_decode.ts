import * as tf from "@tensorflow/tfjs-core";
import type { Vae } from "./vae_config.ts";
import { vaePlan } from "./_architecture.ts";
import { runCoder } from "./_coders.ts";
import { VaeLayers } from "./_layers.ts";
import { vaeCompression } from "./vae_compression.ts";

/** Options of {@link vaeDecode}. */
export interface VaeDecodeOptions {
  /** Clamp the pixels to [−1, 1], as Wan's `WanVAE.decode` does for outputs (off while training). */
  clamp?: boolean;
}

/**
 * Decodes latents (not normalised: apply `denormalizeLatents` first to
 * diffusion outputs) to pixel clips.
 *
 * Causal in time: pixel frame 0 comes from latent frame 0 alone, pixel frames
 * 1 + (j−1)·temporal … j·temporal from latent frames 0 … j.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.decode`: `conv2`
 * then the decoder; `WanVAE.decode` clamps to [−1, 1]).
 *
 * @param vae the model
 * @param z latents [B, zDim, F', H', W']
 * @param options clamping
 * @returns pixels [B, 3, 1 + (F'−1)·temporal, H'·spatial, W'·spatial]
 * @throws {RangeError} when z is not [B, zDim, F', H', W']
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initVaeParams, VAE_PRESETS, vaeDecode } from "./mod.ts";
 * import { Prng } from "../random/prng.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
 * const video = vaeDecode(vae, tf.zeros([1, 4, 2, 4, 4]), { clamp: true });
 * console.log(video.shape); // [1, 3, 5, 16, 16]
 * ```
 */
export function vaeDecode(vae: Vae, z: tf.Tensor, options: VaeDecodeOptions = {}): tf.Tensor5D {
  vaeCompression(vae.config);
  const s = z.shape;
  if (s.length !== 5 || s[1] !== vae.config.zDim) {
    throw new RangeError(
      `Cannot decode latents as they must be [B, ${vae.config.zDim}, F', H', W']: received [${s.join(", ")}]`,
    );
  }
  const plan = vaePlan(vae.config);
  return tf.tidy(() => {
    const layers = new VaeLayers(vae.params);
    const x = tf.transpose(z, [0, 2, 3, 4, 1]) as tf.Tensor5D; // (B, F', H', W', z)
    const h = runCoder(layers, { plan: plan.decoder, x: layers.causalConv3d(plan.postQuant.name, x) });
    const video = tf.transpose(h, [0, 4, 1, 2, 3]) as tf.Tensor5D; // (B, 3, F, H, W)
    return options.clamp ? tf.clipByValue(video, -1, 1) : video;
  });
}
