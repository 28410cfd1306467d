/**
 * The first x at which a curve reaches a target from above (y ≤ target):
 * "which step does sampler A reach sampler B's final validation loss". The
 * crossing is read off the recorded points (no interpolation), so the answer
 * is a step that was actually evaluated.
 *
 * References: none (time-to-target convergence comparison).
 */

/**
 * @param x the steps, ascending
 * @param y the values (null = not evaluated)
 * @param target the level to reach
 * @returns the first x with y ≤ target, or null when never reached
 * @example
 * ```ts
 * import { stepsToReach } from "./steps_to_reach.ts";
 * console.log(stepsToReach([25, 50, 75], [0.9, 0.5, 0.4], 0.6)); // 50
 * ```
 */
export function stepsToReach(x: readonly number[], y: readonly (number | null)[], target: number): number | null {
  if (x.length !== y.length) {
    throw new RangeError(`Cannot find the crossing as x and y must have the same length: received ${x.length} and ${y.length}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (i > 0 && x[i] < x[i - 1]) throw new RangeError(`Cannot find the crossing as x must ascend: received ${x[i - 1]} then ${x[i]}`);
    const v = y[i];
    if (v !== null && Number.isFinite(v) && v <= target) return x[i];
  }
  return null;
}
