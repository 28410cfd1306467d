/**
 * The paired difference of two scores measured on the same items (e.g. the
 * per-clip keypoint fractions of two sample sets drawn from the same noise
 * and captions): its mean, the standard error of that mean, and how many
 * items are ahead or behind. Pairing removes the clips' own spread, which is
 * much larger than the difference between two samplers.
 *
 * References: the paired t statistic's standard error, sd(d)/√n (Student 1908).
 */

/** What {@link pairedDifference} returns. */
export interface PairedDifference {
  /** Mean of x − y. */
  mean: number;
  /** Sample standard deviation of x − y over √n. */
  se: number;
  /** Items with x > y, and with x < y. */
  ahead: number;
  behind: number;
}

/**
 * @param x one score per item
 * @param y the other score of the same items, in the same order
 * @returns mean, standard error, items ahead and behind
 * @throws {RangeError} when the lengths differ or there are fewer than two items
 * @example
 * ```ts
 * import { pairedDifference } from "./paired_difference.ts";
 * console.log(pairedDifference([0.5, 0.75, 0.25], [0.25, 0.5, 0.25])); // { mean: 0.1666…, se: 0.0833…, ahead: 2, behind: 0 }
 * ```
 */
export function pairedDifference(x: readonly number[], y: readonly number[]): PairedDifference {
  if (x.length !== y.length || x.length < 2) {
    throw new RangeError(`Cannot pair ${x.length} scores with ${y.length}: expected two equally long lists of at least 2`);
  }
  const d = x.map((v, i) => v - y[i]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const se = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (d.length - 1) / d.length);
  return { mean, se, ahead: d.filter((v) => v > 0).length, behind: d.filter((v) => v < 0).length };
}
