/**
 * Pose alignment: the error of keypoints detected in generated (or real)
 * frames against the driving pose's ground-truth keypoints, normalised by the
 * person's height, with the keypoints the detector did not find counted apart
 * (a miss is never a silent zero and never dropped).
 *
 * References: RealisDance-DiT (2025) §4.3 (pose control improves with longer
 * training); PCK-style normalisation by the person's size (Andriluka et al.,
 * "2D Human Pose Estimation", CVPR 2014, PCKh); the README's pose section
 * (errors as a fraction of the person's height).
 */

/** Keypoints detected in one image, in the same order as the truth's. */
export interface KeypointDetection {
  /** (x, y) per keypoint in image pixels [K·2]. */
  points: Float32Array;
  /** Confidence per keypoint [K]; NaN = the detector has no such keypoint (excluded from every count). */
  scores: Float32Array;
}

/** The ground-truth keypoints of one image: one or more persons. */
export interface KeypointTruth {
  persons: number;
  /** (x, y) per person and keypoint [P·K·2]. */
  points: Float32Array;
  /** 1 where the keypoint is visible (inside the frame), else 0 [P·K]. */
  visible: Float32Array;
}

/** Options of {@link keypointError}. */
export interface KeypointErrorOptions {
  /** A detected keypoint with a lower score counts as missed (default 0.3, the README's body threshold). */
  minScore?: number;
}

/** What {@link keypointError} returns. */
export interface KeypointErrorResult {
  /** Mean over found keypoints of ‖detected − truth‖ / person height (NaN when none was found). */
  error: number;
  /** Missed keypoints / visible keypoints (NaN when no keypoint was visible). */
  missed: number;
  /** Found keypoints (the error's denominator). */
  found: number;
  /** Visible ground-truth keypoints that the detector has (found + missed). */
  visible: number;
  /** Images without a person of measurable height (fewer than 2 visible keypoints or zero height). */
  skipped: number;
}

/**
 * Per image, the single detected skeleton is matched to the ground-truth
 * person it fits best (lowest mean normalised error over its found
 * keypoints; when it found none of anyone's, the person with most visible
 * keypoints); for that person every visible keypoint the detector has is
 * either found (score ≥ minScore: its distance / the person's height is
 * averaged into `error`) or missed. The height is the vertical extent of the
 * person's visible ground-truth keypoints. Errors are pooled over all found
 * keypoints of all images.
 *
 * @param detections one detection per image
 * @param truths the ground truth of the same images
 * @param options the score threshold
 * @returns pooled normalised error, missed fraction and counts
 * @example
 * ```ts
 * import { keypointError } from "./keypoint_error.ts";
 * const truth = { persons: 1, points: new Float32Array([0, 0, 0, 10]), visible: new Float32Array([1, 1]) };
 * const det = { points: new Float32Array([3, 4, 0, 10]), scores: new Float32Array([0.9, 0.1]) };
 * const r = keypointError([det], [truth]);
 * console.log(r.error, r.missed); // 0.5 (5 px / 10 px), 0.5 (one of two missed)
 * ```
 */
export function keypointError(
  detections: readonly KeypointDetection[],
  truths: readonly KeypointTruth[],
  options: KeypointErrorOptions = {},
): KeypointErrorResult {
  const minScore = options.minScore ?? 0.3;
  if (!(minScore >= 0 && minScore <= 1)) {
    throw new RangeError(`Cannot compute keypoint error as minScore must be in [0, 1]: received ${minScore}`);
  }
  if (detections.length !== truths.length) {
    throw new RangeError(
      `Cannot compute keypoint error: ${detections.length} detections for ${truths.length} ground truths; they must pair up`,
    );
  }
  let sum = 0, found = 0, visible = 0, skipped = 0;
  detections.forEach((det, i) => {
    const truth = truths[i];
    const k = det.scores.length;
    if (det.points.length !== 2 * k) {
      throw new RangeError(`Cannot compute keypoint error: detection ${i} has ${det.points.length} coordinates for ${k} scores (expected ${2 * k})`);
    }
    if (!Number.isInteger(truth.persons) || truth.persons < 0 || truth.points.length !== truth.persons * k * 2 || truth.visible.length !== truth.persons * k) {
      throw new RangeError(
        `Cannot compute keypoint error: truth ${i} must hold ${truth.persons}×${k} points and visibilities, received ${truth.points.length / 2} and ${truth.visible.length}`,
      );
    }
    let best: { errs: number[]; missed: number; visible: number; mean: number } | null = null;
    for (let p = 0; p < truth.persons; p++) {
      let lo = Infinity, hi = -Infinity, nVis = 0;
      for (let j = 0; j < k; j++) {
        if (!truth.visible[p * k + j]) continue;
        const y = truth.points[(p * k + j) * 2 + 1];
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
        nVis++;
      }
      const height = hi - lo;
      if (nVis < 2 || !(height > 0)) continue;
      const errs: number[] = [];
      let missed = 0, vis = 0;
      for (let j = 0; j < k; j++) {
        if (!truth.visible[p * k + j] || Number.isNaN(det.scores[j])) continue;
        vis++;
        if (det.scores[j] < minScore) {
          missed++;
          continue;
        }
        const dx = det.points[2 * j] - truth.points[(p * k + j) * 2];
        const dy = det.points[2 * j + 1] - truth.points[(p * k + j) * 2 + 1];
        errs.push(Math.hypot(dx, dy) / height);
      }
      const mean = errs.length ? errs.reduce((a, b) => a + b, 0) / errs.length : Infinity;
      const better = best === null ||
        mean < best.mean ||
        (mean === Infinity && best.mean === Infinity && vis > best.visible);
      if (better) best = { errs, missed, visible: vis, mean };
    }
    if (best === null) {
      skipped++;
      return;
    }
    for (const e of best.errs) sum += e;
    found += best.errs.length;
    visible += best.visible;
  });
  return {
    error: found ? sum / found : NaN,
    missed: visible ? (visible - found) / visible : NaN,
    found,
    visible,
    skipped,
  };
}
