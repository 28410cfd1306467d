/**
 * The two mesh-like pose-condition renders (private), both on black and
 * seen by the clip camera:
 *
 * - hands, HaMeR style: only the hand capsules (palm, knuckles, thumb and
 *   finger phalanges), right hands light red (1, .5, .5) and left hands light
 *   green (.5, 1, .5), ambient 0.3 plus two camera-fixed directional lights,
 *   like RealisDance's `render_rgba_multiple_diff`;
 * - body, SMPL-CS style: the untextured body volumes (no hair, eyes or held
 *   objects) coloured by their camera-space normal, rgb = (n + 1) / 2.
 *
 * References: damo-cv/RealisDance `prepare_pose/hamer-main/hamer/utils/renderer.py`
 * (colours, ambient 0.3); `prepare_pose/smplerX/common/utils/vis.py` (camera-space
 * SMPL-X render on black).
 *
 * @module
 */

import { type GBuffer, rasterizePrims } from "./_raster.ts";
import type { World } from "./_world.ts";
import type { CameraFrame } from "./scene.ts";

/** Base colours of left (index 0) and right (index 1) hands. */
export const HAND_COLORS: ReadonlyArray<readonly [number, number, number]> = [[0.5, 1.0, 0.5], [1.0, 0.5, 0.5]];
const AMBIENT = 0.3;
// Camera-space lights (towards the light), normalised, with weights.
const LIGHTS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.3464, 0.4619, 0.8165, 0.65],
  [-0.5345, -0.2673, 0.8018, 0.3],
];

/** Renders the HaMeR-style hand image into `rgb` [H, W, 3] (overwritten). */
export function renderHands(world: Pick<World, "handPrims">, cam: CameraFrame, g: GBuffer, rgb: Float32Array): void {
  g.depth.fill(Infinity);
  g.prim.fill(-1);
  rasterizePrims(g, cam, world.handPrims);
  const n = g.width * g.height;
  for (let k = 0; k < n; k++) {
    const o = k * 3;
    const pi = g.prim[k];
    if (pi < 0) {
      rgb[o] = rgb[o + 1] = rgb[o + 2] = 0;
      continue;
    }
    const c = HAND_COLORS[world.handPrims[pi].mat];
    let s = AMBIENT;
    for (const [lx, ly, lz, w] of LIGHTS) s += w * Math.max(0, g.nx[k] * lx + g.ny[k] * ly + g.nz[k] * lz);
    s = Math.min(1, s);
    rgb[o] = c[0] * s;
    rgb[o + 1] = c[1] * s;
    rgb[o + 2] = c[2] * s;
  }
}

/** Renders the SMPL-CS-style normal-coloured body image into `rgb` [H, W, 3] (overwritten). */
export function renderBody(world: Pick<World, "bodyPrims">, cam: CameraFrame, g: GBuffer, rgb: Float32Array): void {
  g.depth.fill(Infinity);
  g.prim.fill(-1);
  rasterizePrims(g, cam, world.bodyPrims);
  const n = g.width * g.height;
  for (let k = 0; k < n; k++) {
    const o = k * 3;
    if (g.prim[k] < 0) {
      rgb[o] = rgb[o + 1] = rgb[o + 2] = 0;
      continue;
    }
    rgb[o] = (g.nx[k] + 1) / 2;
    rgb[o + 1] = (g.ny[k] + 1) / 2;
    rgb[o + 2] = (g.nz[k] + 1) / 2;
  }
}
