/**
 * A fine-tuning's learning curves from its kept-step evaluation
 * (`eval.keptSteps`): one row per kept step with the scores the run recorded
 * as `<metric>@<step>`, the VAE reconstruction's ceilings (`<metric>_recon`)
 * and the "animates" verdict of {@link animationVerdicts}. Read from a run's
 * result.json; nothing is recomputed.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §4.3 (scores along training).
 */
import { type AnimationThreshold, animationVerdicts } from "./animation_verdict.ts";

/** The per-step scores a kept-step evaluation records. */
export const KEPT_STEP_METRICS = [
  "psnr",
  "ssim",
  "bg_psnr",
  "background",
  "pose_missed",
  "pose_error",
  "diversity",
  "val_loss",
] as const;

/** One kept step of a run. */
export interface KeptStepRow {
  step: number;
  /** The step's scores by metric name (null when the run did not record it at that step). */
  scores: Record<(typeof KEPT_STEP_METRICS)[number], number | null>;
  /** Keypoints found by MoveNet, 1 − pose_missed. */
  keypointsFound: number | null;
  /** bg_psnr_recon − bg_psnr (dB). */
  bgGapDb: number;
  /** Keypoints found relative to the reconstructions'. */
  keypointsRatio: number;
  animates: boolean;
}

/** What {@link keptStepCurves} returns. */
export interface KeptStepCurves {
  rows: KeptStepRow[];
  /** The VAE reconstruction's scores (the ceiling): psnr, ssim, bg_psnr, background, pose_missed, pose_error, keypointsFound. */
  ceiling: Record<string, number | null>;
  /** The first kept step that passes the threshold, or null. */
  firstAnimating: number | null;
}

/**
 * @param result a run's result.json metrics
 * @param threshold the "animates" threshold (default the workbench's)
 * @returns rows by ascending step, the ceiling, the first step that animates
 * @example
 * ```ts
 * import { keptStepCurves } from "./kept_step_curves.ts";
 * const c = keptStepCurves({ bg_psnr_recon: 19, pose_missed_recon: 0.5, psnr_recon: 20,
 *   "bg_psnr@300": 15, "pose_missed@300": 0.8, "psnr@300": 14, "bg_psnr@600": 17.5, "pose_missed@600": 0.6, "psnr@600": 16 });
 * console.log(c.rows.map((r) => r.scores.psnr), c.firstAnimating); // [14, 16] 600
 * ```
 */
export function keptStepCurves(result: Record<string, unknown>, threshold?: AnimationThreshold): KeptStepCurves {
  const num = (k: string): number | null => (typeof result[k] === "number" ? result[k] as number : null);
  const verdicts = animationVerdicts(result, threshold);
  const rows = verdicts.map((v) => {
    const scores = Object.fromEntries(KEPT_STEP_METRICS.map((m) => [m, num(`${m}@${v.step}`)])) as KeptStepRow["scores"];
    return {
      step: v.step,
      scores,
      keypointsFound: scores.pose_missed === null ? null : 1 - scores.pose_missed,
      bgGapDb: v.bgGapDb,
      keypointsRatio: v.keypointsRatio,
      animates: v.animates,
    };
  });
  const ceiling: Record<string, number | null> = {};
  for (const m of ["psnr", "ssim", "bg_psnr", "background", "pose_missed", "pose_error"]) ceiling[m] = num(`${m}_recon`);
  ceiling.keypointsFound = ceiling.pose_missed === null ? null : 1 - ceiling.pose_missed;
  return { rows, ceiling, firstAnimating: rows.find((r) => r.animates)?.step ?? null };
}
