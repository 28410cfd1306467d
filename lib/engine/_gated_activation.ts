/**
 * The differentiable op shared by the fused element-wise activations of the
 * blas backend (`geluTanh`, `silu`): a forward kernel that, under a gradient
 * tape, also returns the gate its derivative needs, and a backward kernel
 * that reads it; the derivative from differentiable ops (recomputed from x)
 * when the fused path is closed (another backend, or an outer tape asking
 * for higher-order gradients).
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedPathOpen } from "./_fused.ts";

/** The kernels of one gated activation and its composed derivative. */
export interface GatedActivationKernels {
  /** Forward kernel: inputs { x }, attrs { keepGate }; outputs [y] or [y, gate]. */
  kernel: string;
  /** Backward kernel: inputs { dy, x, gate }; output dx. */
  grad: string;
  /** dy·f′(x) from differentiable ops on x. */
  derivative: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor;
}

function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

/**
 * @param x float32 input of any shape (the caller checked the kernel is registered)
 * @param k the kernels
 * @returns f(x), same shape, differentiable
 */
export function gatedActivation(x: tf.Tensor, k: GatedActivationKernels): tf.Tensor {
  const keepGate = gradientDepth() > 0;
  const op = tf.customGrad(
    ((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, gate] = tf.engine().runKernel(k.kernel, { x: xx }, { keepGate }) as tf.Tensor[];
      if (gate) save([xx, gate]); // only under a tape, which is when a gradient can be asked for
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [sx, sgate]: tf.Tensor[]) =>
          fusedPathOpen(dy, sx)
            ? tf.engine().runKernel(k.grad, { dy, x: sx, gate: sgate }) as tf.Tensor
            : k.derivative(dy, sx),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x) as tf.Tensor;
}
