/**
 * RMSNorm over the last axis, x · rsqrt(mean(x²) + eps) · weight: one kernel
 * forward and one backward on the blas backend, the composed ops elsewhere.
 *
 * References: Zhang & Sennrich 2019, "Root Mean Square Layer Normalization"
 * §3; Wan-Video/Wan2.1 `wan/modules/model.py` (WanRMSNorm on q and k).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { fusedRmsNorm } from "./fused_rms_norm.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(fusedRmsNorm(tf.tensor([[3, 4]]), { eps: 0 }).arraySync()); // ≈ [[0.8485, 1.1314]]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { RMS_NORM, RMS_NORM_GRAD } from "./_norm.ts";
import { normOp } from "./_norm_op.ts";

/** Options of {@link fusedRmsNorm}. */
export interface RmsNormOptions {
  /** Added to mean(x²) (default 1e-6, Wan's). */
  eps?: number;
  /** Scale over the last axis. */
  weight?: tf.Tensor;
}

/**
 * @param x input [..., C]
 * @param options eps, weight
 * @returns x / √(mean(x²) + eps) · weight, same shape as x
 */
export function fusedRmsNorm(x: tf.Tensor, options: RmsNormOptions = {}): tf.Tensor {
  const eps = options.eps ?? 1e-6;
  return normOp(x, eps, options, {
    kernel: RMS_NORM,
    grad: RMS_NORM_GRAD,
    composed: (t) => tf.mul(t, tf.rsqrt(tf.add(tf.mean(tf.square(t), -1, true), eps))),
  });
}
