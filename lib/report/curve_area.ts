/**
 * The mean height of a piecewise-linear curve over [from, to]: the area
 * under a validation-loss curve over the first τ steps, divided by the span,
 * so it reads in the loss's own units. A lower value means the curve came
 * down earlier or further: a convergence measure that uses every evaluated
 * step instead of one. Points are joined by straight lines; the ends are
 * interpolated where they fall between two points.
 *
 * References: trapezoidal rule; area under the learning curve as a
 * convergence summary (e.g. Domhan et al., IJCAI 2015, learning-curve
 * extrapolation).
 */

/**
 * @param x the steps (or samples seen), ascending
 * @param y the values at those steps
 * @param options from, to: the span (default: the first and last x)
 * @returns (1 / (to − from)) ∫ y dx over [from, to]
 * @throws {RangeError} when lengths differ, x does not ascend, a value is not finite, or the span is outside the points
 * @example
 * ```ts
 * import { curveArea } from "./curve_area.ts";
 * console.log(curveArea([0, 10, 20], [4, 2, 2])); // 2.5
 * ```
 */
export function curveArea(x: readonly number[], y: readonly number[], options: { from?: number; to?: number } = {}): number {
  if (x.length !== y.length || x.length < 2) {
    throw new RangeError(`Cannot integrate a curve of ${x.length} steps and ${y.length} values: expected equally many, at least 2`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new RangeError(`Cannot integrate a curve with a non-finite point: (${x[i]}, ${y[i]}) at ${i}`);
    if (i > 0 && !(x[i] > x[i - 1])) throw new RangeError(`Cannot integrate a curve as x must ascend: received ${x[i - 1]} then ${x[i]}`);
  }
  const { from = x[0], to = x.at(-1)! } = options;
  if (!(from >= x[0] && to <= x.at(-1)! && to > from)) {
    throw new RangeError(`Cannot integrate over [${from}, ${to}]: expected from < to within the curve's steps [${x[0]}, ${x.at(-1)}]`);
  }
  const at = (v: number) => {
    const i = Math.max(1, x.findIndex((s) => s >= v));
    return y[i - 1] + ((v - x[i - 1]) / (x[i] - x[i - 1])) * (y[i] - y[i - 1]);
  };
  const xs = [from, ...x.filter((s) => s > from && s < to), to];
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (at(xs[i]) + at(xs[i - 1]))) / 2;
  return area / (to - from);
}
