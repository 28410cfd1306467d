/**
 * Whether a person detector finds a person in a set of videos: the fraction of
 * its keypoints scored at least `minScore` over every detected frame, each
 * clip's own fraction (so sets scored on the same clips compare clip by clip)
 * and the standard error over clips (sample std of the per-clip fractions /
 * √N), beside the mean keypoint score.
 *
 * References: MoveNet (Google, 2021; COCO-17 keypoints and their scores).
 */

/** What {@link keypointsFound} returns. */
export interface KeypointScores {
  /** Fraction of keypoints scored >= minScore, over all frames of all clips. */
  keypoints_found: number;
  /** Mean keypoint score. */
  keypoint_score: number;
  /** Each clip's fraction. */
  keypoints_found_per_clip: number[];
  /** Standard error of keypoints_found over the clips (sample std of the per-clip fractions / √N). */
  keypoints_found_se: number;
}

/**
 * @param detections each detected frame's keypoint scores, clip-major (every clip the same number of frames)
 * @param options the number of clips, the score from which a keypoint counts as found
 * @returns the found fraction, mean score, per-clip fractions and standard error
 * @throws {RangeError} when the detections do not split into `clips` clips of equal frames and keypoints, or clips < 2
 * @example
 * ```ts
 * import { keypointsFound } from "./keypoints_found.ts";
 * const s = keypointsFound([{ scores: [0.9, 0.1] }, { scores: [0.5, 0.4] }], { clips: 2, minScore: 0.3 });
 * console.log(s.keypoints_found, s.keypoints_found_per_clip); // 0.75 [0.5, 1]
 * ```
 */
export function keypointsFound(
  detections: readonly { scores: ArrayLike<number> }[],
  options: { clips: number; minScore: number },
): KeypointScores {
  const { clips: n, minScore } = options;
  const k = detections[0]?.scores.length ?? 0;
  if (!Number.isInteger(n) || n < 2 || detections.length % n !== 0 || k === 0 || detections.some((d) => d.scores.length !== k)) {
    throw new RangeError(
      `Cannot count keypoints of ${detections.length} detections in ${n} clips: expected an integer >= 2 clips of equal frames, each with the same keypoints`,
    );
  }
  const frames = detections.length / n;
  let found = 0, sum = 0;
  const perClip: number[] = [];
  for (let i = 0; i < n; i++) {
    let clipFound = 0;
    for (const { scores } of detections.slice(i * frames, (i + 1) * frames)) {
      for (const s of Array.from(scores)) {
        sum += s;
        if (s >= minScore) clipFound++;
      }
    }
    found += clipFound;
    perClip.push(clipFound / (frames * k));
  }
  const total = n * frames * k;
  const mean = found / total;
  const variance = perClip.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { keypoints_found: mean, keypoint_score: sum / total, keypoints_found_per_clip: perClip, keypoints_found_se: Math.sqrt(variance / n) };
}
