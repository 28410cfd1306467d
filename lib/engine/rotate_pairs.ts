/**
 * Rotation of adjacent channel pairs (2i, 2i+1) by per-position angles, the
 * core of rotary position embeddings: out[j] = x[j]·cos[j] + x[j^1]·sin[j],
 * with tables holding cos θ for both channels of a pair and (−sin θ, +sin θ),
 * i.e. (a, b) → (a·cos θ − b·sin θ, a·sin θ + b·cos θ). One kernel forward and
 * one backward (the inverse rotation) on the blas backend; composed tf ops
 * elsewhere. The tables are constants (no gradient flows to them).
 *
 * References: Su et al. 2021, "RoFormer" §3.4.2; Wan-Video/Wan2.1
 * `wan/modules/model.py` (`rope_apply`: a complex multiply of channel pairs).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { rotatePairs } from "./rotate_pairs.ts";
 * await initEngine({ backend: "cpu" });
 * // A quarter turn: (1, 0) → (0, 1).
 * const y = rotatePairs(tf.tensor([[1, 0]]), { cos: tf.tensor([[0, 0]]), sin: tf.tensor([[-1, 1]]) });
 * console.log(y.arraySync()); // [[0, 1]]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { gradientDepth, kernelOpen, ROTATE_PAIRS, ROTATE_PAIRS_GRAD, rotationFits } from "./_fused_modulation.ts";

/** Options of {@link rotatePairs}. */
export interface RotatePairsOptions {
  /** cos θ per channel (both channels of a pair), broadcastable to x. */
  cos: tf.Tensor;
  /** (−sin θ, +sin θ) per pair, the shape of cos. */
  sin: tf.Tensor;
}

/**
 * @param x input [..., d] with d even
 * @param options the cos and sin tables
 * @returns the rotated tensor, same shape as x
 */
export function rotatePairs(x: tf.Tensor, options: RotatePairsOptions): tf.Tensor {
  const { cos, sin } = options;
  const d = x.shape[x.rank - 1];
  if (x.rank === 0 || d % 2 !== 0) {
    throw new RangeError(`Cannot rotate channel pairs as the last axis must be even: received shape [${x.shape}]`);
  }
  if (!tf.util.arraysEqual(cos.shape, sin.shape)) {
    throw new RangeError(`Cannot rotate channel pairs as cos and sin differ in shape: [${cos.shape}], [${sin.shape}]`);
  }
  const fused = kernelOpen(ROTATE_PAIRS, x, cos, sin) && rotationFits(x.shape, cos.shape);
  if (!fused) return composed(x, cos, sin);
  const op = tf.customGrad(
    ((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      save([cos, sin]);
      return {
        value: tf.engine().runKernel(ROTATE_PAIRS, { x: xx, cos, sin }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor, [sc, ss]: tf.Tensor[]) => {
          if (gradientDepth() > 0 || !kernelOpen(ROTATE_PAIRS_GRAD, dy)) {
            return tf.grads((a: tf.Tensor) => composed(a, sc, ss))([tf.zerosLike(dy)], dy)[0];
          }
          return tf.engine().runKernel(ROTATE_PAIRS_GRAD, { x: dy, cos: sc, sin: ss }) as tf.Tensor;
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x) as tf.Tensor;
}

/** x·cos + swapPairs(x)·sin from differentiable ops (the swap as a reverse of [..., d/2, 2]). */
function composed(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = x.shape[x.rank - 1];
    const pairs = tf.reshape(x, [...x.shape.slice(0, -1), d / 2, 2]); // (..., d/2, 2)
    const swapped = tf.reshape(tf.reverse(pairs, -1), x.shape); // (..., d)
    return tf.add(tf.mul(x, cos), tf.mul(swapped, sin));
  });
}
