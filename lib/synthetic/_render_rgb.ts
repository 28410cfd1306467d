/**
 * The RGB camera render (private): ray-cast background (wall, floor, sky,
 * hills) with floor shadows cast by the directional light, then the
 * characters, held objects and ball shaded in the clip's style.
 *
 * Shadows: a capsule's shadow on the floor under a directional light of
 * elevation ε is again a capsule once the floor coordinate along the light's
 * horizontal direction is scaled by sin ε (a sphere of radius r casts an
 * ellipse with semi-axes r and r / sin ε), so each caster is projected along
 * the light onto y = 0 and tested exactly in those scaled coordinates.
 *
 * References: Lambert's cosine law (diffuse term max(0, n·l), plus ambient);
 * planar projection of a point along a directional light, p − (p_y / l_y)·l.
 *
 * @module
 */

import type { ClipSpec, Style } from "./clip_spec.ts";
import { type BackgroundSpec, type CameraFrame, lightColor, type LightSpec, project } from "./scene.ts";
import { type GBuffer, type Prim, rasterizePrims } from "./_raster.ts";
import type { Material, World } from "./_world.ts";
import type { Rgb } from "./palette.ts";
import type { V3 } from "./_math.ts";

const SKIES: Record<BackgroundSpec["sky"], { top: Rgb; horizon: Rgb }> = {
  blue: { top: [0.28, 0.48, 0.88], horizon: [0.76, 0.85, 0.95] },
  sunset: { top: [0.36, 0.3, 0.62], horizon: [1.0, 0.66, 0.36] },
  grey: { top: [0.55, 0.57, 0.6], horizon: [0.82, 0.82, 0.83] },
};

/** Options of `renderRgb`. */
export interface RenderRgbOptions {
  /** Cast floor shadows (default true). */
  shadows: boolean;
}

/**
 * Renders one RGB frame into `rgb` ([H, W, 3]) and the owner label of every
 * pixel into `labels` (0 background).
 */
export function renderRgb(
  spec: ClipSpec,
  world: World,
  cam: CameraFrame,
  lightDir: V3,
  g: GBuffer,
  rgb: Float32Array,
  labels: Uint8Array,
  options: RenderRgbOptions,
): void {
  const casters = options.shadows ? prepareCasters(world.casters, lightDir) : null;
  renderBackground(spec.background, spec.light, spec.style, cam, lightDir, casters, g, rgb);
  g.depth.fill(Infinity);
  g.prim.fill(-1);
  rasterizePrims(g, cam, world.prims);
  shadeSurfaces(spec.style, spec.light, world, cam, lightDir, g, rgb, labels);
}

/** Shadow casters in the scaled floor frame (a' = along-light · sin ε, b = across). */
interface Casters {
  /** Per caster: a0, b0, a1, b1, r0, r1, minA, maxA, minB, maxB. */
  data: Float64Array;
  count: number;
  hx: number;
  hz: number;
  sinEl: number;
}

function prepareCasters(prims: readonly Prim[], L: V3): Casters {
  const h = Math.hypot(L[0], L[2]);
  const hx = h > 1e-9 ? L[0] / h : 0, hz = h > 1e-9 ? L[2] / h : 1;
  const sinEl = L[1];
  const data = new Float64Array(prims.length * 10);
  let n = 0;
  const toFloor = (p: V3): [number, number] => {
    const k = p[1] / L[1];
    const x = p[0] - k * L[0], z = p[2] - k * L[2];
    return [(x * hx + z * hz) * sinEl, -x * hz + z * hx];
  };
  for (const p of prims) {
    if (p.a[1] < 0 && p.b[1] < 0) continue;
    const [a0, b0] = toFloor(p.a), [a1, b1] = toFloor(p.b);
    const o = n * 10;
    data[o] = a0, data[o + 1] = b0, data[o + 2] = a1, data[o + 3] = b1, data[o + 4] = p.ra, data[o + 5] = p.rb;
    const r = Math.max(p.ra, p.rb);
    data[o + 6] = Math.min(a0, a1) - r, data[o + 7] = Math.max(a0, a1) + r;
    data[o + 8] = Math.min(b0, b1) - r, data[o + 9] = Math.max(b0, b1) + r;
    n++;
  }
  return { data, count: n, hx, hz, sinEl };
}

/**
 * Fraction (0..1) of direct light blocked at every floor pixel, into
 * `g.shadow`: each caster is tested only on the pixels of the image box of its
 * floor-shadow box (a convex quad on the floor projects to a convex quad).
 */
function shadePass(c: Casters, cam: CameraFrame, g: GBuffer): void {
  const { width: W, height: H } = cam;
  const { floorX, floorZ, shadow } = g;
  shadow.fill(0);
  const d = c.data;
  for (let i = 0; i < c.count; i++) {
    const o = i * 10;
    // Image box of the caster's shadow box (corners mapped back to floor x, z).
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity, behind = false;
    for (const pa of [d[o + 6], d[o + 7]]) {
      for (const pb of [d[o + 8], d[o + 9]]) {
        const a = pa / c.sinEl;
        const [u, v, z] = project(cam, [a * c.hx - pb * c.hz, 0, a * c.hz + pb * c.hx]);
        if (!(z > 1e-6)) behind = true;
        u0 = Math.min(u0, u), u1 = Math.max(u1, u), v0 = Math.min(v0, v), v1 = Math.max(v1, v);
      }
    }
    const x0 = behind ? 0 : Math.max(0, Math.floor(u0) - 1), x1 = behind ? W - 1 : Math.min(W - 1, Math.ceil(u1) + 1);
    const y0 = behind ? 0 : Math.max(0, Math.floor(v0) - 1), y1 = behind ? H - 1 : Math.min(H - 1, Math.ceil(v1) + 1);
    const dx = d[o + 2] - d[o], dy = d[o + 3] - d[o + 1];
    const l2 = dx * dx + dy * dy;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const k = y * W + x;
        const X = floorX[k];
        if (Number.isNaN(X) || shadow[k] >= 1) continue;
        const Z = floorZ[k];
        const pa = (X * c.hx + Z * c.hz) * c.sinEl, pb = -X * c.hz + Z * c.hx;
        if (pa < d[o + 6] || pa > d[o + 7] || pb < d[o + 8] || pb > d[o + 9]) continue;
        let t = l2 > 1e-12 ? ((pa - d[o]) * dx + (pb - d[o + 1]) * dy) / l2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = pa - d[o] - t * dx, ey = pb - d[o + 1] - t * dy;
        const r = d[o + 4] + (d[o + 5] - d[o + 4]) * t;
        const dist = Math.sqrt(ex * ex + ey * ey);
        // 1.5 cm penumbra.
        const s = (r - dist) / 0.015 + 0.5;
        if (s > shadow[k]) shadow[k] = s >= 1 ? 1 : s;
      }
    }
  }
}

function renderBackground(
  bg: BackgroundSpec,
  light: LightSpec,
  style: Style,
  cam: CameraFrame,
  L: V3,
  casters: Casters | null,
  g: GBuffer,
  rgb: Float32Array,
): void {
  const { width: W, height: H, pos, right, up, fwd, focal, cx, cy } = cam;
  const { floorX, floorZ, floorT, floorRgb } = g;
  const lc = lightColor(light);
  const amb = light.ambient;
  const sky = SKIES[bg.sky];
  const outdoor = bg.kind === "outdoor";
  const floorLit = Math.max(0, L[1]);
  const wallLit = 0.78 + 0.22 * Math.max(0, L[2]);
  const boost = style === "silhouette" ? 1.2 : 1;
  const f = bg.floor;
  const hillTop = bg.hills.base + Math.abs(bg.hills.amps[0]) + Math.abs(bg.hills.amps[1]);
  for (let y = 0; y < H; y++) {
    const sy = -(y + 0.5 - cy) / focal;
    for (let x = 0; x < W; x++) {
      const sx = (x + 0.5 - cx) / focal;
      const dx = fwd[0] + sx * right[0] + sy * up[0];
      const dy = fwd[1] + sx * right[1] + sy * up[1];
      const dz = fwd[2] + sx * right[2] + sy * up[2];
      const tFloor = dy < 0 ? -pos[1] / dy : Infinity;
      const tWall = !outdoor && dz < 0 ? (bg.wallZ - pos[2]) / dz : Infinity;
      let r: number, gr: number, b: number;
      if (tFloor < tWall) {
        const X = pos[0] + tFloor * dx, Z = pos[2] + tFloor * dz;
        // Floor albedo.
        let a1: Rgb = f.c1, k = 1;
        if (f.kind === "checkered" || f.kind === "stone") {
          if ((Math.floor(X / f.tile) + Math.floor(Z / f.tile)) & 1) a1 = f.c2;
        } else if (f.kind === "wooden") {
          const i = Math.floor(X / f.tile);
          const fr = X / f.tile - i;
          k = fr < 0.06 ? 0.7 : 0.88 + 0.24 * hash01(i);
        } else if (f.kind === "grass") {
          if (Math.floor(Z / f.tile) & 1) a1 = f.c2;
        } else if (f.kind === "sand") {
          k = 0.95 + 0.05 * Math.sin(X * 3.1 + Math.sin(Z * 2.3) * 2);
        }
        // Albedo now; light and shadow in the floor pass below.
        const q = y * W + x;
        floorX[q] = X, floorZ[q] = Z, floorT[q] = tFloor;
        floorRgb[3 * q] = a1[0] * k, floorRgb[3 * q + 1] = a1[1] * k, floorRgb[3 * q + 2] = a1[2] * k;
        continue;
      } else if (tWall < Infinity) {
        floorX[y * W + x] = NaN;
        const X = pos[0] + tWall * dx, Y = pos[1] + tWall * dy;
        const h = Math.min(1, Math.max(0, Y / 3));
        r = bg.wallBottom[0] + (bg.wallTop[0] - bg.wallBottom[0]) * h;
        gr = bg.wallBottom[1] + (bg.wallTop[1] - bg.wallBottom[1]) * h;
        b = bg.wallBottom[2] + (bg.wallTop[2] - bg.wallBottom[2]) * h;
        for (const s of bg.shapes) {
          const inside = s.kind === "rect"
            ? Math.abs(X - s.x) < s.w / 2 && Math.abs(Y - s.y) < s.h / 2
            : (X - s.x) ** 2 + (Y - s.y) ** 2 < s.w * s.w;
          if (inside) r = s.color[0], gr = s.color[1], b = s.color[2];
        }
        r *= wallLit * boost, gr *= wallLit * boost, b *= wallLit * boost;
      } else {
        floorX[y * W + x] = NaN;
        // Sine of the ray elevation; hills and the sky gradient are defined on it.
        const e = dy / Math.sqrt(dx * dx + dy * dy + dz * dz);
        const hl = bg.hills;
        let hill = -1;
        if (e < hillTop) {
          const az = Math.atan2(dx, -dz);
          hill = hl.base + hl.amps[0] * Math.sin(hl.freqs[0] * az + hl.phases[0]) +
            hl.amps[1] * Math.sin(hl.freqs[1] * az + hl.phases[1]);
        }
        if (e < hill) {
          r = hl.color[0], gr = hl.color[1], b = hl.color[2];
        } else {
          const s = Math.min(1, e / 0.6);
          r = (sky.horizon[0] + (sky.top[0] - sky.horizon[0]) * s) * boost;
          gr = (sky.horizon[1] + (sky.top[1] - sky.horizon[1]) * s) * boost;
          b = (sky.horizon[2] + (sky.top[2] - sky.horizon[2]) * s) * boost;
        }
      }
      const o = (y * W + x) * 3;
      rgb[o] = r, rgb[o + 1] = gr, rgb[o + 2] = b;
    }
  }
  // Floor lighting with shadows (and distance fog outdoors).
  if (casters) shadePass(casters, cam, g);
  else g.shadow.fill(0);
  for (let k = 0; k < W * H; k++) {
    if (Number.isNaN(floorX[k])) continue;
    const d = floorLit * (1 - g.shadow[k]) * (1 - amb);
    const o = k * 3;
    let r = floorRgb[o] * (amb + d * lc[0]),
      gr = floorRgb[o + 1] * (amb + d * lc[1]),
      b = floorRgb[o + 2] * (amb + d * lc[2]);
    if (outdoor) {
      const fog = 1 - Math.exp(-floorT[k] / 30);
      r += (sky.horizon[0] - r) * fog, gr += (sky.horizon[1] - gr) * fog, b += (sky.horizon[2] - b) * fog;
    }
    rgb[o] = r, rgb[o + 1] = gr, rgb[o + 2] = b;
  }
}

/** A deterministic pseudo-random value in [0, 1) for an integer. */
function hash01(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function shadeSurfaces(
  style: Style,
  light: LightSpec,
  world: World,
  cam: CameraFrame,
  L: V3,
  g: GBuffer,
  rgb: Float32Array,
  labels: Uint8Array,
): void {
  const { right, up, fwd } = cam;
  // Light direction in camera coordinates (x right, y up, z towards the viewer).
  const lx = L[0] * right[0] + L[1] * right[1] + L[2] * right[2];
  const ly = L[0] * up[0] + L[1] * up[1] + L[2] * up[2];
  const lz = -(L[0] * fwd[0] + L[1] * fwd[1] + L[2] * fwd[2]);
  const lc = lightColor(light);
  const amb = light.ambient;
  const n = g.width * g.height;
  const { prims, materials } = world;
  for (let k = 0; k < n; k++) {
    const pi = g.prim[k];
    if (pi < 0) {
      labels[k] = 0;
      continue;
    }
    const p = prims[pi];
    labels[k] = p.label;
    const m = materials[p.mat];
    const nx = g.nx[k], ny = g.ny[k], nz = g.nz[k];
    const c = albedo(m, p, g.u[k], g.v[k], nx, ny, nz, right, up, fwd);
    const ndl = nx * lx + ny * ly + nz * lz;
    const o = k * 3;
    if (style === "silhouette") {
      const rim = ndl > 0 ? 0.55 * ndl * ndl : 0;
      rgb[o] = c[0] * 0.05 + rim * lc[0];
      rgb[o + 1] = c[1] * 0.05 + rim * lc[1];
      rgb[o + 2] = c[2] * 0.05 + rim * lc[2];
      continue;
    }
    const d = style === "cartoon" ? (ndl > 0.2 ? 1 : 0.4) * (1 - amb) : Math.max(0, ndl) * (1 - amb);
    rgb[o] = c[0] * (amb + d * lc[0]);
    rgb[o + 1] = c[1] * (amb + d * lc[1]);
    rgb[o + 2] = c[2] * (amb + d * lc[2]);
  }
  if (style === "cartoon") outline(g, labels, rgb);
}

/** Surface colour of a capsule at a pixel, before lighting. */
function albedo(
  m: Material,
  p: Prim,
  u: number,
  v: number,
  nx: number,
  ny: number,
  nz: number,
  right: V3,
  up: V3,
  fwd: V3,
): Rgb {
  if (m.kind === "plain") return m.c1;
  if (m.kind === "pattern") {
    const len = Math.hypot(p.b[0] - p.a[0], p.b[1] - p.a[1], p.b[2] - p.a[2]);
    const along = Math.floor((u * len) / m.period);
    if (m.pattern === "stripes") return along & 1 ? m.c2 : m.c1;
    const r = p.ra + (p.rb - p.ra) * u;
    const across = Math.floor((Math.asin(Math.max(-1, Math.min(1, v))) * r + 10) / m.period);
    return (along + across) & 1 ? m.c2 : m.c1;
  }
  // Head: hair where the world normal points up (and back for long hair/buns).
  if (m.hair === "bald" || !m.up || !m.fwd) return m.c1;
  const wx = right[0] * nx + up[0] * ny - fwd[0] * nz;
  const wy = right[1] * nx + up[1] * ny - fwd[1] * nz;
  const wz = right[2] * nx + up[2] * ny - fwd[2] * nz;
  const dUp = wx * m.up[0] + wy * m.up[1] + wz * m.up[2];
  const dFwd = wx * m.fwd[0] + wy * m.fwd[1] + wz * m.fwd[2];
  if (dUp > 0.45 - 0.35 * Math.max(0, -dFwd)) return m.c2;
  if (m.hair !== "short" && dFwd < -0.3) return m.c2;
  return m.c1;
}

/** Dark one-pixel outlines where the owner changes or the depth jumps (cartoon style). */
function outline(g: GBuffer, labels: Uint8Array, rgb: Float32Array): void {
  const W = g.width, H = g.height;
  const edge = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (labels[k] === 0) continue;
      const z = g.depth[k];
      const tol = 0.12 + 0.03 * z;
      for (const [dx, dy] of NEIGHBOURS) {
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
        const j = yy * W + xx;
        if (labels[j] !== labels[k] || g.depth[j] - z > tol) {
          edge[k] = 1;
          break;
        }
      }
    }
  }
  for (let k = 0; k < W * H; k++) {
    if (edge[k]) rgb[k * 3] = rgb[k * 3 + 1] = rgb[k * 3 + 2] = 0.06;
  }
}

const NEIGHBOURS: ReadonlyArray<[number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
