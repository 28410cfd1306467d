/**
 * A gated residual connection, x + y·gate, with a per-row gate ([C], or one
 * vector per batch entry [B, 1, …, 1, C]): one kernel forward and one
 * backward on the blas backend (the gate's gradient comes from the same pass
 * as y's), composed tf ops elsewhere or for other gate shapes.
 *
 * References: Peebles & Xie 2023, "Scalable Diffusion Models with
 * Transformers" §3.2 (adaLN-Zero gates); Wan-Video/Wan2.1
 * `wan/modules/model.py` (`WanAttentionBlock.forward`: `x = x + y * e[2]`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { gatedResidual } from "./gated_residual.ts";
 * await initEngine({ backend: "cpu" });
 * const out = gatedResidual(tf.tensor([[[1, 1]]]), tf.tensor([[[2, 3]]]), { gate: tf.tensor([0.5, -1]) });
 * console.log(out.arraySync()); // [[[2, -2]]]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { GATED_RESIDUAL, GATED_RESIDUAL_GRAD, gradientDepth, kernelOpen, rowGroups } from "./_fused_modulation.ts";

/** Options of {@link gatedResidual}. */
export interface GatedResidualOptions {
  /** Multiplies y: [C] or [B, 1, …, 1, C] (any shape broadcastable to y on the composed path). */
  gate: tf.Tensor;
}

/**
 * @param x the residual stream [B, …, C]
 * @param y the branch output, same shape as x
 * @param options the gate
 * @returns x + y·gate
 */
export function gatedResidual(x: tf.Tensor, y: tf.Tensor, options: GatedResidualOptions): tf.Tensor {
  const { gate } = options;
  if (!tf.util.arraysEqual(x.shape, y.shape)) {
    throw new RangeError(
      `Cannot add a gated residual as x and y must have one shape: received [${x.shape}], [${y.shape}]`,
    );
  }
  const fused = kernelOpen(GATED_RESIDUAL, x, y, gate) && x.rank >= 2 && rowGroups(y.shape, gate.shape) > 0;
  if (!fused) return tf.tidy(() => tf.add(x, tf.mul(y, gate)));
  const op = tf.customGrad(
    ((xx: tf.Tensor, yy: tf.Tensor, gg: tf.Tensor, save: tf.GradSaveFunc) => {
      save([yy, gg]);
      return {
        value: tf.engine().runKernel(GATED_RESIDUAL, { x: xx, y: yy, gate: gg }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor, [sy, sg]: tf.Tensor[]) => {
          if (gradientDepth() > 0 || !kernelOpen(GATED_RESIDUAL_GRAD, dy)) {
            // Under an outer tape: differentiate the composed ops (higher-order gradients).
            const [, dyy, dg] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.add(a, tf.mul(b, c)))(
              [tf.zerosLike(sy), sy, sg],
              dy,
            );
            return [tf.clone(dy), dyy, dg];
          }
          const [dyy, dg] = tf.engine().runKernel(GATED_RESIDUAL_GRAD, { dy, y: sy, gate: sg }) as tf.Tensor[];
          return [tf.clone(dy), dyy, tf.reshape(dg, sg.shape)];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x, y, gate) as tf.Tensor;
}
