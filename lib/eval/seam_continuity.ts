/**
 * Continuity of a video made of segments: the same frame-to-frame measures
 * at the seam pairs (where one segment's frames end and the next one's begin)
 * and at every other consecutive pair, so a seam can be compared with the
 * motion inside segments.
 *
 * - flicker: VBench's temporal flickering of the two frames alone,
 *   (255 − mean |F_t − F_{t+1}|)/255 (1: identical frames);
 * - feature distance (with an image network): 1 − cos(f_t, f_{t+1}) of the
 *   network's whole-frame embeddings (0: the same features).
 *
 * References: VBench (Huang et al., CVPR 2024) §3.2
 * (vbench/temporal_flickering.py), §3.1 (frame-to-frame feature cosine of
 * subject consistency); lib/eval temporalFlickering, embedVideos.
 *
 * @module
 */
import type { FeatureNetwork } from "./feature_network.ts";
import { embedVideos } from "./embed_videos.ts";
import { temporalFlickering } from "./temporal_flickering.ts";
import { toVideo, type VideoLike } from "./video.ts";

/** Options of {@link seamContinuity}. */
export interface SeamContinuityOptions {
  /** The seam pairs [t, t + 1] (e.g. `longVideoPlan(...).seams`). */
  seams: readonly (readonly [number, number])[];
  /** An image network for the feature distance (omitted: flicker only). */
  network?: FeatureNetwork;
}

/** Means over seam pairs and over the other consecutive pairs. */
export interface SeamContinuity {
  seamPairs: number;
  withinPairs: number;
  seamFlicker: number;
  withinFlicker: number;
  /** null without a network. */
  seamFeatureDistance: number | null;
  withinFeatureDistance: number | null;
}

/**
 * @param video one video [1, F, H, W, C] in [0, 1]
 * @param options the seam pairs and an optional image network
 * @returns the mean flicker and feature distance at seams and within segments (NaN for an empty set)
 * @throws {RangeError} for a batch other than 1, or a seam that is not [t, t + 1] inside the video
 * @example
 * ```ts
 * import { seamContinuity } from "./seam_continuity.ts";
 * // Frames 0, 0, 51, 51 (8-bit): the jump is at the seam [1, 2].
 * const data = new Float32Array([0, 0, 51, 51].map((v) => v / 255));
 * const c = await seamContinuity({ data, shape: [1, 4, 1, 1, 1] }, { seams: [[1, 2]] });
 * console.log(c.seamFlicker.toFixed(2), c.withinFlicker); // "0.80" 1
 * ```
 */
export async function seamContinuity(video: VideoLike, options: SeamContinuityOptions): Promise<SeamContinuity> {
  const v = toVideo(video, "video");
  const [n, f, h, w, c] = v.shape;
  if (n !== 1) throw new RangeError(`Cannot measure seams as the video batch must hold one video: received shape [${v.shape}]`);
  const isSeam = new Array(Math.max(0, f - 1)).fill(false);
  for (const s of options.seams) {
    const [a, b] = s;
    if (!Number.isInteger(a) || b !== a + 1 || a < 0 || b >= f) {
      throw new RangeError(`Cannot measure the seam [${s}] as it must be [t, t + 1] with 0 <= t < ${f - 1}`);
    }
    isSeam[a] = true;
  }
  const frameSize = h * w * c;
  const flicker = isSeam.map((_, t) =>
    temporalFlickering({ data: v.data.subarray(t * frameSize, (t + 2) * frameSize) as Float32Array, shape: [1, 2, h, w, c] })
  );
  let distance: number[] | null = null;
  if (options.network) {
    const feats = await embedVideos(v, options.network); // (F, D)
    const d = feats.shape[1];
    const row = (t: number) => feats.data.subarray(t * d, (t + 1) * d);
    distance = isSeam.map((_, t) => 1 - cosine(row(t), row(t + 1)));
  }
  const mean = (xs: number[], seam: boolean) => {
    const pick = xs.filter((_, t) => isSeam[t] === seam);
    return pick.length ? pick.reduce((a, b) => a + b, 0) / pick.length : NaN;
  };
  const seamPairs = isSeam.filter(Boolean).length;
  return {
    seamPairs,
    withinPairs: isSeam.length - seamPairs,
    seamFlicker: mean(flicker, true),
    withinFlicker: mean(flicker, false),
    seamFeatureDistance: distance ? mean(distance, true) : null,
    withinFeatureDistance: distance ? mean(distance, false) : null,
  };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? (aa === bb ? 1 : 0) : ab / Math.sqrt(aa * bb);
}
