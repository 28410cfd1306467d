import * as tf from "@tensorflow/tfjs-core";
import { checkBeginIndex } from "./_check_begin_index.ts";
import { flowSigmas } from "./flow_sigmas.ts";
import type { Solver } from "./solver.ts";

/** Options of {@link FlowEulerSolver}. */
export interface FlowEulerSolverOptions {
  /** Training timesteps N (schedule starts at 1 − 1/N). */
  numTrainTimesteps?: number;
}

/**
 * First-order Euler solver of the flow ODE dx/dσ = v:
 * x_{i+1} = x_i + (σ_{i+1} − σ_i)·v(x_i, σ_i), on Wan's sigma schedule
 * ({@link flowSigmas}) so that it is comparable step for step with UniPC.
 *
 * References: Lipman et al. 2023 §4 (sampling by integrating the learned
 * vector field); huggingface/diffusers `scheduling_flow_match_euler_discrete.py`
 * (`prev_sample = sample + (sigma_next - sigma) * model_output`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { FlowEulerSolver } from "./flow_euler_solver.ts";
 * const solver = new FlowEulerSolver();
 * solver.setTimesteps(4, { shift: 3 });
 * const x = tf.ones([1, 1, 1, 1, 1]);
 * const next = solver.step(tf.onesLike(x), x); // x + (σ1 − σ0)·1
 * ```
 */
export class FlowEulerSolver implements Solver {
  sigmas: Float64Array = new Float64Array(0);
  timesteps: Float64Array = new Float64Array(0);
  stepIndex = 0;
  readonly #numTrainTimesteps: number;

  /** @param options N */
  constructor(options: FlowEulerSolverOptions = {}) {
    this.#numTrainTimesteps = options.numTrainTimesteps ?? 1000;
  }

  /**
   * @param steps number of steps, >= 1
   * @param options the shift
   */
  setTimesteps(steps: number, options: { shift?: number } = {}): void {
    ({ sigmas: this.sigmas, timesteps: this.timesteps } = flowSigmas(steps, {
      shift: options.shift,
      numTrainTimesteps: this.#numTrainTimesteps,
    }));
    this.stepIndex = 0;
  }

  /**
   * @param v velocity at (x, σ_i)
   * @param x sample at σ_i
   * @returns sample at σ_{i+1}
   */
  step(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
    const i = this.stepIndex;
    if (i >= this.timesteps.length) {
      throw new RangeError(
        `Cannot step the Euler solver as all ${this.timesteps.length} steps are done (call setTimesteps first): step index ${i}`,
      );
    }
    const out = tf.tidy(() => tf.add(x, tf.mul(v, this.sigmas[i + 1] - this.sigmas[i])));
    this.stepIndex++;
    return out;
  }

  /**
   * Makes schedule entry `index` the next step (Euler keeps no history).
   * @param index in 0..steps−1
   * @throws {RangeError} when index is not an integer in that range
   */
  setBeginIndex(index: number): void {
    checkBeginIndex("Euler", index, this.timesteps.length);
    this.stepIndex = index;
  }

  /** Nothing to free: Euler keeps no history. */
  dispose(): void {}
}
