/**
 * Structural similarity (SSIM) between predicted and reference videos.
 *
 * References: Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment:
 * from error visibility to structural similarity", IEEE TIP 2004, eq. 13;
 * scikit-image `skimage.metrics.structural_similarity` (gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False) whose numbers this reproduces.
 */
import { toVideo, type VideoLike } from "./video.ts";
import { assertSameShape } from "./_checks.ts";

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** Dynamic range L of the [0, 1] pixel scale the metric works on (uint8 input is divided by 255 first). */
  dataRange?: number;
  /** Standard deviation of the Gaussian window. */
  sigma?: number;
  /** Window radius = floor(truncate·sigma + 0.5), as scipy.ndimage.gaussian_filter. */
  truncate?: number;
  /** Stabilising constants C1 = (k1·L)², C2 = (k2·L)². */
  k1?: number;
  k2?: number;
}

/**
 * Mean SSIM: per frame and channel a Gaussian-weighted SSIM map (11×11 window,
 * σ = 1.5, population covariances, float64) averaged over the interior left
 * after cropping the window radius (5 px) from every side; RGB frames average
 * their channels; the result is the mean over all frames of all videos.
 *
 * Because exactly the window radius is cropped, no filtered value that
 * touches the border enters the mean, so scikit-image's 'reflect' padding
 * never matters and is not computed.
 *
 * @param pred predicted videos [N, F, H, W, C], H and W >= 2·radius + 1 (11)
 * @param ref reference videos of the same shape
 * @param options window and constants (defaults as Wang et al.)
 * @returns mean SSIM in [-1, 1]
 * @example
 * ```ts
 * import { ssim } from "./ssim.ts";
 * const shape: [number, number, number, number, number] = [1, 1, 16, 16, 1];
 * const a = { data: new Float32Array(256).map((_, i) => (i % 16) / 16), shape };
 * console.log(ssim(a, a)); // 1
 * ```
 */
export function ssim(pred: VideoLike, ref: VideoLike, options: SsimOptions = {}): number {
  const a = toVideo(pred, "pred");
  const b = toVideo(ref, "ref");
  assertSameShape(a, b, "SSIM");
  const dataRange = options.dataRange ?? 1;
  const sigma = options.sigma ?? 1.5;
  const truncate = options.truncate ?? 3.5;
  const k1 = options.k1 ?? 0.01;
  const k2 = options.k2 ?? 0.03;
  if (!(dataRange > 0)) throw new RangeError(`Cannot compute SSIM as dataRange must be > 0: received ${dataRange}`);
  if (!(sigma > 0)) throw new RangeError(`Cannot compute SSIM as sigma must be > 0: received ${sigma}`);
  const [n, f, h, w, c] = a.shape;
  const radius = Math.floor(truncate * sigma + 0.5);
  const win = 2 * radius + 1;
  if (h < win || w < win) {
    throw new RangeError(
      `Cannot compute SSIM as frames must be at least ${win}×${win} for a ${win}-tap window: received ${h}×${w}`,
    );
  }
  const kernel = gaussianKernel(sigma, radius);
  const scaleA = a.data instanceof Uint8Array ? 1 / 255 : 1;
  const scaleB = b.data instanceof Uint8Array ? 1 / 255 : 1;
  const c1 = (k1 * dataRange) ** 2;
  const c2 = (k2 * dataRange) ** 2;
  const work = new SsimWorkspace(h, w, radius);
  let total = 0;
  for (let frame = 0; frame < n * f; frame++) {
    const base = frame * h * w * c;
    let frameSum = 0;
    for (let ch = 0; ch < c; ch++) {
      work.load(a.data, b.data, base, ch, c, scaleA, scaleB);
      frameSum += work.meanSsim(kernel, c1, c2);
    }
    total += frameSum / c;
  }
  return total / (n * f);
}

/** Normalised Gaussian taps exp(−x²/2σ²) for x = −radius..radius (scipy's gaussian_filter1d). */
function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
    sum += k[i + radius];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Buffers for one plane, reused across frames and channels. */
class SsimWorkspace {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly hx: Float64Array;
  readonly hy: Float64Array;
  readonly hxx: Float64Array;
  readonly hyy: Float64Array;
  readonly hxy: Float64Array;
  readonly wi: number;
  readonly hi: number;

  constructor(readonly h: number, readonly w: number, readonly r: number) {
    this.x = new Float64Array(h * w);
    this.y = new Float64Array(h * w);
    this.wi = w - 2 * r;
    this.hi = h - 2 * r;
    const size = h * this.wi;
    this.hx = new Float64Array(size);
    this.hy = new Float64Array(size);
    this.hxx = new Float64Array(size);
    this.hyy = new Float64Array(size);
    this.hxy = new Float64Array(size);
  }

  /** Copies channel `ch` of one frame (HWC, stride c) into the x / y planes. */
  load(
    da: Float32Array | Uint8Array,
    db: Float32Array | Uint8Array,
    base: number,
    ch: number,
    c: number,
    sa: number,
    sb: number,
  ): void {
    const { x, y } = this;
    for (let p = 0, q = base + ch; p < x.length; p++, q += c) {
      x[p] = da[q] * sa;
      y[p] = db[q] * sb;
    }
  }

  /** Separable filtering of x, y, x², y², xy over the interior, then the SSIM map's mean. */
  meanSsim(k: Float64Array, c1: number, c2: number): number {
    const { x, y, hx, hy, hxx, hyy, hxy, w, h, wi, hi } = this;
    const taps = k.length;
    // Horizontal pass: all rows, interior columns r..w−r−1.
    for (let i = 0; i < h; i++) {
      const row = i * w;
      const out = i * wi;
      for (let j = 0; j < wi; j++) {
        let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let t = 0, p = row + j; t < taps; t++, p++) {
          const kt = k[t];
          const xv = x[p];
          const yv = y[p];
          sx += kt * xv;
          sy += kt * yv;
          sxx += kt * xv * xv;
          syy += kt * yv * yv;
          sxy += kt * xv * yv;
        }
        hx[out + j] = sx;
        hy[out + j] = sy;
        hxx[out + j] = sxx;
        hyy[out + j] = syy;
        hxy[out + j] = sxy;
      }
    }
    // Vertical pass on interior rows, then the SSIM map (Wang et al. eq. 13).
    let sum = 0;
    for (let i = 0; i < hi; i++) {
      for (let j = 0; j < wi; j++) {
        let ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
        for (let t = 0, p = i * wi + j; t < taps; t++, p += wi) {
          const kt = k[t];
          ux += kt * hx[p];
          uy += kt * hy[p];
          uxx += kt * hxx[p];
          uyy += kt * hyy[p];
          uxy += kt * hxy[p];
        }
        const vx = uxx - ux * ux;
        const vy = uyy - uy * uy;
        const vxy = uxy - ux * uy;
        sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      }
    }
    return sum / (hi * wi);
  }
}
