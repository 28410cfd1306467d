/**
 * LayerNorm over the last axis (biased variance, like PyTorch), with optional
 * elementwise weight and bias: one kernel forward and one backward on the
 * blas backend, the composed ops (`tf.moments` …) elsewhere.
 *
 * References: Ba et al. 2016, "Layer Normalization" §3; PyTorch
 * `nn.functional.layer_norm`; Wan-Video/Wan2.1 `wan/modules/model.py`
 * (WanLayerNorm, eps 1e-6).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { fusedLayerNorm } from "./fused_layer_norm.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(fusedLayerNorm(tf.tensor([[1, 3]]), { eps: 0 }).arraySync()); // [[-1, 1]]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { LAYER_NORM, LAYER_NORM_GRAD } from "./_norm.ts";
import { normOp } from "./_norm_op.ts";

/** Options of {@link fusedLayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5, PyTorch's; Wan uses 1e-6). */
  eps?: number;
  /** Scale over the last axis (PyTorch `weight`). */
  weight?: tf.Tensor;
  /** Shift over the last axis (PyTorch `bias`). */
  bias?: tf.Tensor;
}

/**
 * @param x input [..., C]
 * @param options eps, weight, bias
 * @returns (x − mean) / √(var + eps) · weight + bias, same shape as x
 */
export function fusedLayerNorm(x: tf.Tensor, options: LayerNormOptions = {}): tf.Tensor {
  const eps = options.eps ?? 1e-5;
  return normOp(x, eps, options, {
    kernel: LAYER_NORM,
    grad: LAYER_NORM_GRAD,
    composed: (t) => {
      const { mean, variance } = tf.moments(t, -1, true);
      return tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, eps)));
    },
  });
}
