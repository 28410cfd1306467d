/**
 * Peak signal-to-noise ratio between predicted and reference videos.
 *
 * References: scikit-image `skimage.metrics.peak_signal_noise_ratio`
 * (10·log10(L²/MSE), +inf for identical images).
 */
import { toVideo, type VideoLike } from "./video.ts";
import { assertSameShape } from "./_checks.ts";

/** Options of {@link psnr}. */
export interface PsnrOptions {
  /** Dynamic range L of the [0, 1] pixel scale (uint8 input is divided by 255 first). */
  dataRange?: number;
  /**
   * Cap applied to each frame's PSNR in dB before averaging. Unset (the
   * default) follows scikit-image: a frame with MSE = 0 scores +Infinity, and
   * so does the mean over frames that contains it.
   */
  maxDb?: number;
}

/**
 * Mean PSNR in dB: 10·log10(L²/MSE) per frame (MSE over H·W·C in float64),
 * then the mean over all frames of all videos.
 *
 * Identical frames give +Infinity (skimage's convention) and make the mean
 * +Infinity; pass `maxDb` (e.g. 100) to cap each frame instead.
 *
 * @param pred predicted videos [N, F, H, W, C]
 * @param ref reference videos of the same shape
 * @param options data range and optional per-frame cap
 * @returns mean PSNR in dB (possibly +Infinity)
 * @example
 * ```ts
 * import { psnr } from "./psnr.ts";
 * const shape: [number, number, number, number, number] = [1, 1, 1, 2, 1];
 * const db = psnr({ data: new Float32Array([0, 0]), shape }, { data: new Float32Array([0.1, 0.1]), shape });
 * console.log(db.toFixed(3)); // "20.000"
 * ```
 */
export function psnr(pred: VideoLike, ref: VideoLike, options: PsnrOptions = {}): number {
  const a = toVideo(pred, "pred");
  const b = toVideo(ref, "ref");
  assertSameShape(a, b, "PSNR");
  const dataRange = options.dataRange ?? 1;
  if (!(dataRange > 0)) throw new RangeError(`Cannot compute PSNR as dataRange must be > 0: received ${dataRange}`);
  if (options.maxDb !== undefined && !Number.isFinite(options.maxDb)) {
    throw new RangeError(`Cannot compute PSNR as maxDb must be a finite number: received ${options.maxDb}`);
  }
  const [n, f, h, w, c] = a.shape;
  const frameSize = h * w * c;
  const sa = a.data instanceof Uint8Array ? 1 / 255 : 1;
  const sb = b.data instanceof Uint8Array ? 1 / 255 : 1;
  let total = 0;
  for (let frame = 0; frame < n * f; frame++) {
    let se = 0;
    for (let p = frame * frameSize, end = p + frameSize; p < end; p++) {
      const d = a.data[p] * sa - b.data[p] * sb;
      se += d * d;
    }
    const mse = se / frameSize;
    let db = mse === 0 ? Infinity : 10 * Math.log10(dataRange * dataRange / mse);
    if (options.maxDb !== undefined) db = Math.min(db, options.maxDb);
    total += db;
  }
  return total / (n * f);
}
