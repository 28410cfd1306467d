/** Pixel helpers of the crop functions (private to lib/eval/syn). */
import type { Video } from "../video.ts";

/** Frame t of video i as float RGB [H·W·3] in [0, 1] (8-bit divided by 255, grey repeated). */
export function rgbFrame(v: Video, i: number, t: number): Float32Array {
  const [, f, h, w, c] = v.shape;
  const px = h * w;
  const src = v.data.subarray((i * f + t) * px * c, (i * f + t + 1) * px * c);
  const scale = v.data instanceof Uint8Array ? 1 / 255 : 1;
  const out = new Float32Array(px * 3);
  if (c === 3) { for (let k = 0; k < px * 3; k++) out[k] = src[k] * scale; }
  else for (let p = 0; p < px; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = src[p] * scale;
  return out;
}

/** Bilinear sample of a single-channel plane at (x, y) with half-pixel centres; outside → `outside` (or clamped when null). */
export function samplePlane(
  plane: ArrayLike<number>,
  h: number,
  w: number,
  x: number,
  y: number,
  stride: number,
  offset: number,
  outside: number | null,
): number {
  if (outside !== null && (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5)) return outside;
  const cx = Math.min(Math.max(x, 0), w - 1);
  const cy = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(cx), y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
  const fx = cx - x0, fy = cy - y0;
  const at = (yy: number, xx: number) => plane[(yy * w + xx) * stride + offset];
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
}
