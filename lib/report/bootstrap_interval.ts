/**
 * The seeded percentile bootstrap interval of a paired mean difference:
 * resample the seeds (pairs kept together) with replacement `resamples`
 * times, take the mean of x − y each time, and report the (1 − level)/2 and
 * (1 + level)/2 quantiles of those means. It assumes nothing about the shape
 * of the differences (FID-syn over seeds has outliers), but with few seeds it
 * is too narrow: with n pairs it can never reach beyond the extreme
 * differences, so claims use it only from `minSeeds` seeds on.
 *
 * References: Efron & Tibshirani, *An Introduction to the Bootstrap* (1993),
 * §13.3 (percentile interval); quantiles by linear interpolation between
 * order statistics (Hyndman & Fan 1996, type 7).
 */
import type { Prng } from "../random/mod.ts";

/** What {@link bootstrapInterval} returns. */
export interface BootstrapInterval {
  n: number;
  /** Mean of x − y on the data itself. */
  effect: number;
  low: number;
  high: number;
  resamples: number;
}

/**
 * @param x one value per seed
 * @param y the other arm's value for the same seeds, in the same order
 * @param options prng (required: the resampling is seeded), resamples (default 10,000), level (default 0.95)
 * @returns effect and the percentile interval
 * @throws {RangeError} when the lengths differ, there are fewer than two pairs, or a value is not finite
 * @example
 * ```ts
 * import { bootstrapInterval } from "./bootstrap_interval.ts";
 * import { Prng } from "../random/mod.ts";
 * const ci = bootstrapInterval([1, 2, 3, 4], [0, 0, 0, 0], { prng: new Prng(0) });
 * console.log(ci.effect, ci.low >= 1, ci.high <= 4); // 2.5 true true
 * ```
 */
export function bootstrapInterval(
  x: readonly number[],
  y: readonly number[],
  options: { prng: Prng; resamples?: number; level?: number },
): BootstrapInterval {
  const { prng, resamples = 10000, level = 0.95 } = options;
  if (x.length !== y.length) throw new RangeError(`Cannot pair ${x.length} values with ${y.length}: expected one value per seed in each arm`);
  if (x.length < 2) throw new RangeError(`Cannot bootstrap ${x.length} pair(s): expected at least 2`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`Cannot bootstrap as resamples must be a positive integer: current value is ${resamples}`);
  const d = x.map((v, i) => v - y[i]);
  if (!d.every(Number.isFinite)) throw new RangeError(`Cannot bootstrap non-finite differences: received ${JSON.stringify(d)}`);
  const n = d.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[prng.int(n)];
    means[r] = s / n;
  }
  means.sort();
  const q = (p: number) => {
    const h = (resamples - 1) * p;
    const lo = Math.floor(h);
    return means[lo] + (h - lo) * ((means[Math.min(lo + 1, resamples - 1)]) - means[lo]);
  };
  return { n, effect: d.reduce((a, b) => a + b, 0) / n, low: q((1 - level) / 2), high: q((1 + level) / 2), resamples };
}
