/** Plain-array image operations for the classical flow fallbacks (private to lib/eval). */
import type { Frame } from "./frame.ts";

/** Luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), or the single channel. */
export function toGrey(frame: Frame): Float32Array {
  const { data, height, width, channels } = frame;
  const out = new Float32Array(height * width);
  if (channels === 1) {
    out.set(data);
    return out;
  }
  for (let p = 0; p < out.length; p++) {
    out[p] = 0.299 * data[p * channels] + 0.587 * data[p * channels + 1] + 0.114 * data[p * channels + 2];
  }
  return out;
}

/** Bilinear sample of a single-channel image at (x, y), coordinates clamped to the image. */
export function sampleBilinear(img: Float32Array, h: number, w: number, x: number, y: number): number {
  x = Math.min(Math.max(x, 0), w - 1);
  y = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const fx = x - x0;
  const fy = y - y0;
  const top = img[y0 * w + x0] * (1 - fx) + img[y0 * w + x1] * fx;
  const bottom = img[y1 * w + x0] * (1 - fx) + img[y1 * w + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Halves an image: 5-tap binomial blur [1 4 6 4 1]/16 (clamped borders), then every other pixel. */
export function downsample(img: Float32Array, h: number, w: number): { img: Float32Array; h: number; w: number } {
  const k = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const tmp = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) s += k[t + 2] * img[y * w + Math.min(Math.max(x + t, 0), w - 1)];
      tmp[y * w + x] = s;
    }
  }
  const oh = Math.ceil(h / 2);
  const ow = Math.ceil(w / 2);
  const out = new Float32Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = -2; t <= 2; t++) s += k[t + 2] * tmp[Math.min(Math.max(2 * y + t, 0), h - 1) * w + 2 * x];
      out[y * ow + x] = s;
    }
  }
  return { img: out, h: oh, w: ow };
}

/** Central-difference gradients (one-sided at the borders). */
export function gradients(img: Float32Array, h: number, w: number): { gx: Float32Array; gy: Float32Array } {
  const gx = new Float32Array(h * w);
  const gy = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const xl = Math.max(x - 1, 0), xr = Math.min(x + 1, w - 1);
      const yu = Math.max(y - 1, 0), yd = Math.min(y + 1, h - 1);
      gx[y * w + x] = (img[y * w + xr] - img[y * w + xl]) / Math.max(xr - xl, 1);
      gy[y * w + x] = (img[yd * w + x] - img[yu * w + x]) / Math.max(yd - yu, 1);
    }
  }
  return { gx, gy };
}
