/**
 * How many of a schedule's steps a sample started from data takes
 * (`sample()`'s `init`): ⌊strength·steps⌋, with a small tolerance so that
 * a strength like 0.57 × 100 (56.99999999999999 in floating point)
 * does not fall to 56. It begins at
 * schedule entry `steps − taken`.
 *
 * References: huggingface/diffusers img2img pipelines (`get_timesteps`:
 * `init_timestep = min(int(num_inference_steps * strength), num_inference_steps)`).
 *
 * @param strength the fraction of the schedule to run, in (0, 1]
 * @param steps the schedule's step count
 * @returns the steps taken (0 when strength·steps < 1: no step; callers reject it)
 * @example
 * ```ts
 * import { initStepsTaken } from "./init_steps_taken.ts";
 * console.log(initStepsTaken(0.85, 20)); // 17
 * ```
 */
export function initStepsTaken(strength: number, steps: number): number {
  return Math.floor(strength * steps + 1e-9);
}
