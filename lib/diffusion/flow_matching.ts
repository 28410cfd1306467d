import * as tf from "@tensorflow/tfjs-core";

/** Per-sample noise levels: one per batch entry, or one for all. */
export type Sigmas = Float32Array | readonly number[] | number;

function sigmaColumn(sigma: Sigmas, like: tf.Tensor): tf.Tensor {
  const b = like.shape[0] ?? 1;
  const values = typeof sigma === "number" ? new Array(b).fill(sigma) : Array.from(sigma);
  if (values.length !== b) {
    throw new RangeError(
      `Cannot apply per-sample sigma as it must have one value per batch entry (${b}): received ${values.length}`,
    );
  }
  const bad = values.findIndex((s) => !(s >= 0 && s <= 1));
  if (bad >= 0) {
    throw new RangeError(`Cannot apply sigma as it must be in [0, 1]: received ${values[bad]} at index ${bad}`);
  }
  return tf.tensor(values, [b, ...like.shape.slice(1).map(() => 1)], "float32"); // (B, 1, …, 1)
}

function sameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `Cannot compute ${what} as noise must have the shape of x0 [${a.shape}]: received [${b.shape}]`,
    );
  }
}

/**
 * The rectified-flow (flow-matching) parametrisation used by Wan-2.1:
 * x_σ = (1 − σ)·x0 + σ·ε, the model regresses v = ε − x0, and the model's
 * timestep is t = 1000·σ. σ = 0 is data, σ = 1 is pure noise; dx/dσ = v.
 *
 * References: Lipman et al. 2023 "Flow Matching for Generative Modeling" §4.1
 * (optimal-transport path with σ_min = 0); Liu et al. 2023 (rectified flow);
 * Wan2.1 `wan/utils/fm_solvers_unipc.py` (`add_noise`: `alpha_t = 1 - sigma`,
 * `convert_model_output`: x0 = x − σ·v; timesteps = σ·num_train_timesteps).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { flowMatching } from "./flow_matching.ts";
 * const x0 = tf.ones([2, 1, 1, 1, 1]), eps = tf.zeros([2, 1, 1, 1, 1]);
 * flowMatching.noisy(x0, eps, [0.25, 1]).print(); // [[[[[0.75]]]], [[[[0]]]]]
 * ```
 *
 * @returns (the object) the helpers noisy, target, timesteps and predictX0; each returns a new tensor the caller disposes
 */
export const flowMatching = {
  /**
   * Noised sample x_σ = (1 − σ)·x0 + σ·ε.
   * @param x0 clean latents [B, …]
   * @param noise ε, same shape
   * @param sigma per-sample σ ([B] or one number)
   * @returns x_σ [B, …]
   */
  noisy(x0: tf.Tensor, noise: tf.Tensor, sigma: Sigmas): tf.Tensor {
    sameShape(x0, noise, "x_sigma");
    return tf.tidy(() => {
      const s = sigmaColumn(sigma, x0);
      return tf.add(tf.mul(tf.sub(1, s), x0), tf.mul(s, noise));
    });
  },
  /**
   * Regression target v = ε − x0 (the velocity dx/dσ of the straight path).
   * @param x0 clean latents
   * @param noise ε, same shape
   * @returns v
   */
  target(x0: tf.Tensor, noise: tf.Tensor): tf.Tensor {
    sameShape(x0, noise, "the velocity target");
    return tf.sub(noise, x0);
  },
  /**
   * Model timesteps t = 1000·σ.
   * @param sigma per-sample σ
   * @param batch batch size when sigma is one number
   * @returns t [B] float32
   */
  timesteps(sigma: Sigmas, batch = 1): tf.Tensor1D {
    const values = typeof sigma === "number" ? new Array(batch).fill(sigma) : Array.from(sigma);
    return tf.tensor1d(values.map((s) => 1000 * s), "float32");
  },
  /**
   * Clean-sample estimate from a velocity: x0 = x_σ − σ·v.
   * @param x x_σ [B, …]
   * @param v velocity [B, …]
   * @param sigma per-sample σ
   * @returns x0 estimate
   */
  predictX0(x: tf.Tensor, v: tf.Tensor, sigma: Sigmas): tf.Tensor {
    return tf.tidy(() => tf.sub(x, tf.mul(sigmaColumn(sigma, x), v)));
  },
} as const;
