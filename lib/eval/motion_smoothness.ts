/**
 * VBench "motion_smoothness": how well the odd frames are predicted by
 * interpolating between the even frames around them.
 *
 * References: VBench (Huang et al., CVPR 2024) §3.1;
 * vbench/motion_smoothness.py (MotionSmoothness.motion_score / vfi_score;
 * AMT-S interpolator there).
 */
import type { VbenchScore } from "./features.ts";
import { type Frame, type InterpolateFn, videoFrame } from "./frame.ts";
import { toVideo, type VideoLike } from "./video.ts";

/** Options of {@link motionSmoothness}. */
export interface MotionSmoothnessOptions {
  /** Frame interpolator at t = ½ (AMT in VBench; flowInterpolate for the `-classical` variant). */
  interpolate: InterpolateFn;
  /**
   * Reproduce VBench's 8-bit steps: original frames rounded to 8 bits (as
   * stored in a video file) and interpolated frames truncated like its
   * tensor2img (clip(255·x) then astype(uint8)). Off (default): both are
   * compared as 255·x in float.
   */
  quantize?: boolean;
}

/**
 * Per video: interpolate between frames 0, 2, 4, …; compare each
 * interpolated frame with the real odd frame 1, 3, 5, … it stands for:
 * m = mean over those frames of mean |real − interpolated| (0–255 scale),
 * score (255 − m)/255; overall the mean over videos.
 *
 * @param videos [N, F, H, W, C], F >= 3
 * @param options the interpolator and 8-bit handling
 * @returns overall and per-video scores (1 = perfectly predictable motion)
 * @example
 * ```ts
 * import { motionSmoothness } from "./motion_smoothness.ts";
 * // A linear fade is predicted exactly by averaging neighbours.
 * const v = { data: new Float32Array([0, 0.1, 0.2]), shape: [1, 3, 1, 1, 1] as [number, number, number, number, number] };
 * const average = (a: { data: Float32Array }, b: { data: Float32Array }) => ({ data: a.data.map((x, i) => (x + b.data[i]) / 2), height: 1, width: 1, channels: 1 });
 * console.log((await motionSmoothness(v, { interpolate: average })).score.toFixed(6)); // "1.000000"
 * ```
 */
export async function motionSmoothness(videos: VideoLike, options: MotionSmoothnessOptions): Promise<VbenchScore> {
  const v = toVideo(videos, "videos");
  const [n, f, h, w, c] = v.shape;
  if (f < 3) {
    throw new RangeError(`Cannot compute motion smoothness: videos need >= 3 frames (two even ones), received shape [${v.shape}]`);
  }
  if (typeof options?.interpolate !== "function") {
    throw new TypeError(
      `Cannot compute motion smoothness: options.interpolate must be a function, received ${typeof options?.interpolate}`,
    );
  }
  const quantize = options.quantize ?? false;
  const perVideo: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    // Pairs (0, 2), (2, 4), …; frame 2k + 1 is the truth for pair k.
    for (let t = 0; t + 2 < f; t += 2) {
      const mid = await options.interpolate(videoFrame(v, i, t), videoFrame(v, i, t + 2));
      if (mid.data.length !== h * w * c) {
        throw new RangeError(
          `Cannot compute motion smoothness: the interpolator returned ${mid.data.length} values for ${h}×${w}×${c} frames`,
        );
      }
      sum += meanAbsDiff255(videoFrame(v, i, t + 1), mid, quantize, v.data instanceof Uint8Array);
      count++;
    }
    perVideo.push((255 - sum / count) / 255);
  }
  return { score: perVideo.reduce((s, x) => s + x, 0) / n, perVideo };
}

function meanAbsDiff255(real: Frame, interpolated: Frame, quantize: boolean, realIs8Bit: boolean): number {
  let s = 0;
  const a = real.data;
  const b = interpolated.data;
  for (let p = 0; p < a.length; p++) {
    let x = a[p] * 255;
    let y = b[p] * 255;
    if (quantize || realIs8Bit) x = Math.min(255, Math.max(0, Math.round(x)));
    if (quantize) y = Math.trunc(Math.min(255, Math.max(0, y)));
    s += Math.abs(x - y);
  }
  return s / a.length;
}
