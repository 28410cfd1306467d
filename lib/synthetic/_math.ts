/**
 * Small 3-vector / 3×3-matrix helpers for the synthetic generator (private).
 *
 * Matrices are row-major 9-tuples; `apply(R, v)` computes R·v. World frame:
 * x right, y up, z towards the default camera; the floor is the plane y = 0.
 *
 * @module
 */

/** A 3-vector. */
export type V3 = [number, number, number];
/** A row-major 3×3 matrix. */
export type M3 = [number, number, number, number, number, number, number, number, number];

/** The identity matrix. */
export const IDENTITY: Readonly<M3> = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Rotation about the x axis by `a` radians (y towards z). */
export function rotX(a: number): M3 {
  const c = Math.cos(a), s = Math.sin(a);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}

/** Rotation about the y axis by `a` radians (z towards x). */
export function rotY(a: number): M3 {
  const c = Math.cos(a), s = Math.sin(a);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}

/** Rotation about the z axis by `a` radians (x towards y). */
export function rotZ(a: number): M3 {
  const c = Math.cos(a), s = Math.sin(a);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}

/** Rotation by `a` radians about the unit axis `k` (Rodrigues). */
export function rotAxis(k: V3, a: number): M3 {
  const c = Math.cos(a), s = Math.sin(a), t = 1 - c;
  const [x, y, z] = k;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

/** Matrix product A·B. */
export function mul(a: Readonly<M3>, b: Readonly<M3>): M3 {
  return [
    a[0] * b[0] + a[1] * b[3] + a[2] * b[6],
    a[0] * b[1] + a[1] * b[4] + a[2] * b[7],
    a[0] * b[2] + a[1] * b[5] + a[2] * b[8],
    a[3] * b[0] + a[4] * b[3] + a[5] * b[6],
    a[3] * b[1] + a[4] * b[4] + a[5] * b[7],
    a[3] * b[2] + a[4] * b[5] + a[5] * b[8],
    a[6] * b[0] + a[7] * b[3] + a[8] * b[6],
    a[6] * b[1] + a[7] * b[4] + a[8] * b[7],
    a[6] * b[2] + a[7] * b[5] + a[8] * b[8],
  ];
}

/** Product of several matrices, left to right. */
export function chain(...ms: Readonly<M3>[]): M3 {
  let r: M3 = [...IDENTITY] as M3;
  for (const m of ms) r = mul(r, m);
  return r;
}

/** R·v. */
export function apply(r: Readonly<M3>, v: Readonly<V3>): V3 {
  return [
    r[0] * v[0] + r[1] * v[1] + r[2] * v[2],
    r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
    r[6] * v[0] + r[7] * v[1] + r[8] * v[2],
  ];
}

/** p + R·v. */
export function offset(p: Readonly<V3>, r: Readonly<M3>, v: Readonly<V3>): V3 {
  const q = apply(r, v);
  return [p[0] + q[0], p[1] + q[1], p[2] + q[2]];
}

/** a + b. */
export function add(a: Readonly<V3>, b: Readonly<V3>): V3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** a − b. */
export function sub(a: Readonly<V3>, b: Readonly<V3>): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/** s·a. */
export function scale(a: Readonly<V3>, s: number): V3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

/** a·b. */
export function dot(a: Readonly<V3>, b: Readonly<V3>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** a×b. */
export function cross(a: Readonly<V3>, b: Readonly<V3>): V3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** |a|. */
export function norm(a: Readonly<V3>): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** a/|a| (a zero vector is returned unchanged). */
export function normalize(a: Readonly<V3>): V3 {
  const n = norm(a);
  return n > 0 ? [a[0] / n, a[1] / n, a[2] / n] : [a[0], a[1], a[2]];
}

/** a + (b − a)·t. */
export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Clamps x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * A smooth saturation of x into (lo, hi): identity in the middle 60 % of the
 * range, a tanh knee near the ends (C¹, so motions stay smooth).
 */
export function softClamp(x: number, lo: number, hi: number): number {
  const m = 0.2 * (hi - lo);
  if (x > hi - m) return hi - m + m * Math.tanh((x - (hi - m)) / m);
  if (x < lo + m) return lo + m - m * Math.tanh((lo + m - x) / m);
  return x;
}

/** 0..1 smoothstep between e0 and e1. */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}
