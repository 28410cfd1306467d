/**
 * The 2D keypoint layout of synthetic clips and the projection of posed
 * skeletons onto it: 18 COCO body points in OpenPose order, then 21 left-hand
 * and 21 right-hand points (DWPose whole-body order: left hand first).
 *
 * Visibility is 1 when the point projects inside the image in front of the
 * camera; the face points (nose, eyes, ears) additionally need the face (or
 * that side of the head) to be turned towards the camera, as a detector
 * would report them.
 *
 * References: OpenPose COCO-18 output format (doc/02_output.md); DWPose
 * `wholebody.py` (neck = mean of the shoulders, hands 91–132).
 *
 * @module
 */

import { J, LEFT_HAND, RIGHT_HAND, type Skeleton } from "./forward_kinematics.ts";
import { type CameraFrame, project } from "./scene.ts";
import { apply, dot, sub, type V3 } from "./_math.ts";

/** COCO-18 keypoint names in OpenPose order. */
export const COCO18 = [
  "nose",
  "neck",
  "right_shoulder",
  "right_elbow",
  "right_wrist",
  "left_shoulder",
  "left_elbow",
  "left_wrist",
  "right_hip",
  "right_knee",
  "right_ankle",
  "left_hip",
  "left_knee",
  "left_ankle",
  "right_eye",
  "left_eye",
  "right_ear",
  "left_ear",
] as const;

/** Keypoints per person: 18 body + 21 left hand + 21 right hand. */
export const KEYPOINTS_PER_PERSON = 60;
/** Offset of the left-hand points in a person's keypoint list. */
export const LEFT_HAND_OFFSET = 18;
/** Offset of the right-hand points. */
export const RIGHT_HAND_OFFSET = 39;

/** Output arrays of `projectKeypoints` and the start index into `out` (a multiple of 120). */
export interface KeypointTarget {
  out: Float32Array;
  vis: Float32Array;
  offset: number;
}

/** Skeleton joint index of each COCO-18 point (−1 for the neck, the shoulders' midpoint). */
const COCO_TO_JOINT = [
  J.nose,
  -1,
  J.right_shoulder,
  J.right_elbow,
  J.right_wrist,
  J.left_shoulder,
  J.left_elbow,
  J.left_wrist,
  J.right_hip,
  J.right_knee,
  J.right_ankle,
  J.left_hip,
  J.left_knee,
  J.left_ankle,
  J.right_eye,
  J.left_eye,
  J.right_ear,
  J.left_ear,
];

/**
 * Projects one person's skeleton to the 60 keypoints.
 *
 * @param skeleton the posed skeleton
 * @param cam the camera frame
 * @param target where to write: `out` pixel coordinates (x, y) at `out[offset .. offset + 120)`,
 *   `vis` visibility (0/1) at `vis[offset / 2 .. offset / 2 + 60)`
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * import { forwardKinematics, POSE_DOFS } from "./forward_kinematics.ts";
 * import { projectKeypoints } from "./keypoints.ts";
 * import { cameraAt } from "./scene.ts";
 * const sk = forwardKinematics(makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 }), new Float64Array(POSE_DOFS.length));
 * const cam = cameraAt({ kind: "static", target: [0, 0.85, 0], distance: 4, pitch: 0.1, fovY: 0.7, panSpeed: 0, zoomRate: 0 }, 0, { width: 64, height: 64 });
 * const xy = new Float32Array(120), vis = new Float32Array(60);
 * projectKeypoints(sk, cam, { out: xy, vis, offset: 0 });
 * console.log(vis[0]); // 1: the nose faces the camera
 * ```
 */
export function projectKeypoints(skeleton: Skeleton, cam: CameraFrame, target: KeypointTarget): void {
  const { out, vis, offset } = target;
  const js = skeleton.joints;
  const P = (j: number): V3 => [js[j * 3], js[j * 3 + 1], js[j * 3 + 2]];
  const head = P(J.head);
  const toCam = sub(cam.pos, head);
  const face = apply(skeleton.head, [0, 0, 1]);
  const side = apply(skeleton.head, [1, 0, 0]);
  const facing = dot(face, toCam) > 0.15 * Math.hypot(...toCam);
  const leftSide = dot(side, toCam) > -0.2 * Math.hypot(...toCam);
  const rightSide = dot(side, toCam) < 0.2 * Math.hypot(...toCam);
  const write = (k: number, p: V3, extra: boolean) => {
    const [u, v, z] = project(cam, p);
    out[offset + 2 * k] = u;
    out[offset + 2 * k + 1] = v;
    vis[offset / 2 + k] = extra && z > 0.05 && u >= 0 && u < cam.width && v >= 0 && v < cam.height ? 1 : 0;
  };
  for (let k = 0; k < 18; k++) {
    const j = COCO_TO_JOINT[k];
    let p: V3;
    if (j < 0) {
      const a = P(J.left_shoulder), b = P(J.right_shoulder);
      p = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
    } else p = P(j);
    const extra = k === 0 || k === 14 || k === 15 ? facing : k === 16 ? rightSide : k === 17 ? leftSide : true;
    write(k, p, extra);
  }
  for (let k = 0; k < 21; k++) {
    write(LEFT_HAND_OFFSET + k, P(LEFT_HAND + k), true);
    write(RIGHT_HAND_OFFSET + k, P(RIGHT_HAND + k), true);
  }
}
