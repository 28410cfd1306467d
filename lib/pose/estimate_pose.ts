/**
 * Pose of the (single, main) person in one image from the pretrained nets:
 * COCO-17 body keypoints (MoveNet), 33 BlazePose landmarks with depth, and
 * both hands' 21 landmarks (hand-landmark net on regions cropped from the
 * pose, optionally a second pass on the region around the first landmarks).
 *
 * References: vladmandic/human `src/body/movenet.ts`, `src/body/blazepose.ts`,
 * `src/hand/handtrack.ts`; MediaPipe Holistic (hands from pose regions).
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs-core";
import { detectBlazePose, type BlazePoseLandmarks } from "./detect_blazepose.ts";
import {
  detectHandLandmarks,
  handRoiFromLandmarks,
  handRoiFromPose,
  type HandLandmarks,
} from "./detect_hand_landmarks.ts";
import { detectMovenet, type Keypoints2d } from "./detect_movenet.ts";
import type { PoseModels } from "./load_pose_models.ts";

/** Options of `estimatePose`. */
export interface EstimatePoseOptions {
  /** Run the hand net a second time on the region around its first landmarks (default true). */
  refineHands?: boolean;
  /** Skip the hands when the wrist's BlazePose score is below this (default 0.3). */
  minWristScore?: number;
}

/** Everything the nets found in one image (pixel coordinates of that image). */
export interface PoseEstimate {
  width: number;
  height: number;
  /** COCO-17 body keypoints (MoveNet). */
  body: Keypoints2d;
  /** BlazePose's 33 landmarks with depth and its person score. */
  landmarks: BlazePoseLandmarks;
  /** The person's left and right hand (null when not looked for). */
  hands: [HandLandmarks | null, HandLandmarks | null];
}

/**
 * Estimates the pose of the person in an image.
 *
 * @param models loaded networks (see `loadPoseModels`)
 * @param image RGB [H, W, 3] float32 in [0, 1]
 * @param options hand refinement, wrist threshold
 * @returns body keypoints, landmarks with depth, hands
 * @example
 * ```ts ignore
 * import { estimatePose, loadPoseModels } from "./mod.ts";
 * const models = await loadPoseModels();
 * const estimate = await estimatePose(models, image);
 * ```
 */
export async function estimatePose(
  models: PoseModels,
  image: tf.Tensor3D,
  options: EstimatePoseOptions = {},
): Promise<PoseEstimate> {
  const [height, width] = image.shape;
  const body = await detectMovenet(models.body, image);
  const landmarks = await detectBlazePose(models.landmarks, image);
  const hands: [HandLandmarks | null, HandLandmarks | null] = [null, null];
  const minWrist = options.minWristScore ?? 0.3;
  for (const [i, side] of [[0, "left"], [1, "right"]] as const) {
    if (landmarks.scores[15 + i] < minWrist) continue;
    const minSide = 0.02 * Math.max(width, height);
    let hand = await detectHandLandmarks(models.hands, image, handRoiFromPose(landmarks, side, { minSide }));
    if (options.refineHands ?? true) {
      const second = await detectHandLandmarks(models.hands, image, handRoiFromLandmarks(hand));
      if (second.score >= hand.score) hand = second;
    }
    hands[i] = hand;
  }
  return { width, height, body, landmarks, hands };
}
