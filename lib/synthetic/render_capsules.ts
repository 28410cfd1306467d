/**
 * The two mesh-like condition renders (HaMeR-style hands, SMPL-CS-style
 * body) of arbitrary capsules seen by a camera: the renderers of the
 * synthetic clips, opened to capsules that come from elsewhere (e.g. built
 * from estimated keypoints of real videos). Output on black, quantised to
 * k/255 like every synthetic image.
 *
 * References: damo-cv/RealisDance `prepare_pose/hamer-main/hamer/utils/renderer.py`,
 * `prepare_pose/smplerX/common/utils/vis.py` (see `_render_conditions.ts`).
 *
 * @module
 */

import { makeGBuffer, type Prim } from "./_raster.ts";
import { renderBody, renderHands } from "./_render_conditions.ts";
import type { CameraFrame } from "./scene.ts";
import type { V3 } from "./_math.ts";

/** A tapered capsule a→b with radii ra, rb (world units of the camera). */
export interface Capsule {
  a: V3;
  b: V3;
  ra: number;
  rb: number;
}

/** Capsules to render: hand capsules per side (0 left, 1 right) and body capsules. */
export interface CapsuleScene {
  hands: Array<Capsule & { side: 0 | 1 }>;
  body: Capsule[];
}

/**
 * Renders hand and body condition images of capsules.
 *
 * @param scene hand capsules (with side) and body capsules
 * @param cam the camera (its width and height set the image size)
 * @returns `hands` and `body` RGB images [H, W, 3] in [0, 1]
 * @example
 * ```ts
 * import { renderCapsules } from "./render_capsules.ts";
 * import { cameraAt } from "./scene.ts";
 * const cam = cameraAt({ kind: "static", target: [0, 1, 0], distance: 4, pitch: 0, fovY: 0.7, panSpeed: 0, zoomRate: 0 }, 0, { width: 16, height: 16 });
 * const { body } = renderCapsules({ hands: [], body: [{ a: [0, 0.5, 0], b: [0, 1.5, 0], ra: 0.2, rb: 0.2 }] }, cam);
 * console.log(body[(8 * 16 + 8) * 3 + 2] > 0.9); // the capsule faces the camera at the centre
 * ```
 */
export function renderCapsules(scene: CapsuleScene, cam: CameraFrame): { hands: Float32Array; body: Float32Array } {
  const { width: W, height: H } = cam;
  const g = makeGBuffer(W, H);
  const hands = new Float32Array(W * H * 3), body = new Float32Array(W * H * 3);
  const handPrims: Prim[] = scene.hands.map((c) => ({ ...c, mat: c.side, label: 1 }));
  const bodyPrims: Prim[] = scene.body.map((c) => ({ ...c, mat: 0, label: 1 }));
  renderHands({ handPrims }, cam, g, hands);
  renderBody({ bodyPrims }, cam, g, body);
  for (const a of [hands, body]) {
    for (let i = 0; i < a.length; i++) a[i] = Math.round(Math.min(1, Math.max(0, a[i])) * 255) / 255;
  }
  return { hands, body };
}
