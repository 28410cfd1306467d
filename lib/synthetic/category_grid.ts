/**
 * A per-category grid of clips for notebooks: one row per category, up to
 * `perCategory` clips of that category side by side, each clip shown as its
 * RGB frame followed by its three conditions (skeleton, hands, body).
 * Returned with the row layout so a notebook can caption rows and clips.
 *
 * @module
 */

import type { Clip } from "../data/clip.ts";
import type { PngImage } from "../io/png.ts";
import { CATEGORIES } from "./clip_spec.ts";

/** Options of `categoryGrid`. */
export interface CategoryGridOptions {
  /** Clips per row (default 3). */
  perCategory?: number;
  /** Frame to show (default the middle one; negative counts from the end). */
  frame?: number;
  /** Categories, i.e. rows, in order (default CATEGORIES). */
  categories?: readonly string[];
  /** Gap in pixels (default 2). */
  gap?: number;
}

/** The grid and what each row shows. */
export interface CategoryGrid {
  image: PngImage;
  rows: Array<{ category: string; ids: string[] }>;
}

/**
 * Lays out clips by category.
 *
 * @param clips clips of equal size (a clip appears in every row of its categories)
 * @param options clips per row, frame, row order, gap
 * @returns the 8-bit RGB image and the row layout
 * @example
 * ```ts
 * import { categoryGrid } from "./category_grid.ts";
 * import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
 * const clips = [0, 1, 2, 3].map((i) => syntheticClip("realisdance-val-syn", i, { frames: 1, height: 16, width: 16 }));
 * const { image, rows } = categoryGrid(clips, { perCategory: 2 });
 * console.log(rows.length, image.width); // 6 138
 * ```
 */
export function categoryGrid(clips: readonly Clip[], options: CategoryGridOptions = {}): CategoryGrid {
  if (clips.length === 0) throw new RangeError("Cannot draw a category grid: received 0 clips, expected at least 1");
  const { height: H, width: W } = clips[0];
  for (const c of clips) {
    if (c.height !== H || c.width !== W) {
      throw new RangeError(`Cannot draw a grid of clips of different sizes: ${clips[0].id} is ${H}x${W}, ${c.id} is ${c.height}x${c.width}`);
    }
  }
  const per = options.perCategory ?? 3;
  if (!Number.isInteger(per) || per < 1) throw new RangeError(`Cannot draw a category grid as perCategory must be >= 1: received ${per}`);
  const gap = options.gap ?? 2;
  const cats = options.categories ?? CATEGORIES;
  const rows = cats.map((category) => ({
    category,
    clips: clips.filter((c) => c.categories.includes(category)).slice(0, per),
  }));
  const tilesPerClip = 4;
  const outW = per * (tilesPerClip * W + (tilesPerClip - 1) * gap) + (per + 1) * 3 * gap;
  const outH = rows.length * H + (rows.length + 1) * gap;
  const data = new Uint8Array(outW * outH * 3).fill(96);
  const HW = H * W;
  rows.forEach((row, r) => {
    row.clips.forEach((c, i) => {
      const f0 = options.frame ?? Math.floor(c.frames / 2);
      const f = f0 < 0 ? c.frames + f0 : f0;
      if (!Number.isInteger(f) || f < 0 || f >= c.frames) {
        throw new RangeError(`Cannot show frame ${f0} of clip ${c.id}: expected an integer in [-${c.frames}, ${c.frames})`);
      }
      const sources = [c.video, c.poses.skeleton, c.poses.hands, c.poses.body];
      sources.forEach((src, t) => {
        const x0 = 3 * gap + i * (tilesPerClip * W + (tilesPerClip - 1) * gap + 3 * gap) + t * (W + gap);
        const y0 = gap + r * (H + gap);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            const o = ((y0 + y) * outW + x0 + x) * 3, s = (f * HW + y * W + x) * 3;
            for (let k = 0; k < 3; k++) {
              const v = src[s + k];
              data[o + k] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
            }
          }
        }
      });
    });
  });
  return {
    image: { width: outW, height: outH, channels: 3, data },
    rows: rows.map((r) => ({ category: r.category, ids: r.clips.map((c) => c.id) })),
  };
}
