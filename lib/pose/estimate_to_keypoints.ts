/**
 * Maps a pose estimate onto the workbench's 60-keypoint layout (COCO-18 in
 * OpenPose order, left hand 21, right hand 21; see lib/synthetic/
 * keypoints.ts) with visibility 0 for every point whose confidence is below
 * the thresholds, so that low-confidence points are dropped, not drawn.
 *
 * Body points come from MoveNet (COCO-17 → OpenPose-18, the neck being the
 * shoulders' midpoint, confident when both shoulders are) or, with
 * `body: "blazepose"`, from the matching BlazePose landmarks.
 *
 * References: OpenPose COCO-18 output format (doc/02_output.md); DWPose
 * `wholebody.py` (neck = mean of the shoulders); MoveNet and BlazePose
 * model cards (keypoint orders).
 *
 * @module
 */

import { KEYPOINTS_PER_PERSON, LEFT_HAND_OFFSET, RIGHT_HAND_OFFSET } from "../synthetic/keypoints.ts";
import type { PoseEstimate } from "./estimate_pose.ts";

/** Thresholds of `estimateToKeypoints`. */
export interface KeypointThresholds {
  /** Smallest body keypoint score kept (default 0.3). */
  minScore?: number;
  /** Smallest hand presence kept (default 0.5). */
  minHandScore?: number;
  /** Smallest BlazePose person score for any point to be kept (default 0.5). */
  minPersonScore?: number;
  /** Source of the 18 body points (default "movenet"). */
  body?: "movenet" | "blazepose";
}

/** COCO-18 (OpenPose order) index → MoveNet COCO-17 index (−1: neck). */
export const COCO18_FROM_COCO17 = [0, -1, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4, 3] as const;
/** COCO-18 (OpenPose order) index → BlazePose-33 index (−1: neck). */
export const COCO18_FROM_BLAZEPOSE = [0, -1, 12, 14, 16, 11, 13, 15, 24, 26, 28, 23, 25, 27, 5, 2, 8, 7] as const;

/**
 * Converts an estimate to 60 keypoints with visibility.
 *
 * @param estimate the estimate of one image
 * @param thresholds body and hand thresholds, body-point source
 * @returns `keypoints` (x, y) × 60 in pixels and `visibility` 0/1 × 60
 * @example
 * ```ts
 * import { estimateToKeypoints } from "./estimate_to_keypoints.ts";
 * const body = { points: new Float32Array(34).fill(5), scores: new Float32Array(17).fill(0.9) };
 * const landmarks = { points: new Float32Array(99), scores: new Float32Array(33), poseScore: 0.9 };
 * const { visibility } = estimateToKeypoints({ width: 10, height: 10, body, landmarks, hands: [null, null] });
 * console.log(visibility.slice(0, 18).every((v) => v === 1)); // true
 * ```
 */
export function estimateToKeypoints(
  estimate: PoseEstimate,
  thresholds: KeypointThresholds = {},
): { keypoints: Float32Array; visibility: Float32Array } {
  const minScore = thresholds.minScore ?? 0.3;
  const minHand = thresholds.minHandScore ?? 0.5;
  const minPerson = thresholds.minPersonScore ?? 0.5;
  const source = thresholds.body ?? "movenet";
  if (source !== "movenet" && source !== "blazepose") {
    throw new RangeError(`Cannot map keypoints as body must be "movenet" or "blazepose": received ${JSON.stringify(source)}`);
  }
  const K = KEYPOINTS_PER_PERSON;
  const keypoints = new Float32Array(K * 2), visibility = new Float32Array(K);
  const { width: W, height: H } = estimate;
  if (estimate.landmarks.poseScore < minPerson) return { keypoints, visibility };
  const inside = (x: number, y: number) => x >= 0 && x < W && y >= 0 && y < H;
  const put = (k: number, x: number, y: number, ok: boolean) => {
    keypoints[2 * k] = x;
    keypoints[2 * k + 1] = y;
    visibility[k] = ok && inside(x, y) ? 1 : 0;
  };
  const map = source === "movenet" ? COCO18_FROM_COCO17 : COCO18_FROM_BLAZEPOSE;
  const src = source === "movenet" ? estimate.body : estimate.landmarks;
  const stride = source === "movenet" ? 2 : 3;
  const at = (j: number): [number, number, number] => [
    src.points[stride * j],
    src.points[stride * j + 1],
    src.scores[j],
  ];
  for (let k = 0; k < 18; k++) {
    const j = map[k];
    if (j >= 0) {
      const [x, y, s] = at(j);
      put(k, x, y, s >= minScore);
    } else {
      const a = at(map[2]), b = at(map[5]);
      put(k, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, Math.min(a[2], b[2]) >= minScore);
    }
  }
  estimate.hands.forEach((hand, i) => {
    const offset = i === 0 ? LEFT_HAND_OFFSET : RIGHT_HAND_OFFSET;
    for (let k = 0; k < 21; k++) {
      if (!hand) put(offset + k, 0, 0, false);
      else put(offset + k, hand.points[3 * k], hand.points[3 * k + 1], hand.score >= minHand);
    }
  });
  return { keypoints, visibility };
}
