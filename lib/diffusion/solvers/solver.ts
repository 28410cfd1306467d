import type * as tf from "@tensorflow/tfjs-core";

/**
 * A flow-matching ODE solver in the diffusers style: `setTimesteps` fixes the
 * schedule, then `step` is called once per schedule entry, in order, with the
 * model's velocity at the current sample. Multistep solvers keep their
 * history inside; `dispose` frees it.
 *
 * References: huggingface/diffusers `SchedulerMixin` (`set_timesteps` / `step`;
 * `set_begin_index` for a run that starts inside the schedule).
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
   * Clears the history and makes schedule entry `index` the next step, so a
   * sample noised to σ_index (image-to-image, SDEdit) is integrated over the
   * rest of the schedule; a multistep solver warms up again from order 1.
   * @param index in 0..steps−1
   * @throws {RangeError} outside that range
   */
  setBeginIndex(index: number): void;
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
