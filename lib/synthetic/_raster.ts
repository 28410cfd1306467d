/**
 * Software rasterisation for the synthetic generator (private): 3D capsules
 * (tapered, sphere-capped segments) into a G-buffer with a depth test, and 2D
 * ellipses/circles for the pose-skeleton drawings. Pixel (i, j) is sampled at
 * its centre (j + 0.5, i + 0.5); no anti-aliasing, so every pixel belongs to
 * exactly one surface (masks are exact).
 *
 * @module
 */

import type { CameraFrame } from "./scene.ts";
import type { V3 } from "./_math.ts";

/** A 3D capsule: segment a→b with radii ra, rb (metres), a material and an owner label. */
export interface Prim {
  a: V3;
  b: V3;
  ra: number;
  rb: number;
  /** Index into the caller's material table. */
  mat: number;
  /** Owner: 1..3 characters, `LABEL_OBJECT`, `LABEL_BALL`. */
  label: number;
}

/** Label of held-object pixels. */
export const LABEL_OBJECT = 8;
/** Label of ball pixels. */
export const LABEL_BALL = 9;

/** Per-pixel surface attributes of the nearest capsule. */
export interface GBuffer {
  width: number;
  height: number;
  /** View depth of the surface (Infinity where empty). */
  depth: Float32Array;
  /** Index of the capsule in the rasterised list, −1 where empty. */
  prim: Int32Array;
  /** Camera-space unit normal (x right, y up, z towards the viewer). */
  nx: Float32Array;
  ny: Float32Array;
  nz: Float32Array;
  /** Position along the capsule axis, 0..1. */
  u: Float32Array;
  /** Signed position across the capsule, −1..1. */
  v: Float32Array;
  /** Background scratch: floor hit x, z (NaN off the floor), ray length, albedo [H·W·3], shadow 0..1. */
  floorX: Float64Array;
  floorZ: Float64Array;
  floorT: Float64Array;
  floorRgb: Float64Array;
  shadow: Float64Array;
}

/** Allocates a G-buffer. */
export function makeGBuffer(width: number, height: number): GBuffer {
  const n = width * height;
  return {
    width,
    height,
    depth: new Float32Array(n),
    prim: new Int32Array(n),
    nx: new Float32Array(n),
    ny: new Float32Array(n),
    nz: new Float32Array(n),
    u: new Float32Array(n),
    v: new Float32Array(n),
    floorX: new Float64Array(n),
    floorZ: new Float64Array(n),
    floorT: new Float64Array(n),
    floorRgb: new Float64Array(3 * n),
    shadow: new Float64Array(n),
  };
}

/** Empties a G-buffer. */
export function clearGBuffer(g: GBuffer): void {
  g.depth.fill(Infinity);
  g.prim.fill(-1);
}

const NEAR = 0.05;

/**
 * Rasterises capsules into the G-buffer (nearest surface wins).
 *
 * The capsule's silhouette is the set of pixels within the linearly
 * interpolated projected radius of the projected axis; the surface normal is
 * that of the swept sphere seen head-on: (e/ρ, √(1 − |e|²/ρ²)), e the offset
 * from the axis in pixels.
 */
export function rasterizePrims(g: GBuffer, cam: CameraFrame, prims: readonly Prim[]): void {
  const { width: W, height: H } = g;
  const { pos, right, up, fwd, focal, cx, cy } = cam;
  for (let i = 0; i < prims.length; i++) {
    const p = prims[i];
    // Camera coordinates of both ends.
    const adx = p.a[0] - pos[0], ady = p.a[1] - pos[1], adz = p.a[2] - pos[2];
    const bdx = p.b[0] - pos[0], bdy = p.b[1] - pos[1], bdz = p.b[2] - pos[2];
    const za = adx * fwd[0] + ady * fwd[1] + adz * fwd[2];
    const zb = bdx * fwd[0] + bdy * fwd[1] + bdz * fwd[2];
    if (za < NEAR || zb < NEAR) continue;
    const ax = cx + focal * (adx * right[0] + ady * right[1] + adz * right[2]) / za;
    const ay = cy - focal * (adx * up[0] + ady * up[1] + adz * up[2]) / za;
    const bx = cx + focal * (bdx * right[0] + bdy * right[1] + bdz * right[2]) / zb;
    const by = cy - focal * (bdx * up[0] + bdy * up[1] + bdz * up[2]) / zb;
    const pa = p.ra * focal / za, pb = p.rb * focal / zb;
    const x0 = Math.max(0, Math.floor(Math.min(ax - pa, bx - pb)));
    const x1 = Math.min(W - 1, Math.ceil(Math.max(ax + pa, bx + pb)));
    const y0 = Math.max(0, Math.floor(Math.min(ay - pa, by - pb)));
    const y1 = Math.min(H - 1, Math.ceil(Math.max(ay + pa, by + pb)));
    if (x0 > x1 || y0 > y1) continue;
    const dx = bx - ax, dy = by - ay;
    const l2 = dx * dx + dy * dy;
    const inv = l2 > 1e-12 ? 1 / l2 : 0;
    const il = l2 > 1e-12 ? 1 / Math.sqrt(l2) : 0;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      let k = y * W + x0;
      for (let x = x0; x <= x1; x++, k++) {
        const px = x + 0.5;
        let t = ((px - ax) * dx + (py - ay) * dy) * inv;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = px - (ax + t * dx), ey = py - (ay + t * dy);
        const rho = pa + (pb - pa) * t;
        const d2 = ex * ex + ey * ey;
        const r2 = rho * rho;
        if (d2 >= r2) continue;
        const h = Math.sqrt(1 - d2 / r2);
        const z = za + (zb - za) * t - (p.ra + (p.rb - p.ra) * t) * h;
        if (z >= g.depth[k]) continue;
        g.depth[k] = z;
        g.prim[k] = i;
        g.nx[k] = ex / rho;
        g.ny[k] = -ey / rho;
        g.nz[k] = h;
        g.u[k] = t;
        g.v[k] = il > 0 ? (ex * -dy + ey * dx) * il / rho : 0;
      }
    }
  }
}

/**
 * Fills an ellipse (centre, semi-axes, rotation in radians) with a colour on an
 * RGB float canvas [H, W, 3].
 */
export function fillEllipse(
  rgb: Float32Array,
  width: number,
  height: number,
  cxp: number,
  cyp: number,
  a: number,
  b: number,
  angle: number,
  color: readonly number[],
): void {
  const r = Math.max(a, b);
  const x0 = Math.max(0, Math.floor(cxp - r)), x1 = Math.min(width - 1, Math.ceil(cxp + r));
  const y0 = Math.max(0, Math.floor(cyp - r)), y1 = Math.min(height - 1, Math.ceil(cyp + r));
  const c = Math.cos(angle), s = Math.sin(angle);
  const ia = 1 / (a * a), ib = 1 / (b * b);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const ox = x + 0.5 - cxp, oy = y + 0.5 - cyp;
      const p = ox * c + oy * s, q = -ox * s + oy * c;
      if (p * p * ia + q * q * ib > 1) continue;
      const k = (y * width + x) * 3;
      rgb[k] = color[0];
      rgb[k + 1] = color[1];
      rgb[k + 2] = color[2];
    }
  }
}
