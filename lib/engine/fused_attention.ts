/**
 * Softmax attention with heads, softmax(scale·q·kᵀ)·v, on [B, L, H, d]
 * tensors: one fused kernel (forward and backward) on the blas backend, plain
 * differentiable ops elsewhere or when an additive bias is given.
 *
 * The fused kernel skips the four head transposes, the scale multiply and the
 * softmax-gradient passes, and keeps no [B, H, Lq, Lk] probabilities between
 * forward and backward (they are recomputed), which is most of the memory of
 * a transformer's activations at long sequence lengths.
 *
 * References: Vaswani et al. 2017 §3.2 (scaled dot-product, multi-head);
 * Dao et al. 2022, "FlashAttention" (recomputation in the backward pass);
 * Wan-Video/Wan2.1 `wan/modules/attention.py` (q, k, v as [B, L, N, d]).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { fusedAttention } from "./fused_attention.ts";
 * await initEngine({ backend: "cpu" });
 * const q = tf.ones([1, 2, 1, 4]);
 * console.log(fusedAttention(q, { k: q, v: q }).shape); // [1, 2, 1, 4]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { ATTENTION, ATTENTION_GRAD } from "./_attention.ts";

/** Options of {@link fusedAttention}. */
export interface FusedAttentionOptions {
  /** Logit scale (default 1/√d). */
  scale?: number;
  /** Additive logit bias broadcastable to [B, H, Lq, Lk] (uses the composed ops). */
  bias?: tf.Tensor;
  /**
   * Recompute the [B, H, Lq, Lk] probabilities in the backward pass instead of
   * keeping them (saves their memory, costs one more Q·Kᵀ and softmax).
   * Default: recompute when they exceed 4M floats (16 MB).
   */
  recompute?: boolean;
}

/**
 * @param q queries [B, Lq, H, d]
 * @param kv keys and values, each [B, Lk, H, d]
 * @param options scale and bias
 * @returns [B, Lq, H, d]
 */
export function fusedAttention(
  q: tf.Tensor,
  kv: { k: tf.Tensor; v: tf.Tensor },
  options: FusedAttentionOptions = {},
): tf.Tensor {
  const { k, v } = kv;
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4) {
    throw new RangeError(
      `Cannot compute attention as q, k, v must be [B, L, H, d]: received [${q.shape}], [${k.shape}], [${v.shape}]`,
    );
  }
  if (
    k.shape[0] !== q.shape[0] || k.shape[2] !== q.shape[2] || k.shape[3] !== q.shape[3] ||
    !tf.util.arraysEqual(k.shape, v.shape)
  ) {
    throw new RangeError(`Cannot compute attention as shapes disagree: q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  }
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3] as number);
  const fused = !options.bias && [q, k, v].every((t) => t.dtype === "float32") &&
    tf.getKernel(ATTENTION, tf.getBackend()) != null;
  if (fused) return fusedKernel(q, k, v, scale, options.recompute);
  return tf.tidy(() => {
    const [qh, kh, vh] = [q, k, v].map(heads); // (B, H, L, d)
    let scores = tf.mul(tf.matMul(qh, kh, false, true), scale); // (B, H, Lq, Lk)
    if (options.bias) scores = tf.add(scores, options.bias);
    return tf.transpose(tf.matMul(tf.softmax(scores, -1), vh), [0, 2, 1, 3]); // (B, Lq, H, d)
  });
}

/** [B, L, H, d] → [B, H, L, d] (and back: the permutation is its own inverse). */
function heads(t: tf.Tensor): tf.Tensor {
  return tf.transpose(t, [0, 2, 1, 3]);
}

/** Gradients of the attention from differentiable ops (higher-order gradients, other backends). */
function attentionGradOps(dy: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, scale: number): tf.Tensor[] {
  return tf.tidy(() => {
    const [qh, kh, vh, dyh] = [q, k, v, dy].map(heads); // (B, H, L, d)
    const p = tf.softmax(tf.mul(tf.matMul(qh, kh, false, true), scale), -1); // (B, H, Lq, Lk)
    const dv = tf.matMul(p, dyh, true, false); // (B, H, Lk, d)
    const dp = tf.matMul(dyh, vh, false, true); // (B, H, Lq, Lk)
    const ds = tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), -1, true)));
    const dq = tf.mul(tf.matMul(ds, kh), scale); // (B, H, Lq, d)
    const dk = tf.mul(tf.matMul(ds, qh, true, false), scale); // (B, H, Lk, d)
    return [dq, dk, dv].map(heads); // (B, L, H, d)
  });
}

/** Probabilities up to this many floats (16 MB) are kept for the backward pass; larger ones are recomputed. */
const KEEP_PROBS_LIMIT = 1 << 22;

function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

/** The blas kernel pair as one differentiable op (customGrad carries the scale and the kept exp-scores). */
function fusedKernel(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, scale: number, recompute?: boolean): tf.Tensor {
  const [b, lq, h] = q.shape as number[];
  const keep = gradientDepth() > 0 && !(recompute ?? b * h * lq * (k.shape[1] as number) > KEEP_PROBS_LIMIT);
  const op = tf.customGrad(
    ((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, save: tf.GradSaveFunc) => {
      const [o, e, sums] = tf.engine().runKernel(ATTENTION, { q: qq, k: kk, v: vv }, { scale, keep }) as tf.Tensor[];
      save(e ? [qq, kk, vv, e, sums] : [qq, kk, vv]);
      return { value: o, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => attentionGrad(dy, saved, scale) };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(q, k, v) as tf.Tensor;
}

/** dq, dk, dv: one blas kernel, or differentiable ops under an outer tape (higher-order gradients). */
function attentionGrad(dy: tf.Tensor, saved: tf.Tensor[], scale: number): tf.Tensor[] {
  const [q, k, v, e, sums] = saved;
  if (gradientDepth() === 0 && tf.getKernel(ATTENTION_GRAD, tf.getBackend()) != null) {
    return tf.engine().runKernel(ATTENTION_GRAD, e ? { dy, q, k, v, e, sums } : { dy, q, k, v }, {
      scale,
    }) as tf.Tensor[];
  }
  return attentionGradOps(dy, q, k, v, scale);
}
