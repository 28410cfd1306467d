/**
 * PSNR restricted to a region of each frame: the background (pixels outside
 * the character mask) or the character, for "is the reference's background
 * kept?" without the character's own error mixed in.
 *
 * References: scikit-image `peak_signal_noise_ratio` (10·log10(L²/MSE)),
 * here with the MSE pooled over the selected pixels of all frames of a video;
 * RealisDance-DiT (arXiv 2504.14977) §4 (background preservation).
 */
import { toVideo, type VideoLike } from "./video.ts";
import { assertSameShape } from "./_checks.ts";

/** Options of {@link maskedPsnr}. */
export interface MaskedPsnrOptions {
  /** Dynamic range L of the pixel scale (default 1). */
  dataRange?: number;
  /** Score the pixels where the mask is < 0.5 (the background) instead of >= 0.5. */
  invert?: boolean;
}

/**
 * Mean over videos of 10·log10(L² / MSE), the MSE pooled over every channel
 * of the selected pixels of all the video's frames. A video with no selected
 * pixel is left out of the mean; if none has any, the result is NaN.
 *
 * @param pred predicted videos [N, F, H, W, C]
 * @param ref reference videos of the same shape
 * @param mask per-pixel masks [N, F, H, W] (1 = character), e.g. `Clip.mask` stacked
 * @param options data range; `invert` to score the background
 * @returns mean PSNR in dB over the videos that have selected pixels
 * @example
 * ```ts
 * import { maskedPsnr } from "./masked_psnr.ts";
 * const shape: [number, number, number, number, number] = [1, 1, 1, 2, 1];
 * const pred = { data: new Float32Array([0, 0.5]), shape }, ref = { data: new Float32Array([0.1, 0]), shape };
 * const mask = new Float32Array([0, 1]); // the second pixel is the character
 * console.log(maskedPsnr(pred, ref, mask, { invert: true }).toFixed(3)); // "20.000" (background: error 0.1)
 * ```
 */
export function maskedPsnr(pred: VideoLike, ref: VideoLike, mask: Float32Array, options: MaskedPsnrOptions = {}): number {
  const a = toVideo(pred, "pred");
  const b = toVideo(ref, "ref");
  assertSameShape(a, b, "masked PSNR");
  const [n, f, h, w, c] = a.shape;
  const pixels = n * f * h * w;
  if (mask.length !== pixels) {
    throw new RangeError(
      `Cannot compute masked PSNR as the mask must have N·F·H·W = ${pixels} values for videos [${a.shape}]: received ${mask.length}`,
    );
  }
  const range = options.dataRange ?? 1;
  if (!(range > 0)) throw new RangeError(`Cannot compute masked PSNR as dataRange must be > 0: received ${range}`);
  const perVideo = f * h * w;
  let total = 0, videos = 0;
  for (let v = 0; v < n; v++) {
    let se = 0, count = 0;
    for (let p = v * perVideo; p < (v + 1) * perVideo; p++) {
      if ((mask[p] >= 0.5) === Boolean(options.invert)) continue;
      for (let k = p * c; k < (p + 1) * c; k++) {
        const d = a.data[k] - b.data[k];
        se += d * d;
      }
      count += c;
    }
    if (count === 0) continue;
    total += se === 0 ? Infinity : 10 * Math.log10((range * range * count) / se);
    videos++;
  }
  return videos === 0 ? NaN : total / videos;
}
