/**
 * Softmax attention with heads like the engine's `fusedAttention`, with the
 * softmax exponentials of the blas forward kernel four lanes at a time
 * (WebAssembly SIMD), and so is the softmax gradient of the backward pass.
 * Elsewhere (other backends, an additive
 * bias, key lengths not a multiple of 4 inside the kernel, no SIMD) it is
 * `fusedAttention`.
 *
 * References: Vaswani et al. 2017 §3.2 (scaled dot-product, multi-head);
 * Dao et al. 2022, "FlashAttention" (recomputation); Wan-Video/Wan2.1
 * `wan/modules/attention.py` (q, k, v as [B, L, N, d]).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { simdAttention } from "./simd_attention.ts";
 * await initEngine({ backend: "cpu" });
 * const q = tf.ones([1, 2, 1, 4]);
 * console.log(simdAttention(q, { k: q, v: q }).shape); // [1, 2, 1, 4]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { gradientDepth } from "./_fused_modulation.ts";
import { SIMD_ATTENTION, SIMD_ATTENTION_GRAD } from "./_simd_kernels.ts";
import { fusedAttention, type FusedAttentionOptions } from "./fused_attention.ts";

/** Probabilities up to this many floats (16 MB) are kept for the backward pass (as `fusedAttention`). */
const KEEP_PROBS_LIMIT = 1 << 22;

/**
 * @param q queries [B, Lq, H, d]
 * @param kv keys and values, each [B, Lk, H, d]
 * @param options scale, bias, recompute (as `fusedAttention`)
 * @returns [B, Lq, H, d]
 */
export function simdAttention(
  q: tf.Tensor,
  kv: { k: tf.Tensor; v: tf.Tensor },
  options: FusedAttentionOptions = {},
): tf.Tensor {
  const { k, v } = kv;
  const usable = !options.bias && q.rank === 4 && k.rank === 4 && v.rank === 4 &&
    [q, k, v].every((t) => t.dtype === "float32") && tf.getKernel(SIMD_ATTENTION, tf.getBackend()) != null &&
    k.shape[0] === q.shape[0] && k.shape[2] === q.shape[2] && k.shape[3] === q.shape[3] &&
    tf.util.arraysEqual(k.shape, v.shape);
  if (!usable) return fusedAttention(q, kv, options); // its checks and errors, or the other paths
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3] as number);
  const [b, lq, h] = q.shape as number[];
  const recompute = options.recompute ?? b * h * lq * (k.shape[1] as number) > KEEP_PROBS_LIMIT;
  const keep = gradientDepth() > 0 && !recompute;
  const op = tf.customGrad(
    ((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, save: tf.GradSaveFunc) => {
      const [o, e, sums] = tf.engine().runKernel(SIMD_ATTENTION, { q: qq, k: kk, v: vv }, {
        scale,
        keep,
      }) as tf.Tensor[];
      save(e ? [qq, kk, vv, e, sums] : [qq, kk, vv]);
      return {
        value: o,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sq, sk, sv, se, ssums] = saved;
          if (gradientDepth() === 0 && tf.getKernel(SIMD_ATTENTION_GRAD, tf.getBackend()) != null) {
            const inputs: tf.NamedTensorMap = se
              ? { dy, q: sq, k: sk, v: sv, e: se, sums: ssums }
              : { dy, q: sq, k: sk, v: sv };
            return tf.engine().runKernel(SIMD_ATTENTION_GRAD, inputs, { scale }) as tf.Tensor[];
          }
          // Under an outer tape: differentiate the composed ops (higher-order gradients).
          return tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => composed(a, c, d, scale))([sq, sk, sv], dy);
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(q, k, v) as tf.Tensor;
}

/** softmax(scale·q·kᵀ)·v from differentiable ops, [B, L, H, d] in and out. */
function composed(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, scale: number): tf.Tensor {
  return tf.tidy(() => {
    const [qh, kh, vh] = [q, k, v].map((t) => tf.transpose(t, [0, 2, 1, 3])); // (B, H, L, d)
    const p = tf.softmax(tf.mul(tf.matMul(qh, kh, false, true), scale), -1); // (B, H, Lq, Lk)
    return tf.transpose(tf.matMul(p, vh), [0, 2, 1, 3]); // (B, Lq, H, d)
  });
}
