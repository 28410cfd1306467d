import type * as tf from "@tensorflow/tfjs-core";

/**
 * A flow-matching ODE solver in the diffusers style: `setTimesteps` fixes the
 * schedule, then `step` is called once per schedule entry, in order, with the
 * model's velocity at the current sample. Multistep solvers keep their
 * history inside; `dispose` frees it.
 *
 * References: huggingface/diffusers `SchedulerMixin` (`set_timesteps` / `step`).
 */
export interface Solver {
  /** Noise levels, steps + 1 entries ending at 0 (empty before setTimesteps). */
  readonly sigmas: Float64Array;
  /** Model timesteps 1000·σ_i, steps entries. */
  readonly timesteps: Float64Array;
  /** Index of the next step (0 after setTimesteps). */
  readonly stepIndex: number;
  /** Sets the schedule and clears the history. */
  setTimesteps(steps: number, options?: { shift?: number }): void;
  /**
   * Advances from σ_i to σ_{i+1}.
   * @param v velocity v(x, σ_i)
   * @param x sample at σ_i (not disposed)
   * @returns the sample at σ_{i+1}, owned by the caller
   */
  step(v: tf.Tensor, x: tf.Tensor): tf.Tensor;
  /** Frees the tensors of the history. */
  dispose(): void;
}
