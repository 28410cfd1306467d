/**
 * Mean and spread of one metric over seeds: the numbers behind every
 * "mean ± std (seeds …)" cell of the result notebooks. Missing values
 * (null, undefined, NaN) are left out and counted; ±Infinity is kept (a
 * metric that diverged must show as such, not vanish).
 *
 * References: sample standard deviation (Bessel's correction, n − 1).
 */

/** Mean and spread of a set of values. */
export interface SeedStats {
  /** Values used (finite or infinite numbers). */
  n: number;
  /** Values left out (null, undefined, NaN). */
  missing: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  std: number;
  min: number;
  max: number;
}

/**
 * @param values one number per seed (null/undefined/NaN = missing)
 * @returns n, missing, mean, sample std, min, max (NaN where undefined)
 * @example
 * ```ts
 * import { seedStats } from "./seed_stats.ts";
 * const s = seedStats([1, 2, 3, null]);
 * console.log(s.mean, s.std, s.n, s.missing); // 2 1 3 1
 * ```
 */
export function seedStats(values: readonly (number | null | undefined)[]): SeedStats {
  const xs = values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
  const n = xs.length;
  const missing = values.length - n;
  if (n === 0) return { n, missing, mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? NaN : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, missing, mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Formats stats as "mean ± std" with `digits` significant digits; "n/a"
 * when there is no value; the value alone when n = 1 or all values are equal
 * (integers exactly, e.g. parameter counts).
 * @param s the stats
 * @param options significant digits (default 4)
 * @returns e.g. "0.1234 ± 0.005"
 * @example
 * ```ts
 * import { meanStdText, seedStats } from "./seed_stats.ts";
 * console.log(meanStdText(seedStats([1, 2, 3]))); // "2 ± 1"
 * ```
 */
export function meanStdText(s: SeedStats, options: { digits?: number } = {}): string {
  const { digits = 4 } = options;
  if (s.n === 0) return "n/a";
  const f = (v: number) => (Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));
  // Equal across seeds (or one seed): the value itself, exact when an integer (parameter counts).
  return Number.isNaN(s.std) || s.min === s.max ? f(s.mean) : `${f(s.mean)} ± ${f(s.std)}`;
}
