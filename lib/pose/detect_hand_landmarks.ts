/**
 * MediaPipe hand landmarks (21 points with relative depth) in a square,
 * rotated region of an image, and the region of a hand derived from the body
 * landmarks (wrist, index and pinky), as MediaPipe Holistic crops hands from
 * the pose instead of running a palm detector.
 *
 * The net sees the region resized to 224 px in [0, 1] with the fingers
 * pointing up; outputs: `Identity` (x, y, z) × 21 in input pixels (z relative
 * to the wrist), `Identity_1` hand presence, `Identity_2` handedness,
 * `Identity_3` world coordinates (unused).
 *
 * References: vladmandic/human `src/hand/handtrack.ts` (`detectFingers`: crop
 * /255, keypoints scaled by the box); MediaPipe Holistic
 * `hand_landmarks_from_pose` (hand ROI from wrist, index, pinky); MediaPipe
 * Hands model card (21-point topology, same as OpenPose hands).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { cropRoi, cropToImage, type Roi } from "./_crop.ts";
import { assertImage } from "./detect_movenet.ts";
import type { BlazePoseLandmarks } from "./detect_blazepose.ts";

/** One hand's landmarks in image pixels. */
export interface HandLandmarks {
  /** (x, y, z) × 21: wrist, thumb (4), index (4), middle (4), ring (4), pinky (4); z relative to the wrist. */
  points: Float32Array;
  /** Hand presence probability. */
  score: number;
  /** The region the net looked at. */
  roi: Roi;
}

/**
 * Runs the hand-landmark net in one region.
 *
 * @param model a loaded `handlandmark-lite` or `handlandmark-full` graph model
 * @param image RGB [H, W, 3] float32 in [0, 1]
 * @param roi the square region, rotated so that the fingers point up in it
 * @returns 21 landmarks in image pixels and the presence score
 * @example
 * ```ts ignore
 * import { detectHandLandmarks } from "./detect_hand_landmarks.ts";
 * const hand = await detectHandLandmarks(models.hands, image, { cx: 50, cy: 80, side: 30, angle: 0 });
 * ```
 */
export async function detectHandLandmarks(model: GraphModel, image: tf.Tensor3D, roi: Roi): Promise<HandLandmarks> {
  assertImage(image, "the hand-landmark net");
  if (!(roi.side > 0)) throw new RangeError(`Cannot crop a hand as the region side must be > 0: received ${roi.side}`);
  const size = model.inputs[0].shape?.[1] ?? 224;
  const input = cropRoi(image, roi, size);
  const [xyz, presence] = model.execute(input, ["Identity", "Identity_1"]) as tf.Tensor[]; // (1, 63), (1, 1)
  const raw = await xyz.data();
  const score = (await presence.data())[0];
  tf.dispose([input, xyz, presence]);
  const points = new Float32Array(63);
  const scale = roi.side / size;
  for (let k = 0; k < 21; k++) {
    const [x, y] = cropToImage(roi, raw[3 * k] / size, raw[3 * k + 1] / size);
    points[3 * k] = x;
    points[3 * k + 1] = y;
    points[3 * k + 2] = raw[3 * k + 2] * scale;
  }
  return { points, score, roi };
}

/**
 * The hand region implied by body landmarks: centred past the wrist towards
 * the knuckles (mean of the index and pinky points), rotated so that wrist →
 * knuckles points up, three times the wrist–knuckle distance wide.
 *
 * @param landmarks BlazePose landmarks (wrist 15/16, pinky 17/18, index 19/20)
 * @param side the person's "left" or "right" hand
 * @param options `minSide`: smallest side in pixels (default 8)
 * @returns the region
 * @example
 * ```ts
 * import { handRoiFromPose } from "./detect_hand_landmarks.ts";
 * const points = new Float32Array(99);
 * points.set([10, 10, 0], 15 * 3); points.set([10, 20, 0], 17 * 3); points.set([10, 20, 0], 19 * 3);
 * const roi = handRoiFromPose({ points, scores: new Float32Array(33), poseScore: 1 }, "left");
 * console.log(roi.cy, roi.side); // 17 30
 * ```
 */
export function handRoiFromPose(
  landmarks: BlazePoseLandmarks,
  side: "left" | "right",
  options: { minSide?: number } = {},
): Roi {
  const o = side === "left" ? 0 : 1;
  const p = landmarks.points;
  const [w, i, k] = [15 + o, 19 + o, 17 + o];
  const mx = (p[3 * i] + p[3 * k]) / 2 - p[3 * w], my = (p[3 * i + 1] + p[3 * k + 1]) / 2 - p[3 * w + 1];
  const len = Math.hypot(mx, my);
  // Crop "up" (−y) must map to the wrist → knuckles direction: rotate by atan2(my, mx) + π/2.
  return {
    cx: p[3 * w] + 0.7 * mx,
    cy: p[3 * w + 1] + 0.7 * my,
    side: Math.max(3 * len, options.minSide ?? 8),
    angle: Math.atan2(my, mx) + Math.PI / 2,
  };
}

/**
 * The region around detected hand landmarks for a second, tighter pass:
 * rotated so that wrist → middle-finger knuckle points up, 1.65 times the
 * landmarks' extent in that frame.
 *
 * References: vladmandic/human `src/hand/handposepipeline.ts`
 * (`getBoxForHandLandmarks`, enlarge factor 1.65).
 *
 * @param hand landmarks of a first pass
 * @returns the refined region
 * @example
 * ```ts ignore
 * const second = await detectHandLandmarks(model, image, handRoiFromLandmarks(first));
 * ```
 */
export function handRoiFromLandmarks(hand: HandLandmarks): Roi {
  const p = hand.points;
  const dx = p[27] - p[0], dy = p[28] - p[1];
  const angle = Math.atan2(dy, dx) + Math.PI / 2;
  const c = Math.cos(angle), s = Math.sin(angle);
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  for (let k = 0; k < 21; k++) {
    const x = p[3 * k], y = p[3 * k + 1];
    const u = c * x + s * y, v = -s * x + c * y; // rotate into the crop frame
    u0 = Math.min(u0, u), u1 = Math.max(u1, u), v0 = Math.min(v0, v), v1 = Math.max(v1, v);
  }
  const uc = (u0 + u1) / 2, vc = (v0 + v1) / 2;
  return { cx: c * uc - s * vc, cy: s * uc + c * vc, side: Math.max(4, 1.65 * Math.max(u1 - u0, v1 - v0)), angle };
}
