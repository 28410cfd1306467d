/**
 * Keypoints found by the noise level a sample starts from: sample sets drawn
 * from the clips' own latents (`sampler.init`, SDEdit) between the VAE's
 * reconstructions (strength 0: nothing redrawn, σ 0) and the samples from
 * pure noise (strength 1), each at the σ of the first step it takes
 * (schedule entry steps − ⌊strength·steps⌋).
 *
 * References: Meng et al. 2022, "SDEdit"; lib/diffusion/init_steps_taken.ts.
 */
import { flowSigmas, initStepsTaken } from "../diffusion/mod.ts";
import type { VideoScores } from "../eval/mod.ts";
import type { SampleSetRecord } from "./load_sample_sets.ts";

/** One point of the curve. */
export interface StrengthPoint {
  strength: number;
  /** The noise level its first step starts from. */
  sigma: number;
  /** Solver steps taken. */
  taken: number;
  /** "VAE reconstructions", "from the clips" or "from noise (the run's own)". */
  samples: string;
  scores: VideoScores;
}

/**
 * @param own the set drawn from noise with the same sampler otherwise
 * @param edits the sets started from the clips (sampler.init set)
 * @returns the points by strength, the reconstructions first and the samples from noise last
 * @example
 * ```ts ignore
 * const points = strengthPoints(own, sets.filter((s) => s.sampler.init));
 * ```
 */
export function strengthPoints(own: SampleSetRecord, edits: readonly SampleSetRecord[]): StrengthPoint[] {
  const { steps, shift } = own.sampler;
  const { sigmas } = flowSigmas(steps, { shift });
  const at = (strength: number) => sigmas[steps - initStepsTaken(strength, steps)];
  return [
    { strength: 0, sigma: 0, taken: 0, samples: "VAE reconstructions", scores: own.score.reconstructions },
    ...edits.map((e) => {
      const strength = e.sampler.init!.strength;
      return { strength, sigma: at(strength), taken: initStepsTaken(strength, steps), samples: "from the clips", scores: e.score.samples! };
    }),
    { strength: 1, sigma: sigmas[0], taken: steps, samples: "from noise (the run's own)", scores: own.score.samples! },
  ].sort((a, b) => a.strength - b.strength);
}
