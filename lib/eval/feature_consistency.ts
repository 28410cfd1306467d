/**
 * VBench "subject_consistency" (DINO features) and "background_consistency"
 * (CLIP features): how similar each frame stays to the first and to the
 * previous frame.
 *
 * References: VBench (Huang et al., CVPR 2024) §3.1;
 * vbench/subject_consistency.py and vbench/background_consistency.py
 * (identical aggregation, different feature networks).
 */
import type { FrameFeatures, VbenchScore } from "./features.ts";
import { cosineSimilarity, toFrameFeatures } from "./_frame_features.ts";

/**
 * For frames t >= 1 of a video, sim_t = (max(0, cos(f_{t−1}, f_t)) +
 * max(0, cos(f_0, f_t))) / 2. Per video: mean of sim_t over its F − 1 pairs.
 * Overall: Σ of all sim_t / number of pairs — pair-weighted, which VBench
 * computes as `sim / cnt` (equal to the mean of per-video scores when all
 * videos have the same length, as they do here).
 *
 * @param frames frame features [N, F, D], F >= 2
 * @returns overall and per-video scores in [0, 1]
 * @example
 * ```ts
 * import { featureConsistency } from "./feature_consistency.ts";
 * const frames = { data: new Float32Array([1, 0, 1, 0, 0, 1]), shape: [1, 3, 2] as [number, number, number] };
 * console.log(featureConsistency(frames).score); // ((1 + 1)/2 + (0 + 0)/2) / 2 = 0.5
 * ```
 */
export function featureConsistency(frames: FrameFeatures): VbenchScore {
  const fr = toFrameFeatures(frames, "frames");
  const [n, f, d] = fr.shape;
  if (f < 2) throw new RangeError(`Cannot compute feature consistency: need >= 2 frames per video, received frames [${fr.shape}]`);
  const row = (i: number, t: number) => fr.data.subarray((i * f + t) * d, (i * f + t + 1) * d);
  const perVideo: number[] = [];
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    let videoSim = 0;
    for (let t = 1; t < f; t++) {
      const cur = row(i, t);
      const simPrev = Math.max(0, cosineSimilarity(row(i, t - 1), cur));
      const simFirst = Math.max(0, cosineSimilarity(row(i, 0), cur));
      videoSim += (simPrev + simFirst) / 2;
      pairs++;
    }
    total += videoSim;
    perVideo.push(videoSim / (f - 1));
  }
  return { score: total / pairs, perVideo };
}
