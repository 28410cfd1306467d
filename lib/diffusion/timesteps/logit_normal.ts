import type { Prng } from "../../random/prng.ts";
import { checkCount } from "./_checks.ts";

/** Options of {@link logitNormal}. */
export interface LogitNormalOptions {
  prng: Prng;
  /** Mean m of the underlying normal (0 centres s at 1/2). */
  mean: number;
  /** Standard deviation of the underlying normal, > 0. */
  std: number;
}

/**
 * Logit-normal sampler: s = sigmoid(m + std·z), z ~ N(0, 1).
 *
 * References: Esser et al. 2024 (SD3) §3.1 "Logit-Normal Sampling".
 *
 * @param n number of samples
 * @param options generator, mean and std of the logit
 * @returns n noise levels in (0, 1)
 * @example
 * ```ts
 * import { Prng } from "../../random/prng.ts";
 * import { logitNormal } from "./logit_normal.ts";
 * const s = logitNormal(4, { prng: new Prng(0), mean: 0, std: 1 });
 * console.log(s.every((v) => v > 0 && v < 1)); // true
 * ```
 */
export function logitNormal(n: number, options: LogitNormalOptions): Float32Array {
  const { prng, mean, std } = options;
  if (!Number.isFinite(mean)) {
    throw new RangeError(`Cannot draw logit-normal timesteps as mean must be finite: received ${mean}`);
  }
  if (!(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(`Cannot draw logit-normal timesteps as std must be a finite number > 0: received ${std}`);
  }
  checkCount(n);
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = 1 / (1 + Math.exp(-(mean + std * prng.normal())));
  return out;
}
