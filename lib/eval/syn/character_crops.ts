/**
 * Character crops: per frame, the square box around the character mask
 * (grown by a margin), resized, with everything outside the (dilated) mask
 * replaced by a flat grey. They play the role of DINO's input in the
 * `-syn` subject metrics: the character's appearance, whatever its position,
 * size or background.
 *
 * References: VBench subject_consistency.py / i2v_subject.py (DINO on whole
 * frames; the masks of the synthetic corpus let the `-syn` metrics look at
 * the subject only); bilinear sampling with half-pixel centres as PyTorch
 * F.interpolate(align_corners=False).
 */
import { toVideo, type Video } from "../video.ts";
import { type MaskedVideos, toMaskBatch } from "./masked_videos.ts";
import { rgbFrame, samplePlane } from "./_pixels.ts";

/** Options of {@link characterCrops}. */
export interface CharacterCropsOptions {
  /** Output [height, width] (default: the videos' own size). */
  size?: [number, number];
  /** Extra space on each side, as a fraction of the box's larger side (default 0.15). */
  margin?: number;
  /** Keep pixels within this many pixels of the mask (default 1). */
  dilate?: number;
  /** Grey level outside the mask (default 0.5). */
  fill?: number;
}

/**
 * For frame t of video i with mask pixels in rows y0..y1 and columns x0..x1:
 * a box centred on them whose height is max(y1 − y0 + 1, (x1 − x0 + 1)·h/w)·(1 + 2·margin)
 * (width in the output's aspect), sampled bilinearly to `size`; output pixels
 * where the dilated mask (sampled bilinearly, 0 outside the frame) is m get
 * m·pixel + (1 − m)·fill. A frame without character pixels is returned whole
 * and unmasked.
 *
 * @param samples videos [N, F, H, W, C] and masks [N, F, H, W]
 * @param options output size, margin, dilation and fill
 * @returns crops [N, F, h, w, 3] in [0, 1]
 * @example
 * ```ts
 * import { characterCrops } from "./character_crops.ts";
 * const videos = { data: new Float32Array(16 * 3).fill(0.2), shape: [1, 1, 4, 4, 3] as [number, number, number, number, number] };
 * const masks = { data: new Float32Array(16), shape: [1, 1, 4, 4] as [number, number, number, number] };
 * masks.data[5] = 1;
 * console.log(characterCrops({ videos, masks }, { size: [2, 2], dilate: 0 }).shape); // [1, 1, 2, 2, 3]
 * ```
 */
export function characterCrops(samples: MaskedVideos, options: CharacterCropsOptions = {}): Video {
  const v = toVideo(samples.videos, "videos");
  const [n, f, h, w] = v.shape;
  const masks = toMaskBatch(samples.masks, v.shape);
  const [oh, ow] = options.size ?? [h, w];
  if (!(Number.isInteger(oh) && oh > 0 && Number.isInteger(ow) && ow > 0)) {
    throw new RangeError(
      `Cannot crop characters as size must be [height, width] > 0: received ${JSON.stringify(options.size)}`,
    );
  }
  const margin = options.margin ?? 0.15;
  if (!(margin >= 0)) throw new RangeError(`Cannot crop characters as margin must be >= 0: received ${margin}`);
  const dilate = options.dilate ?? 1;
  if (!Number.isInteger(dilate) || dilate < 0) {
    throw new RangeError(`Cannot crop characters as dilate must be an integer >= 0: received ${dilate}`);
  }
  const fill = options.fill ?? 0.5;
  const px = h * w;
  const out = new Float32Array(n * f * oh * ow * 3);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < f; t++) {
      const frame = rgbFrame(v, i, t);
      const m = masks.data.subarray((i * f + t) * px, (i * f + t + 1) * px);
      const dst = out.subarray((i * f + t) * oh * ow * 3, (i * f + t + 1) * oh * ow * 3);
      let y0 = h, y1 = -1, x0 = w, x1 = -1;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (m[y * w + x] > 0.5) {
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
          }
        }
      }
      if (y1 < 0) {
        sampleBox(frame, null, { h, w, top: 0, left: 0, boxH: h, boxW: w, oh, ow, fill }, dst);
        continue;
      }
      const bh = Math.max(y1 - y0 + 1, (x1 - x0 + 1) * oh / ow) * (1 + 2 * margin);
      const bw = bh * ow / oh;
      const cy = (y0 + y1 + 1) / 2, cx = (x0 + x1 + 1) / 2;
      const keep = dilated(m, h, w, dilate);
      sampleBox(frame, keep, { h, w, top: cy - bh / 2, left: cx - bw / 2, boxH: bh, boxW: bw, oh, ow, fill }, dst);
    }
  }
  return { data: out, shape: [n, f, oh, ow, 3] };
}

interface Box {
  h: number;
  w: number;
  top: number;
  left: number;
  boxH: number;
  boxW: number;
  oh: number;
  ow: number;
  fill: number;
}

/** Samples the box [top, top + boxH) × [left, left + boxW) (pixel-edge coordinates) into dst [oh, ow, 3]. */
function sampleBox(frame: Float32Array, keep: Float32Array | null, b: Box, dst: Float32Array): void {
  for (let i = 0; i < b.oh; i++) {
    const y = b.top + (i + 0.5) * b.boxH / b.oh - 0.5;
    for (let j = 0; j < b.ow; j++) {
      const x = b.left + (j + 0.5) * b.boxW / b.ow - 0.5;
      const m = keep ? samplePlane(keep, b.h, b.w, x, y, 1, 0, 0) : 1;
      for (let c = 0; c < 3; c++) {
        const p = m > 0 ? samplePlane(frame, b.h, b.w, x, y, 3, c, null) : 0;
        dst[(i * b.ow + j) * 3 + c] = m * p + (1 - m) * b.fill;
      }
    }
  }
}

/** Binary mask (> 0.5) dilated by r pixels (square neighbourhood). */
function dilated(m: ArrayLike<number>, h: number, w: number, r: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!(m[y * w + x] > 0.5)) continue;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) out[yy * w + xx] = 1;
      }
    }
  }
  return out;
}
