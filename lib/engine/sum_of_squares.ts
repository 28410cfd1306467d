/**
 * Σ over tensors of Σ x², the square of a global L2 norm (gradient clipping),
 * as one kernel on the blas backend: the composed form is three ops per
 * tensor (square, sum, then one addN), about 140 ops per step for a part
 * fine-tune's 46 gradients. The kernel rounds exactly as the composed ops do
 * (each square to float32, each tensor's sum accumulated in float64 in
 * row-major order and rounded to float32, the tensors' sums added in order
 * in float32), so the result is bit-identical to
 * `tf.addN(tensors.map((t) => tf.sum(tf.square(t))))` on blas. Not
 * differentiable (a clipping factor is a constant of the update).
 *
 * References: Pascanu et al. 2013, "On the difficulty of training recurrent
 * neural networks" §3.2 (gradient-norm clipping); PyTorch
 * `torch.nn.utils.clip_grad_norm_`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { sumOfSquares } from "./sum_of_squares.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(sumOfSquares([tf.tensor([3, 4]), tf.tensor([[12]])]).dataSync()[0]); // 169
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";

/** Kernel name. */
export const SUM_OF_SQUARES = "BlasSumOfSquares";

/** Inputs t0 … t(n−1); attrs n. Output: a float32 scalar. */
function sumOfSquaresKernel({ inputs, backend, attrs }: KernelArgs) {
  let total = 0;
  for (let i = 0; i < (attrs!.n as number); i++) {
    const x = f32(backend, inputs[`t${i}`]);
    let s = 0;
    for (let j = 0; j < x.length; j++) s += Math.fround(x[j] * x[j]);
    total = Math.fround(total + Math.fround(s));
  }
  return out(backend, [], Float32Array.of(total));
}

if (!tf.getKernel(SUM_OF_SQUARES, "blas")) tf.registerKernel(blasConfig(SUM_OF_SQUARES, sumOfSquaresKernel));

/**
 * @param tensors float32 tensors of any shapes (at least one)
 * @returns Σ_t Σ t², a scalar
 */
export function sumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  if (tensors.length === 0) throw new RangeError("Cannot sum squares of no tensors: expected at least one");
  const bad = tensors.find((t) => t.dtype !== "float32");
  if (bad) throw new TypeError(`Cannot sum squares of a ${bad.dtype} tensor: expected float32`);
  if (tf.getKernel(SUM_OF_SQUARES, tf.getBackend()) == null) {
    return tf.tidy(() => tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
  }
  const inputs: tf.NamedTensorMap = {};
  tensors.forEach((t, i) => (inputs[`t${i}`] = t));
  return tf.engine().runKernel(SUM_OF_SQUARES, inputs, { n: tensors.length }) as tf.Scalar;
}
