/**
 * The three pose-condition images of one frame rendered from estimated
 * keypoints, with the renderers of the synthetic corpus:
 *
 * - skeleton: the DWPose/OpenPose COCO-18 drawing of the confident body points;
 * - hands: HaMeR-style capsules along the 21 hand landmarks (with the net's
 *   relative depth), left light green, right light red;
 * - body: an SMPL-CS-style normal render of capsules along the BlazePose
 *   landmarks, placed in depth by BlazePose's z. This is a crude volume
 *   (tapered cylinders with radii proportional to the shoulder width, no
 *   fitted body mesh), not an SMPL-X fit.
 *
 * Points below the thresholds are dropped: limbs with an unconfident end are
 * not drawn. The image plane is lifted into a camera far away (near
 * orthographic, focal 10⁴ px), so projected positions equal the estimates.
 *
 * References: DWPose `draw_bodypose`; RealisDance `prepare_pose` HaMeR and
 * SMPLer-X renders; radii ratios from lib/synthetic/body_shape.ts.
 *
 * @module
 */

import { drawOpenPoseBody } from "../synthetic/draw_openpose_body.ts";
import { KEYPOINTS_PER_PERSON } from "../synthetic/keypoints.ts";
import { type Capsule, type CapsuleScene, renderCapsules } from "../synthetic/render_capsules.ts";
import type { CameraFrame } from "../synthetic/scene.ts";
import type { PoseEstimate } from "./estimate_pose.ts";
import { estimateToKeypoints, type KeypointThresholds } from "./estimate_to_keypoints.ts";

/** Options of `renderEstimatedConditions`. */
export interface RenderEstimatedOptions extends KeypointThresholds {
  /** Output size (default the estimate's image size). */
  width?: number;
  height?: number;
}

/** The three condition images [H, W, 3] in [0, 1], and the 60 keypoints drawn. */
export interface EstimatedConditions {
  skeleton: Float32Array;
  hands: Float32Array;
  body: Float32Array;
  /** (x, y) × 60 in output pixels. */
  keypoints: Float32Array;
  /** 0/1 × 60. */
  visibility: Float32Array;
}

const FOCAL = 1e4;

/**
 * Renders the conditions of one frame from its estimate.
 *
 * @param estimate the pose estimate (pixel coordinates of its own image)
 * @param options output size and thresholds
 * @returns skeleton, hands and body images, plus the keypoints/visibility in output pixels
 * @example
 * ```ts ignore
 * import { renderEstimatedConditions } from "./render_estimated_conditions.ts";
 * const { skeleton, hands, body } = renderEstimatedConditions(estimate, { width: 64, height: 64 });
 * ```
 */
export function renderEstimatedConditions(
  estimate: PoseEstimate,
  options: RenderEstimatedOptions = {},
): EstimatedConditions {
  const W = options.width ?? estimate.width, H = options.height ?? estimate.height;
  const sx = W / estimate.width, sy = H / estimate.height, sz = Math.sqrt(sx * sy);
  const { keypoints, visibility } = estimateToKeypoints(estimate, options);
  for (let k = 0; k < KEYPOINTS_PER_PERSON; k++) {
    keypoints[2 * k] *= sx;
    keypoints[2 * k + 1] *= sy;
    if (!(keypoints[2 * k] >= 0 && keypoints[2 * k] < W && keypoints[2 * k + 1] >= 0 && keypoints[2 * k + 1] < H)) {
      visibility[k] = 0;
    }
  }
  const skeleton = drawOpenPoseBody(keypoints, visibility, { width: W, height: H, stride: KEYPOINTS_PER_PERSON });
  const cam: CameraFrame = {
    pos: [0, 0, 0],
    right: [1, 0, 0],
    up: [0, 1, 0],
    fwd: [0, 0, -1],
    focal: FOCAL,
    cx: W / 2,
    cy: H / 2,
    width: W,
    height: H,
  };
  // Image point (u, v) at relative depth d (pixels) → camera-space point at distance FOCAL + d.
  const lift = (u: number, v: number, d: number): [number, number, number] => {
    const z = FOCAL + d;
    return [(u - cam.cx) * z / FOCAL, -(v - cam.cy) * z / FOCAL, -z];
  };
  const scene: CapsuleScene = { hands: [], body: [] };
  const minScore = options.minScore ?? 0.3;
  const lm = estimate.landmarks;
  if (lm.poseScore >= (options.minPersonScore ?? 0.5)) {
    scene.body = bodyCapsules((j) => [lm.points[3 * j] * sx, lm.points[3 * j + 1] * sy, lm.points[3 * j + 2] * sz], (j) => lm.scores[j] >= minScore, lift);
  }
  estimate.hands.forEach((hand, side) => {
    if (!hand || hand.score < (options.minHandScore ?? 0.5) || lm.poseScore < (options.minPersonScore ?? 0.5)) return;
    const p = (k: number): [number, number, number] => [hand.points[3 * k] * sx, hand.points[3 * k + 1] * sy, hand.points[3 * k + 2] * sz];
    for (const c of handCapsules(p, lift)) scene.hands.push({ ...c, side: side as 0 | 1 });
  });
  const { hands, body } = renderCapsules(scene, cam);
  return { skeleton, hands, body, keypoints, visibility };
}

type P3 = [number, number, number];
type Lift = (u: number, v: number, d: number) => P3;

/** Capsule between two image points with radii in pixels. */
function capsule(a: P3, b: P3, ra: number, rb: number, lift: Lift): Capsule {
  const A = lift(a[0], a[1], a[2]), B = lift(b[0], b[1], b[2]);
  return { a: A, b: B, ra: ra * -A[2] / FOCAL, rb: rb * -B[2] / FOCAL };
}

const mid = (a: P3, b: P3, t = 0.5): P3 => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const dist = (a: P3, b: P3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * Body capsules along BlazePose landmarks; radii are multiples of the 3D
 * shoulder width S (synthetic realistic body at build 0.5: head 0.32 S,
 * chest 0.33 S, thigh 0.18 S, ...).
 */
function bodyCapsules(P: (j: number) => P3, ok: (j: number) => boolean, lift: Lift): Capsule[] {
  const out: Capsule[] = [];
  const lSh = P(11), rSh = P(12), lHip = P(23), rHip = P(24);
  let S = ok(11) && ok(12) ? dist(lSh, rSh) : 0;
  if (!(S > 0) && ok(23) && ok(24)) S = 1.6 * dist(lHip, rHip);
  if (!(S > 0)) return out;
  const seg = (a: number, b: number, ra: number, rb: number) => {
    if (ok(a) && ok(b)) out.push(capsule(P(a), P(b), ra * S, rb * S, lift));
  };
  const torso = ok(11) && ok(12) && ok(23) && ok(24);
  if (torso) {
    const chest = mid(lSh, rSh), pelvis = mid(lHip, rHip), waist = mid(pelvis, chest, 0.3);
    out.push(capsule(waist, chest, 0.29 * S, 0.33 * S, lift));
    out.push(capsule(pelvis, waist, 0.245 * S, 0.285 * S, lift));
    out.push(capsule(lHip, rHip, 0.245 * S, 0.245 * S, lift));
  }
  seg(11, 12, 0.146, 0.146);
  if (ok(7) && ok(8) && ok(11) && ok(12)) {
    const head = mid(P(7), P(8));
    out.push(capsule(head, head, 0.32 * S, 0.32 * S, lift));
    out.push(capsule(mid(lSh, rSh), head, 0.14 * S, 0.14 * S, lift));
  } else if (ok(0)) {
    out.push(capsule(P(0), P(0), 0.3 * S, 0.3 * S, lift));
  }
  for (const o of [0, 1]) {
    seg(11 + o, 13 + o, 0.117, 0.103);
    seg(13 + o, 15 + o, 0.095, 0.074);
    seg(23 + o, 25 + o, 0.18, 0.14);
    seg(25 + o, 27 + o, 0.128, 0.092);
    seg(29 + o, 31 + o, 0.089, 0.08);
    if (ok(15 + o) && ok(17 + o) && ok(19 + o)) {
      out.push(capsule(P(15 + o), mid(P(17 + o), P(19 + o)), 0.09 * S, 0.1 * S, lift));
    }
  }
  return out;
}

/**
 * Hand capsules along the 21 landmarks, like the synthetic hands: palm
 * (wrist → middle knuckle, radius 0.42 palm widths), knuckle bar and three
 * phalanges per finger; palm width = knuckle span (index–pinky) / 0.75,
 * finger radius 0.105 palm widths.
 */
function handCapsules(p: (k: number) => P3, lift: Lift): Capsule[] {
  const palm = dist(p(5), p(17)) / 0.75;
  if (!(palm > 0)) return [];
  const fr = 0.105 * palm;
  const out = [capsule(p(0), p(9), 0.42 * palm, 0.45 * palm, lift), capsule(p(5), p(17), 1.4 * fr, 1.3 * fr, lift)];
  for (let f = 0; f < 5; f++) {
    const k0 = 1 + 4 * f;
    for (let k = 0; k < 3; k++) out.push(capsule(p(k0 + k), p(k0 + k + 1), (f === 0 && k === 0 ? 1.6 : 1.05) * fr, fr, lift));
  }
  return out;
}
