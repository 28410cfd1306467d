/**
 * The linear density p(s) = 1 + c·(1 − 2s) on [0, 1], |c| ≤ 1, shared by the
 * low- and high-noise warm-up samplers. Its CDF is F(s) = s + c·(s − s²) and
 * its moments are E[s] = 1/2 − c/6, Var[s] = 1/12 − c²/36.
 *
 * References: RealisDance-DiT (2025) §3 "low-noise warmup": the paper's
 * formula is only published in a garbled form; this parametrisation keeps its
 * structure (a linear density whose slope decays with the iteration to the
 * uniform one).
 */

/**
 * Exact inverse CDF of the linear density. Solving c·s² − (1 + c)·s + u = 0
 * for the root in [0, 1] gives s = ((1 + c) − √((1 + c)² − 4cu)) / (2c);
 * multiplying through by the conjugate gives the form used here,
 * s = 2u / ((1 + c) + √((1 + c)² − 4cu)), which has no cancellation, is exact
 * at c = 0 (s = u) and stays finite for every c in [−1, 1].
 * @param u uniform draw in [0, 1)
 * @param c slope in [−1, 1]
 * @returns s in [0, 1]
 */
export function linearDensityQuantile(u: number, c: number): number {
  const a = 1 + c;
  const denominator = a + Math.sqrt(Math.max(0, a * a - 4 * c * u));
  if (denominator === 0) return 0; // c = −1 and u = 0: p(s) = 2s, F⁻¹(0) = 0
  return Math.min(1, (2 * u) / denominator);
}

/**
 * Slope of the warm-up density at an optimizer iteration:
 * c_i = α·max(0, 1 − i/τ), so it decays linearly to 0 (uniform) at i = τ.
 * @param alpha initial slope α
 * @param iteration optimizer iteration i >= 0
 * @param warmup warm-up length τ > 0
 * @returns c_i
 */
export function warmupSlope(alpha: number, iteration: number, warmup: number): number {
  if (!Number.isInteger(iteration) || iteration < 0) {
    throw new RangeError(
      `Cannot compute the warm-up slope as iteration must be an integer >= 0: received ${iteration}`,
    );
  }
  if (!(warmup > 0) || !Number.isFinite(warmup)) {
    throw new RangeError(`Cannot compute the warm-up slope as warmup must be a finite number > 0: received ${warmup}`);
  }
  return alpha * Math.max(0, 1 - iteration / warmup);
}
