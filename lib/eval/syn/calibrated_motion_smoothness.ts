/**
 * `Motion Smoothness-classical`: VBench's motion smoothness with flow-warped
 * interpolation (Lucas–Kanade) in place of AMT, normalised by the ground
 * truth's own score on the same clips: 1 means as predictable as the ground
 * truth's motion (a static video scores above 1, as it scores 1 in VBench).
 *
 * References: vbench/motion_smoothness.py; lib/eval motionSmoothnessClassical.
 */
import type { VbenchScore } from "../features.ts";
import type { LucasKanadeOptions } from "../lucas_kanade_flow.ts";
import { motionSmoothnessClassical } from "../motion_smoothness_classical.ts";
import { toVideo, type VideoLike } from "../video.ts";
import type { ClassicalCalibration } from "./classical_calibration.ts";
import { selectCalibration } from "./select_calibration.ts";

/** Options of {@link calibratedMotionSmoothness}. */
export interface CalibratedMotionSmoothnessOptions {
  /** The stored calibration (per-clip ground-truth scores at calibrated sizes). */
  calibration: ClassicalCalibration | null;
  /** Clip ids of the videos (realisdance-val-syn ids) to look their ground-truth scores up. */
  ids?: string[];
  /** The ground-truth videos, used when the calibration has no score for these clips at this size. */
  reference?: VideoLike;
  lucasKanade?: LucasKanadeOptions;
}

/** The normalised score, the raw classical score and where the denominator came from. */
export interface CalibratedMotionSmoothnessResult {
  /** raw.score / gtScore. */
  score: number;
  raw: VbenchScore;
  gtScore: number;
  /** "calibration": stored per-clip scores; "reference": computed from the given ground truth. */
  gtSource: "calibration" | "reference";
}

/**
 * @param videos [N, F, H, W, C], F >= 3
 * @param options calibration, clip ids or ground-truth videos, flow options
 * @returns the normalised score and its parts
 * @example
 * ```ts
 * import { calibratedMotionSmoothness } from "./calibrated_motion_smoothness.ts";
 * const still = { data: new Float32Array(3 * 32 * 32).fill(0.5), shape: [1, 3, 32, 32, 1] as [number, number, number, number, number] };
 * console.log((await calibratedMotionSmoothness(still, { calibration: null, reference: still })).score); // 1
 * ```
 */
export async function calibratedMotionSmoothness(
  videos: VideoLike,
  options: CalibratedMotionSmoothnessOptions,
): Promise<CalibratedMotionSmoothnessResult> {
  const v = toVideo(videos, "videos");
  const [n, frames, height, width] = v.shape;
  const { ids } = options;
  if (ids && ids.length !== n) {
    throw new RangeError(`Cannot normalise motion smoothness: ${n} videos but ${ids.length} clip ids`);
  }
  const raw = await motionSmoothnessClassical(v, { lucasKanade: options.lucasKanade });
  const picked = options.calibration ? selectCalibration(options.calibration, { frames, height, width }) : null;
  // Stored scores were computed with the default flow settings.
  const perClip = picked?.exact && !options.lucasKanade ? picked.entry.motionSmoothness.perClip : undefined;
  let gtScore: number;
  let gtSource: CalibratedMotionSmoothnessResult["gtSource"];
  if (perClip && ids && ids.every((id) => typeof perClip[id] === "number")) {
    gtScore = ids.reduce((s, id) => s + perClip[id], 0) / n;
    gtSource = "calibration";
  } else if (options.reference) {
    gtScore = (await motionSmoothnessClassical(options.reference, { lucasKanade: options.lucasKanade })).score;
    gtSource = "reference";
  } else {
    throw new RangeError(
      `Cannot normalise motion smoothness of ${frames}x${height}x${width} videos: the calibration has no per-clip ground-truth scores for them; pass options.reference (the ground-truth videos)`,
    );
  }
  return { score: raw.score / gtScore, raw, gtScore, gtSource };
}
