/**
 * Private building blocks shared by the DiT and the text encoder: parameter
 * look-up and the functional forms of PyTorch's Linear, LayerNorm, RMSNorm,
 * GELU(tanh) and SiLU, and the DiT's modulated LayerNorm and gated residual.
 * Differentiable and backend-agnostic: each goes through the engine's fused
 * op (one kernel forward and one backward on the blas backend: matmul with
 * the bias inside sgemm, norm + scale + shift, gated residual, GELU), which
 * falls back to the plain composed tf ops on other backends.
 *
 * References: PyTorch `nn.Linear`, `nn.LayerNorm`, `nn.GELU(approximate="tanh")`,
 * `nn.SiLU`; Wan-Video/Wan2.1 `wan/modules/model.py` (`WanRMSNorm`, `WanLayerNorm`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedLayerNorm } from "../engine/fused_layer_norm.ts";
import { fusedLinear } from "../engine/fused_linear.ts";
import { gatedResidual } from "../engine/gated_residual.ts";
import { modulatedNorm } from "../engine/modulated_norm.ts";
import { simdGeluTanh } from "../engine/simd_gelu_tanh.ts";

/** Parameters keyed by PyTorch state-dict names (tf.Variable in training, any tensor in inference). */
export type ParamMap = Readonly<Record<string, tf.Tensor>>;

/** @returns the tensor called `name`; throws naming the missing parameter. */
export function param(params: ParamMap, name: string): tf.Tensor {
  const p = params[name];
  if (p === undefined) {
    throw new RangeError(
      `Cannot find parameter "${name}" in the parameter set (${Object.keys(params).length} entries)`,
    );
  }
  return p;
}

/** y = x Wᵀ + b over the last axis; W is [out, in] (PyTorch layout). x [..., in] → [..., out]. */
export function linear(params: ParamMap, prefix: string, x: tf.Tensor, options: { bias?: boolean } = {}): tf.Tensor {
  const w = param(params, `${prefix}.weight`);
  const inDim = w.shape[1];
  if (x.shape[x.rank - 1] !== inDim) {
    throw new RangeError(
      `Cannot apply ${prefix} as the input's last axis must be ${inDim}: received shape [${x.shape}]`,
    );
  }
  // The bias is added inside the matmul kernel (the blas sgemm starts from it); a frozen
  // weight gets no gradient product (fusedLinear differentiates each input on demand).
  const bias = options.bias === false ? undefined : param(params, `${prefix}.bias`);
  return fusedLinear(x, w, { bias }); // (..., out)
}

/** LayerNorm over the last axis without affine parameters (biased variance, like PyTorch). */
export function layerNormPlain(x: tf.Tensor, eps: number): tf.Tensor {
  return fusedLayerNorm(x, { eps });
}

/** LayerNorm over the last axis, with `${prefix}.weight` and `${prefix}.bias` when `prefix` is given. */
export function layerNorm(params: ParamMap, prefix: string | null, x: tf.Tensor, eps: number): tf.Tensor {
  if (prefix === null) return fusedLayerNorm(x, { eps });
  return modulatedNorm(x, { eps, scale: param(params, `${prefix}.weight`), shift: param(params, `${prefix}.bias`) });
}

/**
 * adaLN modulation of a LayerNorm without affine: norm(x)·(1 + scale) + shift,
 * with scale and shift one vector per batch entry [B, 1, C].
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`norm1(x) * (1 + e[1]) + e[0]`, `Head.forward`).
 */
export function modulatedLayerNorm(x: tf.Tensor, mod: { shift: tf.Tensor; scale: tf.Tensor }, eps: number): tf.Tensor {
  return tf.tidy(() => modulatedNorm(x, { eps, scale: tf.add(1, mod.scale), shift: mod.shift }));
}

/** x + y·gate, the gate one vector per batch entry [B, 1, C] (Wan: `x = x + y * e[2]`). */
export function gatedAdd(x: tf.Tensor, y: tf.Tensor, gate: tf.Tensor): tf.Tensor {
  return gatedResidual(x, y, { gate });
}

/** RMSNorm over the last axis: x · rsqrt(mean(x²) + eps) · weight. */
export function rmsNorm(params: ParamMap, prefix: string, x: tf.Tensor, eps: number): tf.Tensor {
  return modulatedNorm(x, { kind: "rms", eps, scale: param(params, `${prefix}.weight`) });
}

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the engine's fused op where available. */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return simdGeluTanh(x);
}

/** SiLU: x · sigmoid(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/**
 * Rows of an embedding table [V, D] for int32 ids [...] → [..., D], as a one-hot matMul:
 * its gradient is a matMul, where tf.gather's (UnsortedSegmentSum) is very slow on the TF.js CPU backends.
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape as [number, number];
  return tf.tidy(() => {
    const onehot = tf.oneHot(tf.reshape(ids, [-1]), vocab, 1, 0, "float32"); // (N, V)
    return tf.reshape(tf.matMul(onehot, table), [...ids.shape, dim]); // (..., D)
  });
}
