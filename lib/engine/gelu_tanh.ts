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
import { fusedPathOpen, GELU_TANH, GELU_TANH_GRAD, geluTanhDerivativeOps } from "./_fused.ts";

/**
 * @param x input of any shape
 * @returns GELU(tanh)(x), same shape
 */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  if (x.dtype === "float32" && tf.getKernel(GELU_TANH, tf.getBackend())) return fusedGelu(x);
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

function fusedGelu(x: tf.Tensor): tf.Tensor {
  const keepGate = gradientDepth() > 0;
  const op = tf.customGrad(
    ((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, gate] = tf.engine().runKernel(GELU_TANH, { x: xx }, { keepGate }) as tf.Tensor[];
      if (gate) save([xx, gate]); // only under a tape, which is when a gradient can be asked for
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [sx, sgate]: tf.Tensor[]) =>
          fusedPathOpen(dy, sx)
            ? tf.engine().runKernel(GELU_TANH_GRAD, { dy, x: sx, gate: sgate }) as tf.Tensor
            : geluTanhDerivativeOps(dy, sx),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x) as tf.Tensor;
}
