/**
 * Lays out videos as an image strip: one row per video, frames left to right,
 * a 1-pixel white gutter between frames and rows; written as PNG.
 *
 * @example
 * ```ts
 * import { videoStrip } from "./video_strip.ts";
 * const img = videoStrip([new Float32Array(2 * 4 * 4 * 3)], { frames: 2, height: 4, width: 4 });
 * img.width; // 2·4 + 1 = 9
 * ```
 */
import { encodePng, type PngImage } from "../io/png.ts";
import { atomicWrite } from "../io/atomic_write.ts";

/** Frame size of the videos in a strip. */
export interface StripSize {
  frames: number;
  height: number;
  width: number;
}

/**
 * @param rows videos, each float32 [F, H, W, 3] in [0, 1]
 * @param size their frame count and size
 * @returns an 8-bit RGB image
 */
export function videoStrip(rows: readonly Float32Array[], size: StripSize): PngImage {
  const { frames: f, height: h, width: w } = size;
  const n = f * h * w * 3;
  rows.forEach((r, i) => {
    if (r.length !== n) {
      throw new RangeError(`Cannot lay out row ${i} as it must hold F·H·W·3 = ${n} values: received ${r.length}`);
    }
  });
  const W = f * w + (f - 1), H = rows.length * h + (rows.length - 1);
  const data = new Uint8Array(W * H * 3).fill(255);
  rows.forEach((video, r) => {
    for (let t = 0; t < f; t++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const src = ((t * h + y) * w + x) * 3;
          const dst = ((r * (h + 1) + y) * W + t * (w + 1) + x) * 3;
          for (let c = 0; c < 3; c++) data[dst + c] = Math.round(Math.min(1, Math.max(0, video[src + c])) * 255);
        }
      }
    }
  });
  return { width: W, height: H, channels: 3, data };
}

/**
 * @param path the .png file (written atomically)
 * @param rows videos, each float32 [F, H, W, 3] in [0, 1]
 * @param size their frame count and size
 */
export async function writeVideoStrip(path: string, rows: readonly Float32Array[], size: StripSize): Promise<void> {
  await atomicWrite(path, await encodePng(videoStrip(rows, size)));
}
