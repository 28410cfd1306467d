/**
 * How a video longer than the model's clip is cut into segments of the clip
 * length for the causal video VAE (temporal stride 4: a segment of T = 4k + 1
 * frames is L = k + 1 latent frames, the first latent frame one pixel frame,
 * every later one four).
 *
 * An overlap of K latent frames is the last P = 4(K − 1) + 1 pixel frames of
 * the previous segment (K = 0: none), which the causal VAE encodes, as the
 * start of a new video, into exactly K latent frames; segment j starts at
 * pixel frame j·S, S = T − P, and contributes its frames P … T − 1 (segment 0
 * all T). The last segment may run past N; its extra frames are dropped.
 * A seam is the pair of consecutive output frames where one segment's frames
 * end and the next one's begin.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (causal 3D VAE, first
 * frame alone then chunks of 4); Wan-Video/Wan2.2 `generate.py` (`--refert_num`
 * 1 or 5: the previous clip's last frames as temporal guidance, 1 and 5 being
 * 4(K − 1) + 1 for K = 1, 2).
 *
 * @module
 */

/** What {@link longVideoPlan} returns. */
export interface LongVideoPlan {
  /** Output frames N. */
  frames: number;
  /** Frames of one segment T (the model's clip length). */
  segmentFrames: number;
  /** Latent frames of one segment L = (T − 1)/4 + 1. */
  segmentLatentFrames: number;
  /** Overlap K in latent frames. */
  overlap: number;
  /** Overlap P in pixel frames: 4(K − 1) + 1, or 0. */
  overlapFrames: number;
  /** First pixel frame of each segment. */
  starts: number[];
  /** Frames the segments cover, (M − 1)·S + T >= N. */
  coveredFrames: number;
  /** Each seam as [t, t + 1]: the previous segment's last output frame and the next segment's first. */
  seams: [number, number][];
}

/** The causal VAE's temporal stride. */
const STRIDE = 4;

/**
 * @param frames N, the output length (>= T)
 * @param options the segment length T (4k + 1) and the overlap K in latent frames (0 … L − 1)
 * @returns the segments and seams
 * @throws {RangeError} for a T that is not 4k + 1, N < T, or K outside [0, L − 1]
 * @example
 * ```ts
 * import { longVideoPlan } from "./long_video_plan.ts";
 * const p = longVideoPlan(33, { segmentFrames: 9, overlap: 1 });
 * console.log(p.starts, p.seams[0]); // [0, 8, 16, 24] [8, 9]
 * ```
 */
export function longVideoPlan(frames: number, options: { segmentFrames: number; overlap: number }): LongVideoPlan {
  const { segmentFrames: t, overlap: k } = options;
  if (!Number.isInteger(t) || t < 1 || (t - 1) % STRIDE !== 0) {
    throw new RangeError(`Cannot plan segments as the segment length must be 4k+1 frames (1, 5, 9, …): received ${t}`);
  }
  const l = (t - 1) / STRIDE + 1;
  if (!Number.isInteger(frames) || frames < t) {
    throw new RangeError(
      `Cannot generate ${frames} frames in segments of ${t}: the length must be an integer >= one segment (${t} frames)`,
    );
  }
  if (!Number.isInteger(k) || k < 0 || k >= l) {
    throw new RangeError(
      `Cannot overlap segments by ${k} latent frames: a segment of ${t} frames has ${l} latent frames, so the overlap must be an integer in [0, ${
        l - 1
      }]`,
    );
  }
  const p = k === 0 ? 0 : STRIDE * (k - 1) + 1;
  const stride = t - p;
  const count = 1 + Math.ceil((frames - t) / stride);
  const starts = Array.from({ length: count }, (_, j) => j * stride);
  const seams = starts.slice(1).map((s): [number, number] => [s + p - 1, s + p]);
  return {
    frames,
    segmentFrames: t,
    segmentLatentFrames: l,
    overlap: k,
    overlapFrames: p,
    starts,
    coveredFrames: starts[count - 1] + t,
    seams,
  };
}
