/**
 * How many seeds a paired comparison needs to resolve an effect of a given
 * size: the smallest n ≥ 2 with n ≥ ((t_{1−α/2, n−1} + t_{power, n−1}) · s_d/δ)²,
 * where s_d is the standard deviation of the per-seed differences (from the
 * seeds run so far) and δ the effect to resolve. With that many seeds, a true
 * effect δ puts the 95% paired t interval clear of zero with probability
 * about `power`.
 *
 * References: the paired t test's sample size with t quantiles iterated in n
 * (Julious, "Sample sizes for clinical trials with Normal data", Stat. Med.
 * 2004, §3); the normal-quantile version is Cohen (1988) ch. 2.
 */
import { studentTQuantile } from "./student_t_quantile.ts";

/**
 * @param sd the standard deviation of the per-seed differences (≥ 0)
 * @param delta the size of effect to resolve (> 0, same units)
 * @param options alpha (two-sided, default 0.05), power (default 0.8)
 * @returns the number of seeds (at least 2)
 * @throws {RangeError} when sd < 0, delta ≤ 0, or either is not finite
 * @example
 * ```ts
 * import { seedsNeeded } from "./seeds_needed.ts";
 * console.log(seedsNeeded(1, 1)); // 10
 * ```
 */
export function seedsNeeded(sd: number, delta: number, options: { alpha?: number; power?: number } = {}): number {
  const { alpha = 0.05, power = 0.8 } = options;
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`Cannot size a comparison as sd must be finite and >= 0: current value is ${sd}`);
  if (!(delta > 0) || !Number.isFinite(delta)) throw new RangeError(`Cannot size a comparison as delta must be finite and > 0: current value is ${delta}`);
  const ratio = (sd / delta) ** 2;
  // Start below the answer from the normal approximation (z quantiles: t at a large df), then step up.
  const z = studentTQuantile(1 - alpha / 2, 1e7) + studentTQuantile(power, 1e7);
  let n = Math.max(2, Math.floor(z * z * ratio));
  while (n < (studentTQuantile(1 - alpha / 2, n - 1) + studentTQuantile(power, n - 1)) ** 2 * ratio) n++;
  return n;
}
