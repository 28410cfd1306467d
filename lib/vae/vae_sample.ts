import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../random/prng.ts";
import type { DiagonalGaussian } from "./vae_config.ts";

/** Options of {@link vaeSample}. */
export interface VaeSampleOptions {
  /** Draws the standard normal noise. */
  prng: Prng;
}

/**
 * Draws z = mean + exp(½·logvar)·ε, ε ~ N(0, I), with logvar clamped to
 * [−30, 20] as in Wan and LDM.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`WanVAE_.sample`).
 *
 * @param posterior the encoder's mean and log-variance
 * @param options the generator
 * @returns a latent sample with the posterior's shape
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { vaeSample } from "./vae_sample.ts";
 * import { Prng } from "../random/prng.ts";
 * const mean = tf.zeros([1, 4, 1, 2, 2]) as tf.Tensor5D;
 * const z = vaeSample({ mean, logvar: mean }, { prng: new Prng(0) }); // N(0, I) draws
 * ```
 */
export function vaeSample(posterior: DiagonalGaussian, options: VaeSampleOptions): tf.Tensor5D {
  const { mean, logvar } = posterior;
  if (mean.shape.join() !== logvar.shape.join()) {
    throw new RangeError(
      `Cannot sample the posterior as mean and logvar shapes differ: [${mean.shape.join(", ")}] vs [${logvar.shape.join(", ")}]`,
    );
  }
  const eps = options.prng.normals(mean.size);
  return tf.tidy(() => {
    const std = tf.exp(tf.mul(tf.clipByValue(logvar, -30, 20), 0.5));
    return tf.add(mean, tf.mul(std, tf.tensor(eps, mean.shape))) as tf.Tensor5D;
  });
}
