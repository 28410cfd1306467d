/**
 * "Does this fine-tuning animate?", as a stated threshold over a run's
 * kept-step evaluation (`eval.keptSteps`), each measure taken against the
 * VAE's own reconstruction of the same held-out clips, the best a sample
 * decoded by that VAE can do:
 *
 * - the background is kept: PSNR on the pixels outside the character mask
 *   (`bg_psnr@N`) within `bgPsnrGapDb` of the reconstruction's (`bg_psnr_recon`);
 * - the pose is followed: the fraction of visible keypoints MoveNet finds in
 *   the samples (1 − `pose_missed@N`) is at least `keypointsRatio` of the
 *   fraction it finds in the reconstructions (1 − `pose_missed_recon`).
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §4 (background preservation,
 * pose control); the threshold itself is this workbench's (results/JOURNAL.md).
 */

/** The threshold: how close to the reconstruction a sample must come. */
export interface AnimationThreshold {
  /** Largest allowed gap, in dB, between the reconstruction's background PSNR and the samples'. */
  bgPsnrGapDb: number;
  /** Smallest allowed ratio of keypoints found in samples to keypoints found in reconstructions. */
  keypointsRatio: number;
}

/** The workbench's threshold for "animates". */
export const ANIMATION_THRESHOLD = { bgPsnrGapDb: 2, keypointsRatio: 0.7 } as const satisfies AnimationThreshold;

/** One kept step of a run, judged. */
export interface AnimationVerdict {
  step: number;
  /** bg_psnr_recon − bg_psnr@N (dB; smaller is better). */
  bgGapDb: number;
  /** (1 − pose_missed@N) / (1 − pose_missed_recon). */
  keypointsRatio: number;
  /** Both conditions hold. */
  animates: boolean;
}

/**
 * @param result a run's result.json metrics (kept-step keys `bg_psnr@N`, `pose_missed@N`, and the `*_recon` ceilings)
 * @param threshold the threshold (default {@link ANIMATION_THRESHOLD})
 * @returns one verdict per kept step, ascending
 * @throws {RangeError} when the result has no kept-step evaluation or no reconstruction ceilings
 * @example
 * ```ts
 * import { animationVerdicts } from "./animation_verdict.ts";
 * const v = animationVerdicts({
 *   bg_psnr_recon: 19, pose_missed_recon: 0.5, "bg_psnr@300": 15, "pose_missed@300": 0.8,
 *   "bg_psnr@600": 17.5, "pose_missed@600": 0.6,
 * });
 * console.log(v.map((x) => x.animates)); // [false, true]
 * ```
 */
export function animationVerdicts(
  result: Record<string, unknown>,
  threshold: AnimationThreshold = ANIMATION_THRESHOLD,
): AnimationVerdict[] {
  const num = (k: string): number => {
    const v = result[k];
    if (typeof v !== "number") {
      throw new RangeError(`Cannot judge the run as its result has no number "${k}": received ${JSON.stringify(v)}`);
    }
    return v;
  };
  const bgRecon = num("bg_psnr_recon");
  const foundRecon = 1 - num("pose_missed_recon");
  const steps = Object.keys(result)
    .map((k) => /^bg_psnr@(\d+)$/.exec(k))
    .filter((m) => m !== null)
    .map((m) => Number(m![1]))
    .sort((a, b) => a - b);
  if (steps.length === 0) {
    throw new RangeError(`Cannot judge the run as its result has no kept-step key bg_psnr@N (was eval.keptSteps on?)`);
  }
  return steps.map((step) => {
    const bgGapDb = bgRecon - num(`bg_psnr@${step}`);
    const keypointsRatio = foundRecon > 0 ? (1 - num(`pose_missed@${step}`)) / foundRecon : NaN;
    return {
      step,
      bgGapDb,
      keypointsRatio,
      animates: bgGapDb <= threshold.bgPsnrGapDb && keypointsRatio >= threshold.keypointsRatio,
    };
  });
}
