import * as tf from "@tensorflow/tfjs-core";
import type { GuidanceInputs } from "./guidance/guidance_config.ts";
import { guidanceKind } from "./guidance/guidance_config.ts";
import { initStepsTaken } from "./init_steps_taken.ts";
import { checkSamplerConfig, type SamplerConfig, type SolverName } from "./sampler_config.ts";
import { FlowEulerSolver } from "./solvers/flow_euler_solver.ts";
import { FlowUniPCSolver } from "./solvers/flow_unipc_solver.ts";
import type { Solver } from "./solvers/solver.ts";
import type { Cond, ModelFn } from "./types.ts";

/** What {@link sample} reports after each step. */
export interface SampleStepInfo {
  /** 0-based index of the step just taken. */
  step: number;
  steps: number;
  /** Noise level the step started from and the one it reached. */
  sigma: number;
  sigmaNext: number;
  /** Timestep the model saw. */
  t: number;
  /** The sample at sigmaNext; valid only during the callback (clone it to keep it). */
  x: tf.Tensor;
}

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Solver, steps, shift, guidance, guidance interval, start from data: the sample set's record, taken as it is. */
  sampler: SamplerConfig;
  /** Conditioning of the conditional branch. */
  cond: Cond;
  /**
   * What `sampler.guidance` names but cannot hold: `{ nullCond? }` for "cfg" (the values of the dropped entries),
   * `{ model, cond, uncond? }` for "autoguidance" (the guide and its conditioning; the guided model's unconditional
   * Cond for its `cfg` term).
   */
  guide?: GuidanceInputs;
  /** The data `sampler.init` starts from, of the noise's shape (not disposed). */
  x0?: tf.Tensor;
  /** A Solver instance to use in place of `sampler.solver`'s (e.g. one configured otherwise); not disposed. */
  solver?: Solver;
  /**
   * Pass t = trunc(1000·σ) as Wan's pipelines do (they cast the scheduler's
   * timesteps to int64); default false passes t = 1000·σ unrounded.
   */
  integerTimesteps?: boolean;
  /** Called after every step. */
  onStep?: (info: SampleStepInfo) => void;
}

/**
 * Integrates the flow ODE from noise (taken to be at σ_0 = 1 − 1/1000) to
 * σ = 0 with the model as the velocity field. Each step evaluates the model on
 * `cond`; the sampler's guidance (lib/diffusion/guidance: none, classifier-free,
 * autoguidance) turns that velocity into the one the solver takes, at the
 * steps whose starting σ lies in `sampler.interval` (every step without one).
 * With `sampler.init`, it starts inside the schedule from `x0` noised to that
 * step's σ (SDEdit).
 *
 * References: Wan2.1 `wan/text2video.py` `generate` (scheduler built with
 * shift 1, `set_timesteps(steps, shift=shift)`, both branches per step, then
 * `sample_scheduler.step`); Kynkäänniemi et al. 2024, "Applying Guidance in a
 * Limited Interval Improves Sample and Distribution Quality in Diffusion
 * Models" (the interval); Meng et al. 2022, "SDEdit" (start from noised
 * data), with diffusers' img2img rule for the first step
 * (`t_start = steps − ⌊strength·steps⌋`).
 *
 * @param model velocity model (x, t, cond) => v
 * @param noise starting sample [B, C, F, H, W] (not disposed)
 * @param options the sampler config, cond, the guidance's inputs, data to start from, timestep format, callback
 * @returns the sample at σ = 0, owned by the caller
 * @throws {RangeError} when the sampler config is malformed (checkSamplerConfig), the guidance lacks an input it
 *   needs, or `x0` is missing or has another shape than the noise while `sampler.init` is set
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { sample } from "./sample.ts";
 * // The exact velocity for data concentrated at 0 is v = x/σ: every solver lands on 0.
 * const model = (x: tf.Tensor, t: tf.Tensor) => tf.div(x, tf.reshape(tf.div(t, 1000), [-1, 1, 1, 1, 1]));
 * const sampler = { solver: "unipc", steps: 4, shift: 5, guidance: { kind: "none" } } as const;
 * const x0 = sample(model, tf.ones([1, 1, 1, 1, 1]), { sampler, cond: {} });
 * console.log(Math.abs(x0.dataSync()[0]) < 1e-6); // true
 * ```
 */
export function sample(model: ModelFn, noise: tf.Tensor, options: SampleOptions): tf.Tensor {
  const { sampler, cond, integerTimesteps = false, onStep } = options;
  if (noise.rank < 1) throw new RangeError(`Cannot sample as noise must be [B, …]: received a scalar`);
  checkSamplerConfig(sampler);
  const { steps, shift, interval } = sampler;
  const guided = guidanceKind(sampler.guidance).prepare(sampler.guidance, { model, cond, inputs: options.guide });
  const begin = sampler.init ? steps - initStepsTaken(sampler.init.strength, steps) : 0;
  if (sampler.init) checkData(options.x0, noise);
  const solver = options.solver ?? makeSolver(sampler.solver);
  const batch = noise.shape[0];

  let x = noise;
  try {
    solver.setTimesteps(steps, { shift });
    if (sampler.init) {
      const sigma = solver.sigmas[begin];
      x = tf.tidy(() => tf.add(tf.mul(options.x0!, 1 - sigma), tf.mul(noise, sigma))); // (B, C, F, H, W) at σ_b
      solver.setBeginIndex(begin);
    }
    for (let i = begin; i < steps; i++) {
      const tValue = integerTimesteps ? Math.trunc(solver.timesteps[i]) : solver.timesteps[i];
      const sigma = solver.sigmas[i];
      const inside = !interval || (sigma >= interval.min && sigma <= interval.max);
      const next = tf.tidy(() => {
        const t = tf.fill([batch], tValue, "float32");
        const evaluate = (m: ModelFn, c: Cond) => checked(m(x, t, c), x);
        const vCond = evaluate(model, cond);
        return solver.step(guided && inside ? guided(vCond, evaluate) : vCond, x);
      });
      if (x !== noise) x.dispose();
      x = next;
      onStep?.({ step: i, steps, sigma, sigmaNext: solver.sigmas[i + 1], t: tValue, x });
    }
  } catch (e) {
    if (x !== noise) x.dispose();
    throw e;
  } finally {
    if (!options.solver) solver.dispose();
  }
  return x === noise ? tf.clone(noise) : x;
}

/** The data a sample starts from must be there and have the noise's shape. */
function checkData(x0: tf.Tensor | undefined, noise: tf.Tensor): void {
  if (!x0) throw new RangeError(`Cannot sample from data as sampler.init is set and no x0 was given: expected x0 of shape [${noise.shape}]`);
  if (x0.shape.length !== noise.shape.length || x0.shape.some((d, i) => d !== noise.shape[i])) {
    throw new RangeError(`Cannot sample from data of shape [${x0.shape}]: expected the noise's shape [${noise.shape}]`);
  }
}

function makeSolver(solver: SolverName): Solver {
  return solver === "euler" ? new FlowEulerSolver() : new FlowUniPCSolver();
}

function checked(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (v.shape.length !== x.shape.length || v.shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(
      `Cannot sample as the model must return the sample's shape [${x.shape}]: received [${v.shape}]`,
    );
  }
  return v;
}
