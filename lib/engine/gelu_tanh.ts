/**
 * GELU with the tanh approximation, as one fused kernel (forward and
 * backward) on the blas backend and as plain differentiable ops elsewhere.
 *
 * Composed from primitives, GELU(tanh) costs about nine full passes forward
 * and fifteen backward; the fused kernels make it one each. Under a gradient
 * tape the forward kernel also keeps σ(2u) (one more activation-sized tensor)
 * so the backward kernel needs no exp.
 *
 * References: Hendrycks & Gimpel 2016, "Gaussian Error Linear Units" §2
 * (0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))); PyTorch
 * `nn.GELU(approximate="tanh")`, used by Wan-2.1's FFN.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { geluTanh } from "./gelu_tanh.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(geluTanh(tf.tensor([0, 1])).arraySync()); // [0, 0.8411920070648193]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { GELU_TANH, GELU_TANH_GRAD, geluTanhDerivativeOps } from "./_fused.ts";
import { gatedActivation } from "./_gated_activation.ts";

/**
 * @param x input of any shape
 * @returns GELU(tanh)(x), same shape
 */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  if (x.dtype === "float32" && tf.getKernel(GELU_TANH, tf.getBackend())) {
    return gatedActivation(x, { kernel: GELU_TANH, grad: GELU_TANH_GRAD, derivative: geluTanhDerivativeOps });
  }
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}
