/**
 * The paired t interval of a difference measured on the same seeds: for
 * each seed i, dᵢ = xᵢ − yᵢ (the two arms trained on the same seed's data
 * order and noise), and the interval d̄ ± t_{(1+level)/2, n−1} · s_d/√n.
 * Pairing removes what the seed does to both arms alike. With one arm only
 * (`y` omitted) it is the one-sample t interval of `x`'s mean.
 *
 * References: Student (1908), "The probable error of a mean"; the paired
 * t interval, e.g. Wasserman, *All of Statistics* (2004) §10.
 */
import { studentTQuantile } from "./student_t_quantile.ts";

/** What {@link pairedTInterval} returns. */
export interface PairedTInterval {
  /** Number of pairs. */
  n: number;
  /** Mean of x − y. */
  effect: number;
  /** Sample standard deviation of x − y (n − 1). */
  sd: number;
  /** The t multiplier used: t_{(1+level)/2, n−1}. */
  t: number;
  low: number;
  high: number;
}

/**
 * @param x one value per seed
 * @param y the other arm's value for the same seeds, in the same order (omit for a one-sample interval)
 * @param options level (default 0.95)
 * @returns n, effect, sd, t multiplier and the interval
 * @throws {RangeError} when the lengths differ, there are fewer than two pairs, or a value is not finite
 * @example
 * ```ts
 * import { pairedTInterval } from "./paired_t_interval.ts";
 * const ci = pairedTInterval([3, 5, 4], [1, 2, 3]); // d = 2, 3, 1: mean 2, sd 1
 * console.log(ci.low.toFixed(4), ci.high.toFixed(4)); // "-0.4841 4.4841"
 * ```
 */
export function pairedTInterval(x: readonly number[], y?: readonly number[], options: { level?: number } = {}): PairedTInterval {
  const { level = 0.95 } = options;
  if (y !== undefined && x.length !== y.length) {
    throw new RangeError(`Cannot pair ${x.length} values with ${y.length}: expected one value per seed in each arm`);
  }
  if (x.length < 2) throw new RangeError(`Cannot compute a t interval from ${x.length} value(s): expected at least 2`);
  if (!(level > 0 && level < 1)) throw new RangeError(`Cannot compute a t interval as level must be in (0, 1): current value is ${level}`);
  const d = x.map((v, i) => v - (y?.[i] ?? 0));
  if (!d.every(Number.isFinite)) throw new RangeError(`Cannot compute a t interval of non-finite differences: received ${JSON.stringify(d)}`);
  const n = d.length;
  const effect = d.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - effect) ** 2, 0) / (n - 1));
  const t = studentTQuantile((1 + level) / 2, n - 1);
  const half = (t * sd) / Math.sqrt(n);
  return { n, effect, sd, t, low: effect - half, high: effect + half };
}
