/**
 * The differentiable op shared by fusedLayerNorm and fusedRmsNorm: the blas
 * kernel pair through tf.customGrad when available, else the composed ops;
 * weight and bias are applied with ordinary (differentiable) ops.
 */
import * as tf from "@tensorflow/tfjs-core";

interface NormKernels {
  kernel: string;
  grad: string;
  /** The normalisation without weight/bias, from differentiable ops. */
  composed: (x: tf.Tensor) => tf.Tensor;
}

function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

/**
 * @param x input [..., C]
 * @param eps epsilon
 * @param affine optional weight and bias over the last axis
 * @param k kernel names and the composed fallback
 * @returns the normalised (and scaled/shifted) tensor
 */
export function normOp(
  x: tf.Tensor,
  eps: number,
  affine: { weight?: tf.Tensor; bias?: tf.Tensor },
  k: NormKernels,
): tf.Tensor {
  if (!(eps >= 0)) throw new RangeError(`Cannot normalise as eps must be >= 0: received ${eps}`);
  if (x.rank === 0) throw new RangeError(`Cannot normalise a scalar over its last axis: received shape [${x.shape}]`);
  return tf.tidy(() => {
    const fused = x.dtype === "float32" && tf.getKernel(k.kernel, tf.getBackend()) != null;
    let y = fused ? fusedNorm(x, eps, k) : k.composed(x);
    if (affine.weight) y = tf.mul(y, affine.weight);
    if (affine.bias) y = tf.add(y, affine.bias);
    return y;
  });
}

function fusedNorm(x: tf.Tensor, eps: number, k: NormKernels): tf.Tensor {
  const op = tf.customGrad(
    ((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, mean, rstd] = tf.engine().runKernel(k.kernel, { x: xx }, { eps }) as tf.Tensor[];
      save([xx, mean, rstd]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [sx, smean, srstd]: tf.Tensor[]) => {
          if (gradientDepth() === 0 && tf.getKernel(k.grad, tf.getBackend()) != null) {
            return tf.engine().runKernel(k.grad, { dy, x: sx, mean: smean, rstd: srstd }) as tf.Tensor;
          }
          // Under an outer tape: differentiate the composed ops (higher-order gradients).
          return tf.grad((t: tf.Tensor) => k.composed(t))(sx, dy);
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x) as tf.Tensor;
}
