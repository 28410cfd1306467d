/**
 * `motion_smoothness-classical`: VBench's motion smoothness with flow-warped
 * interpolation (pyramidal Lucas–Kanade) in place of AMT.
 *
 * Scores are not comparable with VBench's AMT numbers; they are meant for
 * comparing runs of this workbench.
 *
 * References: vbench/motion_smoothness.py; flowInterpolate.
 */
import type { VbenchScore } from "./features.ts";
import { flowInterpolate } from "./flow_interpolate.ts";
import type { LucasKanadeOptions } from "./lucas_kanade_flow.ts";
import { motionSmoothness } from "./motion_smoothness.ts";
import type { VideoLike } from "./video.ts";

/** Options of {@link motionSmoothnessClassical}. */
export interface MotionSmoothnessClassicalOptions {
  /** VBench's 8-bit steps (see motionSmoothness). */
  quantize?: boolean;
  lucasKanade?: LucasKanadeOptions;
}

/**
 * @param videos [N, F, H, W, C], F >= 3
 * @param options 8-bit handling and flow options
 * @returns overall and per-video scores
 * @example
 * ```ts
 * import { motionSmoothnessClassical } from "./motion_smoothness_classical.ts";
 * const still = { data: new Float32Array(3 * 32 * 32).fill(0.5), shape: [1, 3, 32, 32, 1] as [number, number, number, number, number] };
 * console.log((await motionSmoothnessClassical(still)).score); // 1
 * ```
 */
export function motionSmoothnessClassical(
  videos: VideoLike,
  options: MotionSmoothnessClassicalOptions = {},
): Promise<VbenchScore> {
  return motionSmoothness(videos, {
    quantize: options.quantize,
    interpolate: (a, b) => flowInterpolate(a, b, { lucasKanade: options.lucasKanade }),
  });
}
