/**
 * VBench-I2V "i2v_subject" / "i2v_background": how well a generated video
 * keeps the input image's subject (DINO features) or background (DreamSim
 * features), and how stable it is from frame to frame.
 *
 * References: VBench++ (Huang et al., 2024) I2V dimensions;
 * vbench2_beta_i2v/i2v_subject.py and i2v_background.py (same aggregation,
 * different feature networks).
 */
import { type Features, type FrameFeatures, toFeatures, type VbenchScore } from "./features.ts";
import { cosineSimilarity, toFrameFeatures } from "./_frame_features.ts";

/**
 * Per video, with c_t = max(0, cos(image, frame_t)) for every frame and
 * s_t = max(0, cos(frame_{t−1}, frame_t)) for consecutive frames:
 * score = 0.4·max_t c_t + 0.3·mean_t s_t + 0.3·min_t s_t;
 * the overall score is the mean over videos.
 *
 * @param images input-image features [N, D] (one conditioning image per video)
 * @param frames frame features [N, F, D], F >= 2, from the same network
 * @returns overall and per-video scores in [0, 1]
 * @example
 * ```ts
 * import { i2vConsistency } from "./i2v_consistency.ts";
 * const images = { data: new Float32Array([1, 0]), shape: [1, 2] as [number, number] };
 * const frames = { data: new Float32Array([1, 0, 0, 1]), shape: [1, 2, 2] as [number, number, number] };
 * console.log(i2vConsistency(images, frames).score); // 0.4·1 + 0.3·0 + 0.3·0 = 0.4
 * ```
 */
export function i2vConsistency(images: Features, frames: FrameFeatures): VbenchScore {
  const img = toFeatures(images, "images");
  const fr = toFrameFeatures(frames, "frames");
  const [n, f, d] = fr.shape;
  if (img.shape[0] !== n || img.shape[1] !== d) {
    throw new RangeError(
      `Cannot compute i2v consistency: images must be [${n}, ${d}] for frames [${fr.shape}], received [${img.shape}]`,
    );
  }
  if (f < 2) throw new RangeError(`Cannot compute i2v consistency: need >= 2 frames per video, received frames [${fr.shape}]`);
  const perVideo: number[] = [];
  for (let i = 0; i < n; i++) {
    const image = img.data.subarray(i * d, (i + 1) * d);
    let maxC = -Infinity;
    let sumS = 0;
    let minS = Infinity;
    for (let t = 0; t < f; t++) {
      const cur = fr.data.subarray((i * f + t) * d, (i * f + t + 1) * d);
      maxC = Math.max(maxC, Math.max(0, cosineSimilarity(image, cur)));
      if (t > 0) {
        const prev = fr.data.subarray((i * f + t - 1) * d, (i * f + t) * d);
        const s = Math.max(0, cosineSimilarity(prev, cur));
        sumS += s;
        minS = Math.min(minS, s);
      }
    }
    perVideo.push(0.4 * maxC + 0.3 * (sumS / (f - 1)) + 0.3 * minS);
  }
  return { score: perVideo.reduce((a, b) => a + b, 0) / n, perVideo };
}
