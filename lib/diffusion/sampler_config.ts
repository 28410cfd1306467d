/**
 * One sampler, as data: the solver and its schedule, the guidance, the noise
 * levels guided, and whether to start from data. `sample()` takes it as it is,
 * and callers record it verbatim with every sample set (`sampler.json`), so a
 * sample set says exactly how it was drawn.
 *
 * References: Wan2.1 `wan/text2video.py` `generate` (solver, `sampling_steps`,
 * `shift`, `guide_scale`); Kynkäänniemi et al. 2024 (guidance interval);
 * Meng et al. 2022, "SDEdit" (start from noised data).
 */
import { checkGuidanceInterval } from "./check_guidance_interval.ts";
import { type GuidanceConfig, guidanceKind } from "./guidance/guidance_config.ts";
import { initStepsTaken } from "./init_steps_taken.ts";

/** Built-in solvers by name. */
export type SolverName = "euler" | "unipc";

/** How a sample set is drawn. */
export interface SamplerConfig {
  /** "euler" or "unipc" (Wan's default). */
  solver: SolverName;
  /** Model evaluations per branch, >= 1. */
  steps: number;
  /** Schedule shift (1: none; Wan uses 5 for T2V, 3 for 480p I2V). */
  shift: number;
  guidance: GuidanceConfig;
  /** Guide only the steps starting at a noise level σ in [min, max]; the others take the conditional branch (absent or null: every step). */
  interval?: { min: number; max: number } | null;
  /**
   * Start from data instead of pure noise (SDEdit): take only the last ⌊strength·steps⌋ of the schedule's steps, from the
   * data noised to the σ they start at (absent or null: from noise).
   */
  init?: { strength: number } | null;
}

/**
 * @param sampler the config to check (possibly read from a file)
 * @param where what the messages are prefixed with, e.g. "In experiment \"x\" run 0, sampling.sampler" (default: nothing)
 * @throws {RangeError} naming the field, the value received and what was expected
 * @example
 * ```ts
 * import { checkSamplerConfig } from "./sampler_config.ts";
 * checkSamplerConfig({ solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] } }); // passes
 * ```
 */
export function checkSamplerConfig(sampler: SamplerConfig, where = ""): void {
  try {
    if (typeof sampler !== "object" || sampler === null) throw new RangeError(`Cannot sample with sampler ${JSON.stringify(sampler)}: expected an object`);
    const { solver, steps, shift, init } = sampler;
    if (solver !== "euler" && solver !== "unipc") {
      throw new RangeError(`Cannot sample as solver must be "euler" or "unipc": received ${JSON.stringify(solver)}`);
    }
    if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`Cannot sample as steps must be an integer >= 1: received ${steps}`);
    if (!Number.isFinite(shift) || shift <= 0) throw new RangeError(`Cannot sample as shift must be a number > 0: received ${shift}`);
    guidanceKind(sampler.guidance);
    checkGuidanceInterval(sampler.interval ?? undefined);
    if (init) {
      const { strength } = init;
      if (!Number.isFinite(strength) || strength <= 0 || strength > 1) {
        throw new RangeError(`Cannot sample from data with strength ${strength}: expected a number in (0, 1]`);
      }
      if (initStepsTaken(strength, steps) < 1) {
        throw new RangeError(
          `Cannot sample from data with strength ${strength} and ${steps} steps: it takes ⌊${strength}·${steps}⌋ = 0 steps (expected strength >= ${1 / steps})`,
        );
      }
    }
  } catch (e) {
    if (e instanceof RangeError && where) throw new RangeError(`${where}: ${e.message}`);
    throw e;
  }
}
