/**
 * The range check of a guidance interval (the noise levels σ whose steps are
 * guided), shared by `checkSamplerConfig()` and the callers that validate their options
 * before loading anything.
 *
 * References: Kynkäänniemi et al. 2024, "Applying Guidance in a Limited
 * Interval Improves Sample and Distribution Quality in Diffusion Models".
 *
 * @param interval the interval to check, or undefined (no interval: every step is guided)
 * @throws {RangeError} when min or max is not finite, min < 0, or min > max
 * @example
 * ```ts
 * import { checkGuidanceInterval } from "./check_guidance_interval.ts";
 * checkGuidanceInterval({ min: 0.2, max: 0.85 }); // passes
 * ```
 */
export function checkGuidanceInterval(interval: { min: number; max: number } | undefined): void {
  if (interval && !(Number.isFinite(interval.min) && Number.isFinite(interval.max) && 0 <= interval.min && interval.min <= interval.max)) {
    throw new RangeError(
      `Cannot sample with guidance interval [${interval.min}, ${interval.max}]: expected finite 0 <= min <= max (noise levels σ)`,
    );
  }
}
