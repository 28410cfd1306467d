import * as tf from "@tensorflow/tfjs-core";
import { checkGuidanceInterval } from "./check_guidance_interval.ts";
import { classifierFreeGuidance } from "./classifier_free_guidance.ts";
import { initStepsTaken } from "./init_steps_taken.ts";
import { FlowEulerSolver } from "./solvers/flow_euler_solver.ts";
import { FlowUniPCSolver } from "./solvers/flow_unipc_solver.ts";
import type { Solver } from "./solvers/solver.ts";
import type { Cond, ModelFn } from "./types.ts";
import { type Guidance, unconditionalCond } from "./unconditional_cond.ts";

/** Built-in solvers by name. */
export type SolverName = "euler" | "unipc";

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
  /** "euler", "unipc" (Wan's default), or a Solver instance. */
  solver: SolverName | Solver;
  /** Number of model evaluations per branch, >= 1. */
  steps: number;
  /** Schedule shift (1 = none; Wan uses 5 for T2V, 3 for 480p I2V). */
  shift: number;
  /** Conditioning of the conditional branch. */
  cond: Cond;
  /**
   * Classifier-free guidance (the same model with dropped conditioning) or
   * autoguidance (a weaker model, `{ model, cond }`); omitted or scale 1
   * evaluates the conditional branch only.
   */
  guidance?: Guidance;
  /**
   * Pass t = trunc(1000·σ) as Wan's pipelines do (they cast the scheduler's
   * timesteps to int64); default false passes t = 1000·σ unrounded.
   */
  integerTimesteps?: boolean;
  /** Called after every step. */
  onStep?: (info: SampleStepInfo) => void;
  /**
   * Start from data instead of pure noise (image-to-image; SDEdit): of the
   * `steps` schedule entries only the last k = ⌊strength·steps⌋ are taken,
   * from x = (1 − σ_b)·x0 + σ_b·noise at σ_b, the schedule's noise level
   * `steps − k` (strength 1: plain sampling from noise; smaller: more of x0
   * is kept). `x0` must have the noise's shape; it is not disposed.
   */
  init?: { x0: tf.Tensor; strength: number };
}

/**
 * Integrates the flow ODE from noise (taken to be at σ_0 = 1 − 1/1000) to
 * σ = 0 with the model as the velocity field, applying guidance
 * v = v_u + scale·(v_c − v_u) at every step, where v_u is the same model
 * unconditioned (classifier-free guidance) or a weaker model (autoguidance).
 * Autoguidance with `cfg` adds classifier-free guidance's term to it,
 * v = v_c + (scale − 1)·(v_c − v_weak) + (cfg.scale − 1)·(v_c − v_u), which
 * is each alone when the other scale is 1.
 * With `guidance.interval`, only the steps starting at a σ inside it are
 * guided. With `init`, it starts inside the schedule from data noised to that
 * step's σ (SDEdit).
 *
 * References: Wan2.1 `wan/text2video.py` `generate` (scheduler built with
 * shift 1, `set_timesteps(steps, shift=shift)`, both branches per step, then
 * `sample_scheduler.step`); Ho & Salimans 2022 (CFG); Karras et al. 2024,
 * "Guiding a Diffusion Model with a Bad Version of Itself" (autoguidance:
 * the same combination with a weaker model as the second branch);
 * Kynkäänniemi et al. 2024, "Applying Guidance in a Limited Interval Improves
 * Sample and Distribution Quality in Diffusion Models" (the interval); Meng et al. 2022,
 * "SDEdit" (start from noised data), with diffusers' img2img rule for the
 * first step (`t_start = steps − ⌊strength·steps⌋`).
 *
 * @param model velocity model (x, t, cond) => v
 * @param noise starting sample [B, C, F, H, W] (not disposed)
 * @param options solver, steps, shift, cond, guidance, timestep format, callback, data to start from
 * @returns the sample at σ = 0, owned by the caller
 * @throws {RangeError} when `init.strength` is outside (0, 1], takes no step (strength·steps < 1), or
 *   `init.x0` has another shape than the noise; when `guidance.interval` is not 0 <= min <= max
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { sample } from "./sample.ts";
 * // The exact velocity for data concentrated at 0 is v = x/σ: every solver lands on 0.
 * const model = (x: tf.Tensor, t: tf.Tensor) => tf.div(x, tf.reshape(tf.div(t, 1000), [-1, 1, 1, 1, 1]));
 * const x0 = sample(model, tf.ones([1, 1, 1, 1, 1]), { solver: "unipc", steps: 4, shift: 5, cond: {} });
 * console.log(Math.abs(x0.dataSync()[0]) < 1e-6); // true
 * ```
 */
export function sample(model: ModelFn, noise: tf.Tensor, options: SampleOptions): tf.Tensor {
  const { steps, shift, cond, guidance, integerTimesteps = false, onStep } = options;
  if (noise.rank < 1) throw new RangeError(`Cannot sample as noise must be [B, …]: received a scalar`);
  const solver = makeSolver(options.solver);
  solver.setTimesteps(steps, { shift });
  const batch = noise.shape[0];
  const guided = guidance !== undefined && guidance.scale !== 1;
  if (guidance !== undefined && !Number.isFinite(guidance.scale)) {
    throw new RangeError(`Cannot sample as guidance.scale must be finite: received ${guidance.scale}`);
  }
  const interval = guidance?.interval;
  checkGuidanceInterval(interval);
  const uncond = guided ? unconditionalCond(cond, guidance) : undefined;
  const weakModel = guided && "model" in guidance ? guidance.model : model;
  // Classifier-free guidance's term on top of autoguidance: the same model on its unconditional Cond.
  const both = guided && "model" in guidance && guidance.cfg !== undefined ? guidance.cfg : undefined;
  if (both && !Number.isFinite(both.scale)) {
    throw new RangeError(`Cannot sample as guidance.cfg.scale must be finite: received ${both.scale}`);
  }
  const begin = options.init ? beginIndex(options.init, noise, steps) : 0;

  let x = noise;
  try {
    if (options.init) {
      const sigma = solver.sigmas[begin];
      x = tf.tidy(() => tf.add(tf.mul(options.init!.x0, 1 - sigma), tf.mul(noise, sigma))); // (B, C, F, H, W) at σ_b
      solver.setBeginIndex(begin);
    }
    for (let i = begin; i < steps; i++) {
      const tValue = integerTimesteps ? Math.trunc(solver.timesteps[i]) : solver.timesteps[i];
      const next = tf.tidy(() => {
        const t = tf.fill([batch], tValue, "float32");
        const vCond = checked(model(x, t, cond), x);
        const sigma = solver.sigmas[i];
        const inside = !interval || (sigma >= interval.min && sigma <= interval.max);
        let v = uncond && inside
          ? classifierFreeGuidance(vCond, checked(weakModel(x, t, uncond), x), { scale: guidance!.scale })
          : vCond;
        if (both && inside && both.scale !== 1) {
          v = tf.add(v, tf.mul(tf.sub(vCond, checked(model(x, t, both.uncond), x)), both.scale - 1)); // + (w_c − 1)·(v_c − v_u)
        }
        return solver.step(v, x);
      });
      if (x !== noise) x.dispose();
      x = next;
      onStep?.({ step: i, steps, sigma: solver.sigmas[i], sigmaNext: solver.sigmas[i + 1], t: tValue, x });
    }
  } catch (e) {
    if (x !== noise) x.dispose();
    throw e;
  } finally {
    if (typeof options.solver === "string") solver.dispose();
  }
  return x === noise ? tf.clone(noise) : x;
}

/** The first schedule entry of a run started from data: steps − ⌊strength·steps⌋. */
function beginIndex(init: { x0: tf.Tensor; strength: number }, noise: tf.Tensor, steps: number): number {
  const { x0, strength } = init;
  if (!Number.isFinite(strength) || strength <= 0 || strength > 1) {
    throw new RangeError(`Cannot sample from data with strength ${strength}: expected a number in (0, 1]`);
  }
  const taken = initStepsTaken(strength, steps);
  if (taken < 1) {
    throw new RangeError(
      `Cannot sample from data with strength ${strength} and ${steps} steps: it takes ⌊${strength}·${steps}⌋ = 0 steps (expected strength >= ${1 / steps})`,
    );
  }
  if (x0.shape.length !== noise.shape.length || x0.shape.some((d, i) => d !== noise.shape[i])) {
    throw new RangeError(`Cannot sample from data of shape [${x0.shape}]: expected the noise's shape [${noise.shape}]`);
  }
  return steps - taken;
}

function makeSolver(solver: SolverName | Solver): Solver {
  if (solver === "euler") return new FlowEulerSolver();
  if (solver === "unipc") return new FlowUniPCSolver();
  if (typeof solver === "object" && solver !== null && typeof solver.step === "function") return solver;
  throw new RangeError(
    `Cannot sample as solver must be "euler", "unipc" or a Solver: received ${JSON.stringify(solver)}`,
  );
}

function checked(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (v.shape.length !== x.shape.length || v.shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(
      `Cannot sample as the model must return the sample's shape [${x.shape}]: received [${v.shape}]`,
    );
  }
  return v;
}
