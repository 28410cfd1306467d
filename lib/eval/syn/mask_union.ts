/**
 * The background hole of each video: every pixel that is character in any of
 * its frames (and optionally in its reference image), grown by a few pixels.
 * Background crops blank the same hole in every frame, so that consistency
 * compares backgrounds, not where the character happens to stand.
 *
 * References: VBench background_consistency.py (whole frames through CLIP);
 * here the character is removed first, the role the masks play in the `-syn` metrics.
 */
import { type MaskBatch, toMaskBatch } from "./masked_videos.ts";

/** Options of {@link maskUnion}. */
export interface MaskUnionOptions {
  /** Grow the hole by this many pixels (square 8-neighbourhood dilation, default 1). */
  dilate?: number;
  /** More masks [N, H, W] to include, e.g. the reference images' (default none). */
  extra?: { data: Float32Array | Uint8Array; shape: [number, number, number] };
}

/**
 * @param masks character masks [N, F, H, W] (> 0.5 = character)
 * @param options dilation and extra masks
 * @returns holes [N, H, W] with 1 inside the hole
 * @example
 * ```ts
 * import { maskUnion } from "./mask_union.ts";
 * const masks = { data: new Float32Array([1, 0, 0, 0, 0, 0, 0, 1]), shape: [1, 2, 2, 2] as [number, number, number, number] };
 * console.log(Array.from(maskUnion(masks, { dilate: 0 }).data)); // [1, 0, 0, 1]
 * ```
 */
export function maskUnion(
  masks: MaskBatch,
  options: MaskUnionOptions = {},
): { data: Float32Array; shape: [number, number, number] } {
  const [n, f, h, w] = masks.shape;
  toMaskBatch(masks, [n, f, h, w, 3]);
  const dilate = options.dilate ?? 1;
  if (!Number.isInteger(dilate) || dilate < 0) {
    throw new RangeError(`Cannot build mask unions as dilate must be an integer >= 0: received ${dilate}`);
  }
  const extra = options.extra;
  if (
    extra && (extra.shape[0] !== n || extra.shape[1] !== h || extra.shape[2] !== w || extra.data.length !== n * h * w)
  ) {
    throw new RangeError(`Cannot build mask unions: extra masks must be [${n}, ${h}, ${w}], received [${extra.shape}]`);
  }
  const px = h * w;
  const union = new Float32Array(n * px);
  for (let i = 0; i < n; i++) {
    const u = union.subarray(i * px, (i + 1) * px);
    for (let t = 0; t < f; t++) {
      const m = masks.data.subarray((i * f + t) * px, (i * f + t + 1) * px);
      for (let p = 0; p < px; p++) if (m[p] > 0.5) u[p] = 1;
    }
    if (extra) {
      const m = extra.data.subarray(i * px, (i + 1) * px);
      for (let p = 0; p < px; p++) if (m[p] > 0.5) u[p] = 1;
    }
    if (dilate > 0) u.set(dilateMask(u, h, w, dilate));
  }
  return { data: union, shape: [n, h, w] };
}

/** Square (Chebyshev) dilation by r pixels, separable: rows then columns. */
function dilateMask(m: Float32Array, h: number, w: number, r: number): Float32Array {
  const rows = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = Math.max(0, x - r); d <= Math.min(w - 1, x + r) && v === 0; d++) v = m[y * w + d];
      rows[y * w + x] = v;
    }
  }
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = Math.max(0, y - r); d <= Math.min(h - 1, y + r) && v === 0; d++) v = rows[d * w + x];
      out[y * w + x] = v;
    }
  }
  return out;
}
