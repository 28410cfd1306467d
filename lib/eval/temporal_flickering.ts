/**
 * VBench "temporal flickering": how little consecutive frames differ.
 *
 * References: VBench (Huang et al., CVPR 2024) §3.2 and
 * vbench/temporal_flickering.py (mae_seq / cal_score / temporal_flickering).
 */
import { toVideo, type VideoLike } from "./video.ts";

/** Options of {@link temporalFlickering}. */
export interface TemporalFlickeringOptions {
  /**
   * Round float pixels to 8-bit (round(255·x) clipped to 0..255) first, as
   * writing the video to a file would; VBench itself reads 8-bit video files.
   * Off: float pixels are scaled by 255 and used as they are. Uint8 input is
   * used exactly either way.
   */
  quantize?: boolean;
}

/**
 * Per video m = mean over t of mean |F_t − F_{t+1}| on the 0–255 scale (all
 * pixels and channels), score (255 − m)/255; returns the mean over videos.
 * 1 means a static video.
 *
 * @param videos videos [N, F, H, W, C], F >= 2
 * @param options 8-bit quantisation of float input
 * @returns mean score in [0, 1]
 * @example
 * ```ts
 * import { temporalFlickering } from "./temporal_flickering.ts";
 * const v = { data: new Uint8Array([0, 51]), shape: [1, 2, 1, 1, 1] as [number, number, number, number, number] };
 * console.log(temporalFlickering(v)); // 0.8
 * ```
 */
export function temporalFlickering(videos: VideoLike, options: TemporalFlickeringOptions = {}): number {
  const v = toVideo(videos, "videos");
  const [n, f, h, w, c] = v.shape;
  if (f < 2) {
    throw new RangeError(`Cannot compute temporal flickering as videos need >= 2 frames: received shape [${v.shape}]`);
  }
  const frameSize = h * w * c;
  const px = pixelReader(v.data, options.quantize ?? false);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sumMae = 0;
    for (let t = 0; t < f - 1; t++) {
      const p0 = (i * f + t) * frameSize;
      const p1 = p0 + frameSize;
      let s = 0;
      for (let k = 0; k < frameSize; k++) s += Math.abs(px(p0 + k) - px(p1 + k));
      sumMae += s / frameSize;
    }
    const m = sumMae / (f - 1);
    total += (255 - m) / 255;
  }
  return total / n;
}

/** Reads pixel p on the 0–255 scale. */
function pixelReader(data: Float32Array | Uint8Array, quantize: boolean): (p: number) => number {
  if (data instanceof Uint8Array) return (p) => data[p];
  if (quantize) return (p) => Math.min(255, Math.max(0, Math.round(data[p] * 255)));
  return (p) => data[p] * 255;
}
