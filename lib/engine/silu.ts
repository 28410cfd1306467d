/**
 * SiLU (swish), x·σ(x): one kernel forward and one backward on the blas
 * backend (the composed tf.sigmoid/tf.mul take two passes forward and four
 * backward, on tensors as large as a VAE's full-resolution activations);
 * the composed ops elsewhere and under an outer tape (higher-order gradients).
 *
 * References: Elfwing, Uchibe & Doya 2018, "Sigmoid-weighted linear units for
 * neural network function approximation in reinforcement learning" (SiLU);
 * Wan-Video/Wan2.1 `wan/modules/vae.py` (nn.SiLU in every residual block).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { silu } from "./silu.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(silu(tf.tensor([0, 1])).arraySync()); // ≈ [0, 0.7311]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { SILU, SILU_GRAD } from "./_fused.ts";
import { gatedActivation } from "./_gated_activation.ts";

/**
 * @param x input, any shape
 * @returns x·σ(x), same shape and dtype
 */
export function silu<T extends tf.Tensor>(x: T): T {
  if (x.dtype === "float32" && tf.getKernel(SILU, tf.getBackend())) {
    return gatedActivation(x, { kernel: SILU, grad: SILU_GRAD, derivative: siluDerivativeOps }) as T;
  }
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x))) as T;
}

/** dy·σ(x)·(1 + x·(1 − σ(x))) from differentiable ops on x (σ recomputed, so an outer tape sees it). */
function siluDerivativeOps(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const s = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))));
  });
}
