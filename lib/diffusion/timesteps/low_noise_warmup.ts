import type { Prng } from "../../random/prng.ts";
import { checkCount } from "./_checks.ts";
import { linearDensityQuantile, warmupSlope } from "./_linear_density.ts";

/** Options of {@link lowNoiseWarmup}. */
export interface LowNoiseWarmupOptions {
  prng: Prng;
  /** Initial slope α in (0, 1]: 1 gives p(s) = 2 − 2s at iteration 0. */
  alpha: number;
  /** Warm-up length τ in optimizer iterations (> 0). */
  warmup: number;
  /** Current optimizer iteration i (>= 0). */
  iteration: number;
}

/**
 * Low-noise warm-up sampler: s has density p_i(s) = 1 + c_i·(1 − 2s) on
 * [0, 1] with c_i = α·max(0, 1 − i/τ), α ∈ (0, 1], so early iterations see
 * more low-noise (small s) samples, and from i = τ on the density is uniform.
 * Drawn by the exact inverse CDF of F(s) = s + c(s − s²).
 *
 * References: RealisDance-DiT (2025) §3 "low-noise warmup". The paper's
 * formula is only published in a garbled form; this parametrisation keeps its
 * structure (a linear density whose slope decays with the iteration to the
 * uniform one).
 *
 * @param n number of samples
 * @param options generator, α, τ and the iteration
 * @returns n noise levels in [0, 1]
 * @example
 * ```ts
 * import { Prng } from "../../random/prng.ts";
 * import { lowNoiseWarmup } from "./low_noise_warmup.ts";
 * const s = lowNoiseWarmup(1000, { prng: new Prng(0), alpha: 1, warmup: 100, iteration: 0 });
 * console.log(s.reduce((a, b) => a + b) / s.length); // ≈ 1/3 (= 1/2 − 1/6)
 * ```
 */
export function lowNoiseWarmup(n: number, options: LowNoiseWarmupOptions): Float32Array {
  const { prng, alpha, warmup, iteration } = options;
  if (!(alpha > 0 && alpha <= 1)) {
    throw new RangeError(`Cannot draw low-noise warm-up timesteps as alpha must be in (0, 1]: received ${alpha}`);
  }
  checkCount(n);
  const c = warmupSlope(alpha, iteration, warmup);
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = linearDensityQuantile(prng.uniform(), c);
  return out;
}
