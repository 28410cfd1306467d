/**
 * The mean curve of several runs (one per seed) and its spread, on the union
 * of their x values: at each x, the mean, sample std and min/max of the runs
 * that have a finite value there. Used for "mean ± spread over seeds" bands.
 *
 * References: none (plain statistics).
 */
import { seedStats } from "./seed_stats.ts";

/** A mean curve with its spread. */
export interface MeanCurve {
  x: number[];
  mean: number[];
  /** Sample std per x (NaN where one run only). */
  std: number[];
  min: number[];
  max: number[];
  /** Runs contributing per x. */
  n: number[];
}

/**
 * @param curves one { x, y } per run
 * @returns the mean curve, x sorted ascending
 * @example
 * ```ts
 * import { meanCurve } from "./mean_curve.ts";
 * const m = meanCurve([{ x: [0, 1], y: [1, 3] }, { x: [0, 1], y: [3, 5] }]);
 * console.log(m.mean); // [2, 4]
 * ```
 */
export function meanCurve(curves: readonly { x: readonly number[]; y: readonly (number | null)[] }[]): MeanCurve {
  const at = new Map<number, number[]>();
  for (const [i, c] of curves.entries()) {
    if (c.x.length !== c.y.length) {
      throw new RangeError(`Cannot average curve ${i} as x and y must have the same length: received ${c.x.length} and ${c.y.length}`);
    }
    c.x.forEach((x, j) => {
      const y = c.y[j];
      if (y === null || !Number.isFinite(y)) return;
      if (!at.has(x)) at.set(x, []);
      at.get(x)!.push(y);
    });
  }
  const out: MeanCurve = { x: [], mean: [], std: [], min: [], max: [], n: [] };
  for (const x of [...at.keys()].sort((a, b) => a - b)) {
    const s = seedStats(at.get(x)!);
    out.x.push(x);
    out.mean.push(s.mean);
    out.std.push(s.std);
    out.min.push(s.min);
    out.max.push(s.max);
    out.n.push(s.n);
  }
  return out;
}
