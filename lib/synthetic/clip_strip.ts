/**
 * A contact sheet of clips: one row per (clip, chosen frame) with the
 * reference image, the RGB frame, the three pose conditions (skeleton, hands,
 * body) and the mask side by side, separated by thin grey gaps. Returned as
 * 8-bit RGB bytes (for notebooks) or written as a PNG.
 *
 * @module
 */

import type { Clip } from "../data/clip.ts";
import { encodePng, type PngImage } from "../io/png.ts";
import { atomicWrite } from "../io/atomic_write.ts";

/** Column titles of a strip, left to right. */
export const STRIP_COLUMNS = ["reference", "video", "skeleton", "hands", "body", "mask"] as const;

/** Options of `clipStrip`. */
export interface ClipStripOptions {
  /** Frames to show per clip (default: first and last). Negative values count from the end. */
  frames?: number[];
  /** Gap between tiles in pixels (default 2). */
  gap?: number;
}

/**
 * Lays clips out as an RGB image.
 *
 * @param clips clips of equal height and width
 * @param options frames per clip and gap
 * @returns an 8-bit RGB image (`channels: 3`)
 * @example
 * ```ts
 * import { clipStrip } from "./clip_strip.ts";
 * import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
 * const img = clipStrip([syntheticClip("pretrain", 0, { frames: 5, height: 32, width: 32 })]);
 * console.log(img.width, img.height); // 206 70
 * ```
 */
export function clipStrip(clips: readonly Clip[], options: ClipStripOptions = {}): PngImage {
  if (clips.length === 0) throw new RangeError("Cannot draw a clip strip: received 0 clips, expected at least 1");
  const { height: H, width: W } = clips[0];
  for (const c of clips) {
    if (c.height !== H || c.width !== W) {
      throw new RangeError(
        `Cannot draw a strip of clips of different sizes: ${
          clips[0].id
        } is ${H}x${W}, ${c.id} is ${c.height}x${c.width}`,
      );
    }
  }
  const gap = options.gap ?? 2;
  const rows: Array<[Clip, number]> = [];
  for (const c of clips) {
    for (const f0 of options.frames ?? [0, -1]) {
      const f = f0 < 0 ? c.frames + f0 : f0;
      if (!Number.isInteger(f) || f < 0 || f >= c.frames) {
        throw new RangeError(
          `Cannot show frame ${f0} of clip ${c.id}: expected an integer in [-${c.frames}, ${c.frames})`,
        );
      }
      rows.push([c, f]);
    }
  }
  const cols = STRIP_COLUMNS.length;
  const outW = cols * W + (cols + 1) * gap;
  const outH = rows.length * H + (rows.length + 1) * gap;
  const data = new Uint8Array(outW * outH * 3).fill(96);
  const HW = H * W;
  rows.forEach(([c, f], r) => {
    const tiles: Array<[Float32Array, number, number]> = [
      [c.reference, 0, 3],
      [c.video, f * HW * 3, 3],
      [c.poses.skeleton, f * HW * 3, 3],
      [c.poses.hands, f * HW * 3, 3],
      [c.poses.body, f * HW * 3, 3],
      [c.mask, f * HW, 1],
    ];
    tiles.forEach(([src, off, ch], col) => {
      const x0 = gap + col * (W + gap), y0 = gap + r * (H + gap);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const o = ((y0 + y) * outW + x0 + x) * 3;
          for (let k = 0; k < 3; k++) {
            const v = src[off + (y * W + x) * ch + (ch === 3 ? k : 0)];
            data[o + k] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
          }
        }
      }
    });
  });
  return { width: outW, height: outH, channels: 3, data };
}

/**
 * Writes a clip strip as a PNG file (atomically).
 *
 * @param path destination `.png` path
 * @param clips clips of equal size
 * @param options frames per clip and gap
 * @returns the image that was written
 * @example
 * ```ts
 * import { writeClipStrip } from "./clip_strip.ts";
 * import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
 * await writeClipStrip(`${await Deno.makeTempDir()}/strip.png`, [syntheticClip("pretrain", 0, { frames: 5, height: 32, width: 32 })]);
 * ```
 */
export async function writeClipStrip(
  path: string,
  clips: readonly Clip[],
  options: ClipStripOptions = {},
): Promise<PngImage> {
  const image = clipStrip(clips, options);
  await atomicWrite(path, await encodePng(image));
  return image;
}
