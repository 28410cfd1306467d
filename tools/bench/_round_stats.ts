/**
 * Summary of one configuration's figure over the benchmark's interleaved
 * rounds: on a shared machine other processes only ever add time, so the best
 * round is the verdict, the median says what a typical round gave, and the
 * spread says how much the load moved it.
 *
 * References: Chen & Revels 2016, "Robust benchmarking in noisy environments"
 * (the minimum as the estimator under additive noise).
 *
 * @module
 */

/** Best, median and spread of one figure over the rounds, milliseconds. */
export interface RoundStats {
  /** The lowest round. */
  best: number;
  median: number;
  /** The highest round. */
  worst: number;
  /** (worst − best) / median: 0 when every round agreed. */
  spread: number;
  /** Every round's figure, in round order. */
  rounds: number[];
}

/**
 * @param values one figure per round (each round's median step time)
 * @returns best, median, worst, relative spread and the rounds
 * @example
 * ```ts
 * import { roundStats } from "./_round_stats.ts";
 * console.log(roundStats([12, 10, 14, 11])); // { best: 10, median: 11.5, worst: 14, spread: 0.3478…, rounds: [12, 10, 14, 11] }
 * ```
 */
export function roundStats(values: readonly number[]): RoundStats {
  if (values.length === 0) throw new RangeError("Cannot summarise rounds as there are none: received an empty list");
  const bad = values.find((v) => !Number.isFinite(v) || v < 0);
  if (bad !== undefined) {
    throw new RangeError(`Cannot summarise rounds as each must be a finite time >= 0: received ${bad}`);
  }
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  const best = s[0], worst = s[s.length - 1];
  return { best, median, worst, spread: median > 0 ? (worst - best) / median : 0, rounds: [...values] };
}
