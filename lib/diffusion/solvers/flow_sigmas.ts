/** The inference noise schedule of a flow-matching solver. */
export interface FlowSigmas {
  /** steps + 1 noise levels, decreasing, ending at 0 (float32-rounded, as the reference stores them). */
  sigmas: Float64Array;
  /** steps model timesteps 1000·σ_i, computed before the float32 rounding (Wan truncates these to int64). */
  timesteps: Float64Array;
}

/** Options of {@link flowSigmas}. */
export interface FlowSigmasOptions {
  /** σ' = shift·σ/(1 + (shift − 1)·σ); Wan samples T2V 480p with 5 (its CLI default; 3 for I2V 480p). */
  shift?: number;
  /** Training timesteps N; the schedule starts at σ_max = 1 − 1/N. */
  numTrainTimesteps?: number;
}

/**
 * Wan-2.1's sampling schedule: σ_i = linspace(σ_max, 0, steps + 1)[i] for
 * i < steps with σ_max = 1 − 1/N, each shifted, then a final σ = 0. Starting
 * just below 1 keeps log((1 − σ)/σ) finite for the multistep solvers.
 *
 * References: Wan2.1 `wan/utils/fm_solvers_unipc.py` (`__init__`: sigmas =
 * 1 − linspace(1, 1/N, N)[::-1], so σ_max = 1 − 1/N and σ_min = 0;
 * `set_timesteps`: linspace(σ_max, σ_min, steps + 1)[:-1], shifted,
 * timesteps = σ·N, final_sigmas_type "zero", float32 storage).
 *
 * @param steps number of solver steps (model evaluations), >= 1
 * @param options shift and N
 * @returns the sigmas (steps + 1) and timesteps (steps)
 * @example
 * ```ts
 * import { flowSigmas } from "./flow_sigmas.ts";
 * const { sigmas } = flowSigmas(2);
 * console.log(Array.from(sigmas)); // [0.999…, 0.4995…, 0]
 * ```
 */
export function flowSigmas(steps: number, options: FlowSigmasOptions = {}): FlowSigmas {
  const { shift = 1, numTrainTimesteps = 1000 } = options;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`Cannot build the sigma schedule as steps must be an integer >= 1: received ${steps}`);
  }
  if (!(shift > 0) || !Number.isFinite(shift)) {
    throw new RangeError(`Cannot build the sigma schedule as shift must be a finite number > 0: received ${shift}`);
  }
  if (!Number.isInteger(numTrainTimesteps) || numTrainTimesteps < 2) {
    throw new RangeError(
      `Cannot build the sigma schedule as numTrainTimesteps must be an integer >= 2: received ${numTrainTimesteps}`,
    );
  }
  const sigmaMax = Math.fround(1 - 1 / numTrainTimesteps);
  const delta = (0 - sigmaMax) / steps; // numpy linspace: start + i·(stop − start)/(num − 1)
  const sigmas = new Float64Array(steps + 1);
  const timesteps = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const s = i * delta + sigmaMax;
    const shifted = (shift * s) / (1 + (shift - 1) * s);
    timesteps[i] = shifted * numTrainTimesteps;
    sigmas[i] = Math.fround(shifted);
  }
  sigmas[steps] = 0;
  return { sigmas, timesteps };
}
