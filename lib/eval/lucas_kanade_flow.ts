/**
 * Dense pyramidal Lucas–Kanade optical flow in plain float32 loops: the
 * classical stand-in for RAFT in `dynamic_degree-classical` and
 * `motion_smoothness-classical`.
 *
 * References: Lucas & Kanade, "An Iterative Image Registration Technique…"
 * (IJCAI 1981); Bouguet, "Pyramidal Implementation of the Lucas Kanade
 * Feature Tracker" (Intel, 2000) for the coarse-to-fine scheme.
 */
import type { FlowField, Frame } from "./frame.ts";
import { downsample, gradients, sampleBilinear, toGrey } from "./_image_ops.ts";

/** Options of {@link lucasKanadeFlow}. */
export interface LucasKanadeOptions {
  /**
   * Pyramid levels; default: halve while the smaller side stays >= 32 (coarser
   * levels are mostly border and alias), at most 5 levels. Each level roughly
   * doubles the largest motion recovered (about 2–3 px at the coarsest level).
   */
  levels?: number;
  /** Maximum Gauss–Newton steps per pixel and level (default 8). */
  iterations?: number;
  /** Half-size r of the (2r+1)² window over which the 2×2 system is accumulated (default 3). */
  windowRadius?: number;
  /** Tikhonov term added to the window-mean structure tensor's diagonal; damps steps in flat regions (default 1e-4). */
  regularization?: number;
}

/**
 * Flow from frame a to frame b (pixel (x, y) of a is found at (x + u, y + v)
 * in b) on the luma of both frames. Coarse to fine; at each level and pixel p,
 * Gauss–Newton steps solve G·δ = −Σ_q ∇a(q)·(b(q + flow_p) − a(q)) over the
 * (2r+1)² window q around p, G = Σ_q ∇a ∇aᵀ + λI (window means), until
 * |δ| < 1e-3 px or `iterations` steps (each capped at 1 px), keeping the
 * estimate with the smallest mean window residual. Window samples that the
 * flow carries outside frame b are left out of both sums; a pixel whose
 * window is more than half outside keeps its coarser estimate.
 *
 * @param a first frame, values in [0, 1]
 * @param b second frame, same size
 * @param options pyramid, iterations, window and damping
 * @returns the flow field in pixels of the input resolution
 * @example
 * ```ts
 * import { lucasKanadeFlow } from "./lucas_kanade_flow.ts";
 * const f = (dx: number) => ({ height: 32, width: 32, channels: 1,
 *   data: Float32Array.from({ length: 1024 }, (_, i) => 0.5 + 0.25 * Math.sin((i % 32 - dx) / 3) * Math.cos(Math.floor(i / 32) / 4)) });
 * const flow = lucasKanadeFlow(f(0), f(1));
 * console.log(flow.u[16 * 32 + 16].toFixed(1)); // "1.0"
 * ```
 */
export function lucasKanadeFlow(a: Frame, b: Frame, options: LucasKanadeOptions = {}): FlowField {
  if (a.height !== b.height || a.width !== b.width) {
    throw new RangeError(
      `Cannot compute optical flow: frames must have the same size, received ${a.height}×${a.width} and ${b.height}×${b.width}`,
    );
  }
  const iterations = options.iterations ?? 8;
  const r = options.windowRadius ?? 3;
  const lambda = options.regularization ?? 1e-4;
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`Cannot compute optical flow as windowRadius must be an integer >= 1: received ${r}`);
  let levels = options.levels ?? 1;
  if (options.levels === undefined) {
    let m = Math.min(a.height, a.width);
    while (levels < 5 && m / 2 >= 32) {
      m /= 2;
      levels++;
    }
  }
  if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`Cannot compute optical flow as levels must be an integer >= 1: received ${levels}`);
  const pa = [{ img: toGrey(a), h: a.height, w: a.width }];
  const pb = [{ img: toGrey(b), h: b.height, w: b.width }];
  for (let l = 1; l < levels; l++) {
    pa.push(downsample(pa[l - 1].img, pa[l - 1].h, pa[l - 1].w));
    pb.push(downsample(pb[l - 1].img, pb[l - 1].h, pb[l - 1].w));
  }
  let u = new Float32Array(pa[levels - 1].h * pa[levels - 1].w);
  let v = new Float32Array(u.length);
  for (let l = levels - 1; l >= 0; l--) {
    const { img: A, h, w } = pa[l];
    const B = pb[l].img;
    if (l < levels - 1) {
      // Upsample the coarser flow (bilinear, half-pixel centres) and double it.
      const { h: ch, w: cw } = pa[l + 1];
      const nu = new Float32Array(h * w);
      const nv = new Float32Array(h * w);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const sx = (x + 0.5) / 2 - 0.5;
          const sy = (y + 0.5) / 2 - 0.5;
          nu[y * w + x] = 2 * sampleBilinear(u, ch, cw, sx, sy);
          nv[y * w + x] = 2 * sampleBilinear(v, ch, cw, sx, sy);
        }
      }
      u = nu;
      v = nv;
    }
    // Per pixel, the window around it is translated rigidly by that pixel's
    // own flow (Bouguet's tracker at every pixel), so one pixel's error never
    // leaks into its neighbours' residuals. Window samples whose warped
    // position leaves frame b are left out (content entering or leaving the
    // frame has no match), and the structure tensor is summed over the rest.
    const { gx, gy } = gradients(A, h, w);
    for (let y = 0; y < h; y++) {
      const y0 = Math.max(y - r, 0), y1 = Math.min(y + r, h - 1);
      for (let x = 0; x < w; x++) {
        const x0 = Math.max(x - r, 0), x1 = Math.min(x + r, w - 1);
        const p = y * w + x;
        const windowSize = (y1 - y0 + 1) * (x1 - x0 + 1);
        let pu = u[p], pv = v[p];
        // Keep the flow with the smallest mean window residual seen: a step
        // can only help, never make a pixel worse than its initial estimate.
        let best = Infinity, bu = pu, bv = pv;
        for (let it = 0; it <= iterations; it++) {
          // One sub-pixel offset for the whole window: constant bilinear weights.
          const ix = Math.floor(pu), iy = Math.floor(pv);
          const fx = pu - ix, fy = pv - iy;
          const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
          let bx = 0, by = 0, energy = 0, a11 = 0, a12 = 0, a22 = 0, used = 0;
          const qy0 = Math.max(y0, -iy), qy1 = Math.min(y1, h - 2 - iy);
          const qx0 = Math.max(x0, -ix), qx1 = Math.min(x1, w - 2 - ix);
          for (let qy = qy0; qy <= qy1; qy++) {
            const ya = (qy + iy) * w, yb = ya + w;
            for (let qx = qx0; qx <= qx1; qx++) {
              const xa = qx + ix;
              const q = qy * w + qx;
              const diff = w00 * B[ya + xa] + w01 * B[ya + xa + 1] + w10 * B[yb + xa] + w11 * B[yb + xa + 1] - A[q];
              const gxq = gx[q], gyq = gy[q];
              bx += gxq * diff;
              by += gyq * diff;
              a11 += gxq * gxq;
              a12 += gxq * gyq;
              a22 += gyq * gyq;
              energy += diff * diff;
              used++;
            }
          }
          // Too little of the window left inside frame b: trust nothing further.
          if (2 * used < windowSize) break;
          if (energy / used < best) {
            best = energy / used;
            bu = pu;
            bv = pv;
          }
          if (it === iterations) break;
          const m11 = a11 / used + lambda, m22 = a22 / used + lambda, m12 = a12 / used;
          const det = m11 * m22 - m12 * m12;
          if (!(det > 0)) break;
          bx /= used;
          by /= used;
          let du = -(m22 * bx - m12 * by) / det;
          let dv = -(m11 * by - m12 * bx) / det;
          // Coarser levels carry large motions: cap a step at 1 px of this level.
          const step = Math.hypot(du, dv);
          if (step > 1) {
            du /= step;
            dv /= step;
          }
          pu += du;
          pv += dv;
          if (du * du + dv * dv < 1e-6) it = iterations - 1; // converged: evaluate once more, then stop
        }
        u[p] = bu;
        v[p] = bv;
      }
    }
  }
  return { u, v, height: a.height, width: a.width };
}
