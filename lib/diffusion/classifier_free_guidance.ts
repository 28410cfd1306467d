import * as tf from "@tensorflow/tfjs-core";

/**
 * Classifier-free guidance on velocities: v = v_u + scale·(v_c − v_u).
 * scale = 1 returns v_c; scale = 0 returns v_u.
 *
 * References: Ho & Salimans 2022 "Classifier-Free Diffusion Guidance" eq. 6;
 * Wan2.1 `wan/text2video.py` (`noise_pred_uncond + guide_scale * (noise_pred_cond - noise_pred_uncond)`).
 *
 * @param vCond velocity with the full conditioning
 * @param vUncond velocity with the dropped conditioning, same shape
 * @param options the guidance scale
 * @returns the guided velocity (a new tensor)
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { classifierFreeGuidance } from "./classifier_free_guidance.ts";
 * classifierFreeGuidance(tf.scalar(3), tf.scalar(1), { scale: 5 }).print(); // 11
 * ```
 */
export function classifierFreeGuidance(vCond: tf.Tensor, vUncond: tf.Tensor, options: { scale: number }): tf.Tensor {
  const { scale } = options;
  if (!Number.isFinite(scale)) throw new RangeError(`Cannot apply guidance as scale must be finite: received ${scale}`);
  if (vCond.shape.length !== vUncond.shape.length || vCond.shape.some((d, i) => d !== vUncond.shape[i])) {
    throw new RangeError(
      `Cannot apply guidance as both velocities must have one shape: received [${vCond.shape}] and [${vUncond.shape}]`,
    );
  }
  return tf.tidy(() => tf.add(vUncond, tf.mul(tf.sub(vCond, vUncond), scale)));
}
