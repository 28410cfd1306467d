/**
 * Learning-rate schedules: linear warmup, then constant or cosine decay.
 *
 * References: Goyal et al. 2017 (linear warmup); Loshchilov & Hutter, SGDR
 * (ICLR 2017) for the cosine curve lr_min + ½(lr − lr_min)(1 + cos(π·p)).
 */

/** A schedule: warmup steps, then constant or cosine to `minLr` at `totalSteps`. */
export type LrSchedule =
  | { kind: "constant"; warmupSteps: number }
  | { kind: "cosine"; warmupSteps: number; minLr: number };

/**
 * @param schedule the schedule
 * @param options base `lr`, optimizer `step` (0-based: the update about to be applied), `totalSteps`
 * @returns the learning rate for that update
 * @example
 * ```ts
 * import { lrAt } from "./lr_schedule.ts";
 * lrAt({ kind: "constant", warmupSteps: 10 }, { lr: 1e-3, step: 4, totalSteps: 100 }); // 5e-4
 * ```
 */
export function lrAt(
  schedule: LrSchedule,
  options: { lr: number; step: number; totalSteps: number },
): number {
  const { lr, step, totalSteps } = options;
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`Cannot compute the learning rate as step must be an integer >= 0: received ${step}`);
  }
  const warm = schedule.warmupSteps;
  if (warm > 0 && step < warm) return lr * (step + 1) / warm;
  if (schedule.kind === "constant") return lr;
  const span = Math.max(1, totalSteps - warm);
  const p = Math.min(1, (step - warm) / span);
  return schedule.minLr + 0.5 * (lr - schedule.minLr) * (1 + Math.cos(Math.PI * p));
}
