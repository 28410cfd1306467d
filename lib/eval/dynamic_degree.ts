/**
 * VBench "dynamic_degree": the share of videos that move, judged from the
 * optical flow between consecutive frames.
 *
 * References: VBench (Huang et al., CVPR 2024) §3.1; vbench/dynamic_degree.py
 * (DynamicDegree.get_score / set_params / check_move; RAFT flow there).
 */
import type { VbenchScore } from "./features.ts";
import { type FlowFn, videoFrame } from "./frame.ts";
import { toVideo, type VideoLike } from "./video.ts";

/** Options of {@link dynamicDegree}. */
export interface DynamicDegreeOptions {
  /** Optical flow between consecutive frames (RAFT in VBench; lucasKanadeFlow for the `-classical` variant). */
  flow: FlowFn;
  /** Threshold = thresholdScale · min(H, W) / 256 pixels (VBench: 6). */
  thresholdScale?: number;
  /** A video is dynamic once round(countRatio · F) pairs exceed the threshold (VBench: 4/16; Python rounding). */
  countRatio?: number;
  /** Fraction of largest flow magnitudes averaged per pair (VBench: 0.05). */
  topFraction?: number;
}

/** {@link dynamicDegree}'s result: perVideo holds 1 (dynamic) or 0 (static). */
export interface DynamicDegreeResult extends VbenchScore {
  /** Per video, per consecutive pair: the mean of the top `topFraction` flow magnitudes. */
  pairScores: number[][];
}

/**
 * For each consecutive frame pair, the mean of the largest floor(0.05·H·W)
 * flow magnitudes (at least one); a video is dynamic when at least
 * round(4·F/16) pairs score strictly above 6·min(H, W)/256 px (with Python's
 * round-half-to-even, and VBench's loop: when that count is 0 any video with
 * a pair is dynamic). The score is the fraction of dynamic videos in [0, 1]
 * (tables show it ×100 as a percentage).
 *
 * @param videos [N, F, H, W, C], F >= 2
 * @param options the flow function and VBench's thresholds
 * @returns fraction of dynamic videos, per-video flags and per-pair scores
 * @example
 * ```ts
 * import { dynamicDegree } from "./dynamic_degree.ts";
 * const still = { data: new Float32Array(2 * 8 * 8), shape: [1, 2, 8, 8, 1] as [number, number, number, number, number] };
 * const zero = () => ({ u: new Float32Array(64), v: new Float32Array(64), height: 8, width: 8 });
 * console.log((await dynamicDegree(still, { flow: zero, countRatio: 1 })).score); // 0
 * ```
 */
export async function dynamicDegree(videos: VideoLike, options: DynamicDegreeOptions): Promise<DynamicDegreeResult> {
  const v = toVideo(videos, "videos");
  const [n, f, h, w] = v.shape;
  if (f < 2) throw new RangeError(`Cannot compute dynamic degree: videos need >= 2 frames, received shape [${v.shape}]`);
  if (typeof options?.flow !== "function") {
    throw new TypeError(`Cannot compute dynamic degree: options.flow must be a flow function, received ${typeof options?.flow}`);
  }
  const thresholdScale = options.thresholdScale ?? 6;
  const countRatio = options.countRatio ?? 4 / 16;
  const topFraction = options.topFraction ?? 0.05;
  if (!(topFraction > 0 && topFraction <= 1)) {
    throw new RangeError(`Cannot compute dynamic degree as topFraction must be in (0, 1]: received ${topFraction}`);
  }
  const threshold = thresholdScale * Math.min(h, w) / 256;
  const countNeeded = roundHalfEven(countRatio * f);
  const perVideo: number[] = [];
  const pairScores: number[][] = [];
  for (let i = 0; i < n; i++) {
    const scores: number[] = [];
    let next = videoFrame(v, i, 0);
    for (let t = 0; t < f - 1; t++) {
      const a = next;
      next = videoFrame(v, i, t + 1);
      const flow = await options.flow(a, next);
      if (flow.u.length !== h * w || flow.v.length !== h * w) {
        throw new RangeError(
          `Cannot compute dynamic degree: the flow function returned ${flow.u.length} values for ${h}×${w} frames`,
        );
      }
      scores.push(topMagnitudeMean(flow.u, flow.v, topFraction));
    }
    pairScores.push(scores);
    perVideo.push(isMoving(scores, threshold, countNeeded) ? 1 : 0);
  }
  return { score: perVideo.reduce((s, x) => s + x, 0) / n, perVideo, pairScores };
}

/** Mean of the largest ⌊fraction·n⌋ (at least 1) magnitudes √(u² + v²). */
function topMagnitudeMean(u: Float32Array, v: Float32Array, fraction: number): number {
  const mag = new Float64Array(u.length);
  for (let p = 0; p < u.length; p++) mag[p] = Math.sqrt(u[p] * u[p] + v[p] * v[p]);
  mag.sort();
  const k = Math.max(1, Math.floor(u.length * fraction));
  let s = 0;
  for (let i = mag.length - k; i < mag.length; i++) s += mag[i];
  return s / k;
}

/** VBench's check_move: count pairs above the threshold, stop as soon as the count is reached. */
function isMoving(scores: number[], threshold: number, countNeeded: number): boolean {
  let count = 0;
  for (const s of scores) {
    if (s > threshold) count++;
    if (count >= countNeeded) return true;
  }
  return false;
}

/** Python 3's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
