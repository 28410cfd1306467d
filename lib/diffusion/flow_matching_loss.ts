import * as tf from "@tensorflow/tfjs-core";
import { flowMatching, type Sigmas } from "./flow_matching.ts";
import type { Cond, ModelFn } from "./types.ts";

/** Options of {@link flowMatchingLoss}. */
export interface FlowMatchingLossOptions {
  /** Per-sample noise levels σ in [0, 1] ([B], or one for all), already shifted if a shift is used. */
  sigma: Sigmas;
  /** ε, same shape as x0 (drawn by the caller from its Prng). */
  noise: tf.Tensor;
  /** Conditioning passed to the model unchanged. */
  cond?: Cond;
  /** Per-sample loss weights [B] (default 1): loss = mean_b(w_b · mse_b). */
  weights?: Float32Array | readonly number[];
  /**
   * Per-element loss weights broadcastable to x0 (e.g. [B, 1, F, H, W] to
   * weight positions, the same for every channel): the training loss becomes
   * mean_b(w_b · mean(ω ⊙ (v − (ε − x0))²)). `perSample` stays unweighted.
   */
  elementWeights?: tf.Tensor;
}

/** What {@link flowMatchingLoss} returns; the caller owns (and disposes or keeps) both tensors. */
export interface FlowMatchingLossResult {
  /** Weighted mean of the per-sample (element-weighted) losses. */
  loss: tf.Scalar;
  /** Unweighted per-sample MSE over all non-batch elements [B], for loss-by-timestep logging. */
  perSample: tf.Tensor1D;
}

/**
 * Flow-matching loss: noises x0 to x_σ = (1 − σ)·x0 + σ·ε, asks the model for
 * v at t = 1000·σ and regresses it on ε − x0 with a mean squared error.
 *
 * References: Lipman et al. 2023 §4.1 (conditional flow matching, OT path);
 * Wan2.1 training practice (MSE on ε − x0, t = 1000·σ, as in its
 * `fm_solvers_unipc.py` conventions).
 *
 * @param model velocity model (x, t, cond) => v
 * @param x0 clean latents [B, C, F, H, W]
 * @param options σ, ε, cond, optional per-sample and per-element weights
 * @returns the scalar loss and the per-sample losses
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { flowMatchingLoss } from "./flow_matching_loss.ts";
 * const x0 = tf.zeros([1, 1, 1, 1, 2]), noise = tf.ones([1, 1, 1, 1, 2]);
 * const { loss } = flowMatchingLoss((x) => tf.zerosLike(x), x0, { sigma: [0.5], noise });
 * console.log(loss.dataSync()[0]); // 1: target ε − x0 = 1 everywhere, prediction 0
 * ```
 */
export function flowMatchingLoss(
  model: ModelFn,
  x0: tf.Tensor,
  options: FlowMatchingLossOptions,
): FlowMatchingLossResult {
  const { sigma, noise, cond = {}, weights, elementWeights } = options;
  const b = x0.shape[0];
  if (x0.rank < 2) {
    throw new RangeError(
      `Cannot compute the flow-matching loss as x0 must be [B, …] with rank >= 2: received [${x0.shape}]`,
    );
  }
  if (weights !== undefined && weights.length !== b) {
    throw new RangeError(
      `Cannot weight the flow-matching loss as weights must have ${b} values: received ${weights.length}`,
    );
  }
  if (elementWeights !== undefined) {
    const ok = elementWeights.rank === x0.rank &&
      elementWeights.shape.every((d, i) => d === x0.shape[i] || (d === 1 && i !== 0));
    if (!ok) {
      throw new RangeError(
        `Cannot weight the flow-matching loss as elementWeights must broadcast to x0's [${x0.shape}] ` +
          `(same rank, batch ${b}, other dims equal or 1): received [${elementWeights.shape}]`,
      );
    }
  }
  return tf.tidy(() => {
    const xt = flowMatching.noisy(x0, noise, sigma);
    const t = flowMatching.timesteps(sigma, b);
    const v = model(xt, t, cond);
    if (v.shape.length !== x0.shape.length || v.shape.some((d, i) => d !== x0.shape[i])) {
      throw new RangeError(
        `Cannot compute the flow-matching loss as the model must return x0's shape [${x0.shape}]: received [${v.shape}]`,
      );
    }
    const err = tf.squaredDifference(v, flowMatching.target(x0, noise));
    const perSample = tf.mean(tf.reshape(err, [b, -1]), 1) as tf.Tensor1D; // (B, C*F*H*W) → (B)
    const trained = elementWeights === undefined
      ? perSample
      : tf.mean(tf.reshape(tf.mul(err, elementWeights), [b, -1]), 1); // (B, C*F*H*W) → (B)
    const loss = weights === undefined
      ? tf.mean(trained)
      : tf.mean(tf.mul(trained, tf.tensor1d(Array.from(weights))));
    return { loss: loss as tf.Scalar, perSample };
  });
}
