import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../random/prng.ts";
import type { Vae } from "./vae_config.ts";
import { vaeDecode } from "./vae_decode.ts";
import { vaeEncode } from "./vae_encode.ts";
import { vaeSample } from "./vae_sample.ts";

/** Options of {@link vaeLoss}. */
export interface VaeLossOptions {
  /** Draws the reparameterisation noise. */
  prng: Prng;
  /** Weight of the per-element KL term (both terms are means over elements). */
  klWeight: number;
  /** Pixel reconstruction term: mean absolute ("l1", as in LDM's autoencoder) or squared ("mse") error. */
  reconstruction?: "l1" | "mse";
  /**
   * Per-pixel weights of the reconstruction term, [B, 1, F, H, W] (broadcast
   * over colour channels), e.g. 1 + λ·mask to spend the code on the character
   * rather than on incompressible background texture. The term becomes
   * Σ w·err / Σ w over the batch, so its scale matches the unweighted mean.
   */
  weight?: tf.Tensor;
}

/** The scalars of {@link vaeLoss}; the caller disposes them. */
export interface VaeLossResult {
  /** recon + klWeight·kl: the value to minimise. */
  loss: tf.Scalar;
  /** Mean pixel error of decode(sample(encode(x))) against x on the [−1, 1] scale. */
  recon: tf.Scalar;
  /** Mean over latent elements of KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²). */
  kl: tf.Scalar;
}

/**
 * The VAE training loss of one batch: reconstruction of a reparameterised
 * sample plus a small KL pull of the posterior towards N(0, I). Call it inside
 * `tf.variableGrads` (the training loop does); intermediates are freed.
 *
 * With both terms averaged over their elements, LDM's weighting (sums, KL
 * weight 1e-6) corresponds to klWeight ≈ 1e-6 · (latent elements / pixel
 * elements), about 2e-8 for 4× temporal and 4× spatial compression to 4
 * channels; larger values (1e-6 … 1e-4) give smoother latents.
 *
 * A per-pixel `weight` (optional) turns the reconstruction term into a
 * weighted mean; Wan's VAE, like LDM's, instead adds perceptual and GAN terms
 * to keep structure, which this workbench does not train.
 *
 * References: Rombach et al., "High-Resolution Image Synthesis with Latent
 * Diffusion Models" (2022), §3 and App. G (KL-regularised autoencoder);
 * CompVis/latent-diffusion `DiagonalGaussianDistribution.kl`. Wan's VAE
 * training code is not released.
 *
 * @param vae the model (its `params` are the variables to train)
 * @param video pixels [B, 3, F, H, W] in [−1, 1]
 * @param options generator, KL weight, reconstruction kind
 * @returns loss, recon and kl scalars
 * @throws {RangeError} when klWeight is negative or not finite
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initVaeParams, VAE_PRESETS, vaeLoss } from "./mod.ts";
 * import { Prng } from "../random/prng.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
 * const { loss, recon, kl } = vaeLoss(vae, tf.zeros([1, 3, 5, 16, 16]), { prng: new Prng(1), klWeight: 1e-6 });
 * ```
 */
export function vaeLoss(vae: Vae, video: tf.Tensor, options: VaeLossOptions): VaeLossResult {
  const { prng, klWeight, reconstruction = "l1", weight } = options;
  if (!Number.isFinite(klWeight) || klWeight < 0) {
    throw new RangeError(`Cannot compute the VAE loss as klWeight must be >= 0 and finite: received ${klWeight}`);
  }
  if (reconstruction !== "l1" && reconstruction !== "mse") {
    throw new RangeError(`Cannot compute the VAE loss as reconstruction must be "l1" or "mse": received "${reconstruction}"`);
  }
  if (weight) {
    const [b, , f, h, w] = video.shape;
    const expected = [b, 1, f, h, w];
    if (weight.shape.length !== 5 || weight.shape.some((d, i) => d !== expected[i])) {
      throw new RangeError(
        `Cannot weight the VAE loss as weight must have shape [${expected.join(", ")}]: received [${weight.shape.join(", ")}]`,
      );
    }
  }
  return tf.tidy(() => {
    const posterior = vaeEncode(vae, video);
    const decoded = vaeDecode(vae, vaeSample(posterior, { prng }));
    const diff = tf.sub(decoded, video);
    const err = reconstruction === "l1" ? tf.abs(diff) : tf.square(diff); // (B, 3, F, H, W)
    const recon = (weight ? tf.div(tf.sum(tf.mul(err, weight)), tf.mul(tf.sum(weight), video.shape[1] as number)) : tf.mean(err)) as tf.Scalar;
    const logvar = tf.clipByValue(posterior.logvar, -30, 20);
    const kl = tf.mul(tf.mean(tf.sub(tf.add(tf.square(posterior.mean), tf.exp(logvar)), tf.add(logvar, 1))), 0.5) as tf.Scalar;
    const loss = tf.add(recon, tf.mul(kl, klWeight)) as tf.Scalar;
    return { loss, recon, kl };
  });
}
