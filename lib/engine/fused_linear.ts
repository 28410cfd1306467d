/**
 * A Linear layer, y = x·Wᵀ + b, as one kernel whose gradient is computed per
 * input, only for the inputs the tape needs: a frozen weight (a tensor that
 * is not among the variables differentiated) gets no dW product and no bias
 * sum. TensorFlow.js's `tf.fused.matMul` records a `customGrad`, whose
 * gradient function computes dA, dB and the bias gradient together whenever
 * any one of them is needed; in a part fine-tune, where most weights are
 * frozen but the activations still carry gradients through them, that is a
 * whole matrix product per frozen Linear per step that nothing reads.
 *
 * The forward pass is the backend's own `_FusedMatMul` kernel (called through
 * a kernel of this file registered for the active backend on first use), so
 * the arithmetic, and therefore every value, is exactly `tf.fused.matMul`'s.
 * The gradients are plain differentiable ops (matMul, sum), so higher-order
 * gradients work on every backend.
 *
 * References: PyTorch autograd (`requires_grad=False` parameters get no
 * weight-gradient GEMM; `torch.nn.functional.linear`); TensorFlow.js
 * `engine.ts` (the tape prunes a node's inputs to those reachable from the
 * differentiated tensors and calls only their gradient thunks).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { fusedLinear } from "./fused_linear.ts";
 * await initEngine({ backend: "cpu" });
 * const y = fusedLinear(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 0], [1, 1]]), { bias: tf.tensor1d([0, 10]) });
 * console.log(y.arraySync()); // [[1, 13]]
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Kernel name of the Linear forward (delegates to the backend's `_FusedMatMul`). */
export const FUSED_LINEAR = "WorkbenchFusedLinear";

/** Options of {@link fusedLinear}. */
export interface FusedLinearOptions {
  /** Added to every row: [out]. */
  bias?: tf.Tensor;
}

const registeredFor = new Set<string>();

/** Registers the delegating forward kernel for `backendName` (once) and the gradient (once). */
function ensureKernel(backendName: string): void {
  if (registeredFor.has(backendName)) return;
  if (tf.getKernel(FUSED_LINEAR, backendName) == null) {
    const stock = tf.getKernel(tf._FusedMatMul, backendName);
    if (!stock) throw new Error(`Cannot run a fused Linear on backend "${backendName}": it has no _FusedMatMul kernel`);
    tf.registerKernel({ kernelName: FUSED_LINEAR, backendName, kernelFunc: (args) => stock.kernelFunc(args) });
  }
  if (tf.getGradient(FUSED_LINEAR) == null) {
    tf.registerGradient({
      kernelName: FUSED_LINEAR,
      inputsToSave: ["a", "b"],
      gradFunc: (dy, saved) => {
        const [a, b] = saved; // a (..., in); b (out, in), or (1, out, in) off blas
        const g = dy as tf.Tensor; // (..., out)
        const out = g.shape[g.rank - 1] as number, inDim = a.shape[a.rank - 1] as number;
        const rows = (t: tf.Tensor, n: number) => (t.rank === 2 ? t : tf.reshape(t, [-1, n])); // (N, n)
        const as = (t: tf.Tensor, like: tf.Tensor) => (t.rank === like.rank ? t : tf.reshape(t, like.shape));
        return {
          a: () => as(tf.matMul(rows(g, out), rows(b, inDim)), a), // dy·W
          b: () => as(tf.matMul(rows(g, out), rows(a, inDim), true, false), b), // dyᵀ·x
          bias: () => tf.sum(rows(g, out), 0), // (out)
        };
      },
    });
  }
  registeredFor.add(backendName);
}

/**
 * @param x input [..., in]
 * @param w weight [out, in] (PyTorch's Linear layout)
 * @param options the bias [out]
 * @returns x·Wᵀ + b, [..., out]
 */
export function fusedLinear(x: tf.Tensor, w: tf.Tensor, options: FusedLinearOptions = {}): tf.Tensor {
  const { bias } = options;
  if (w.rank !== 2) {
    throw new RangeError(`Cannot apply a Linear as the weight must be [out, in]: received [${w.shape}]`);
  }
  const [out, inDim] = w.shape as [number, number];
  if (x.rank < 1 || x.shape[x.rank - 1] !== inDim) {
    throw new RangeError(`Cannot apply a Linear as the input's last axis must be ${inDim}: received [${x.shape}]`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== out)) {
    throw new RangeError(`Cannot apply a Linear as the bias must be [${out}]: received [${bias.shape}]`);
  }
  const dtypes = [x, w, ...(bias ? [bias] : [])].map((t) => t.dtype);
  if (dtypes.some((d) => d !== "float32")) {
    throw new TypeError(`Cannot apply a Linear to dtypes ${dtypes.join(", ")}: expected float32`);
  }
  const backend = tf.getBackend();
  ensureKernel(backend);
  const attrs = { transposeA: false, transposeB: true, activation: "linear", leakyreluAlpha: 0 };
  if (backend === "blas" && x.rank >= 2) {
    // The blas kernel folds x's leading axes into the rows of one sgemm: no reshapes.
    return tf.engine().runKernel(FUSED_LINEAR, bias ? { a: x, b: w, bias } : { a: x, b: w }, attrs) as tf.Tensor;
  }
  const lead = x.shape.slice(0, -1);
  return tf.tidy(() => {
    const a = tf.reshape(x, [1, -1, inDim]); // (1, N, in): other backends' kernels take rank 3
    const b = tf.reshape(w, [1, out, inDim]); // (1, out, in)
    const y = tf.engine().runKernel(FUSED_LINEAR, bias ? { a, b, bias } : { a, b }, attrs) as tf.Tensor; // (1, N, out)
    return tf.reshape(y, [...lead, out]); // (..., out)
  });
}
