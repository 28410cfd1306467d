/**
 * SiLU (swish), x·σ(x): one kernel forward and one backward on the blas
 * backend (the composed tf.sigmoid/tf.mul take two passes forward and four
 * backward, on tensors as large as a VAE's full-resolution activations);
 * the composed ops elsewhere and under an outer tape (higher-order gradients).
 *
 * References: Elfwing, Uchibe & Doya 2018, "Sigmoid-weighted linear units for
 * neural network function approximation in reinforcement learning" (SiLU);
 * Wan-Video/Wan2.1 `wan/modules/vae.py` (nn.SiLU in every residual block).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { silu } from "./silu.ts";
 * await initEngine({ backend: "cpu" });
 * console.log(silu(tf.tensor([0, 1])).arraySync()); // ≈ [0, 0.7311]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedPathOpen, SILU, SILU_GRAD } from "./_fused.ts";

/**
 * @param x input, any shape
 * @returns x·σ(x), same shape and dtype
 */
export function silu<T extends tf.Tensor>(x: T): T {
  if (x.dtype === "float32" && tf.getKernel(SILU, tf.getBackend())) return fusedSilu(x) as T;
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x))) as T;
}

function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

function fusedSilu(x: tf.Tensor): tf.Tensor {
  const keepGate = gradientDepth() > 0;
  const op = tf.customGrad(
    ((xx: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, gate] = tf.engine().runKernel(SILU, { x: xx }, { keepGate }) as tf.Tensor[];
      if (gate) save([xx, gate]); // only under a tape, which is when a gradient can be asked for
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [sx, sgate]: tf.Tensor[]) =>
          fusedPathOpen(dy, sx)
            ? tf.engine().runKernel(SILU_GRAD, { dy, x: sx, gate: sgate }) as tf.Tensor
            : siluDerivativeOps(dy, sx),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return op(x) as tf.Tensor;
}

/** dy·σ(x)·(1 + x·(1 − σ(x))) from differentiable ops on x (σ recomputed, so an outer tape sees it). */
function siluDerivativeOps(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const s = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s)))));
  });
}
