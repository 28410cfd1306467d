import type { Prng } from "../../random/prng.ts";
import { shiftSigma } from "../shift_sigma.ts";
import { highNoiseWarmup } from "./high_noise_warmup.ts";
import { logitNormal } from "./logit_normal.ts";
import { lowNoiseWarmup } from "./low_noise_warmup.ts";
import { uniform } from "./uniform.ts";

/** Which training-time noise-level distribution to use (a run config's `diffusion.timesteps`). */
export type TimestepDistribution =
  | { kind: "uniform" }
  | { kind: "low-noise-warmup"; alpha: number; warmup: number }
  | { kind: "high-noise-warmup"; alpha: number; warmup: number }
  | { kind: "logit-normal"; mean: number; std: number };

/** A {@link TimestepDistribution} plus an optional shift applied on top. */
export type TimestepSamplerConfig =
  & TimestepDistribution
  & {
    /** σ' = shift·σ/(1 + (shift − 1)·σ) applied to every draw (1 = none). */
    shift?: number;
  };

/** A configured sampler: n noise levels for the given optimizer iteration. */
export type TimestepSampler = (n: number, options: { prng: Prng; iteration: number }) => Float32Array;

/**
 * Builds a training-time noise-level sampler from its config, validating it
 * up front (an α out of range is a RangeError naming it).
 *
 * References: facebookresearch/DiT `diffusion/timestep_sampler.py` (samplers
 * as a small family chosen by name); see each sampler for its formula.
 *
 * @param config the sampler kind, its parameters, and an optional shift
 * @returns (n, { prng, iteration }) => n noise levels s in [0, 1]
 * @example
 * ```ts
 * import { Prng } from "../../random/prng.ts";
 * import { makeTimestepSampler } from "./make_timestep_sampler.ts";
 * const sample = makeTimestepSampler({ kind: "low-noise-warmup", alpha: 0.5, warmup: 1000, shift: 3 });
 * console.log(sample(4, { prng: new Prng(1), iteration: 10 }).length); // 4
 * ```
 */
export function makeTimestepSampler(config: TimestepSamplerConfig): TimestepSampler {
  if (typeof config !== "object" || config === null) {
    throw new TypeError(`Cannot make a timestep sampler as config must be an object: received ${config}`);
  }
  const shift = config.shift ?? 1;
  if (!(shift > 0) || !Number.isFinite(shift)) {
    throw new RangeError(`Cannot make a timestep sampler as shift must be a finite number > 0: received ${shift}`);
  }
  let draw: TimestepSampler;
  switch (config.kind) {
    case "uniform":
      draw = (n, { prng }) => uniform(n, { prng });
      break;
    case "low-noise-warmup": {
      const { alpha, warmup } = config;
      if (!(alpha > 0 && alpha <= 1)) {
        throw new RangeError(`Cannot make a low-noise-warmup sampler as alpha must be in (0, 1]: received ${alpha}`);
      }
      checkWarmup(warmup, config.kind);
      draw = (n, { prng, iteration }) => lowNoiseWarmup(n, { prng, alpha, warmup, iteration });
      break;
    }
    case "high-noise-warmup": {
      const { alpha, warmup } = config;
      if (!(alpha >= -1 && alpha < 0)) {
        throw new RangeError(`Cannot make a high-noise-warmup sampler as alpha must be in [-1, 0): received ${alpha}`);
      }
      checkWarmup(warmup, config.kind);
      draw = (n, { prng, iteration }) => highNoiseWarmup(n, { prng, alpha, warmup, iteration });
      break;
    }
    case "logit-normal": {
      const { mean, std } = config;
      if (!Number.isFinite(mean)) {
        throw new RangeError(`Cannot make a logit-normal sampler as mean must be finite: received ${mean}`);
      }
      if (!(std > 0) || !Number.isFinite(std)) {
        throw new RangeError(`Cannot make a logit-normal sampler as std must be a finite number > 0: received ${std}`);
      }
      draw = (n, { prng }) => logitNormal(n, { prng, mean, std });
      break;
    }
    default:
      throw new RangeError(
        `Cannot make a timestep sampler as kind must be one of uniform, low-noise-warmup, high-noise-warmup, logit-normal: received ${
          JSON.stringify((config as { kind: unknown }).kind)
        }`,
      );
  }
  if (shift === 1) return draw;
  return (n, options) => draw(n, options).map((s) => shiftSigma(s, shift));
}

function checkWarmup(warmup: number, kind: string): void {
  if (!(warmup > 0) || !Number.isFinite(warmup)) {
    throw new RangeError(`Cannot make a ${kind} sampler as warmup must be a finite number > 0: received ${warmup}`);
  }
}
