/**
 * Forward kinematics of the articulated synthetic character: joint angles →
 * 3D joint positions (body, face points, 21 keypoints per hand) and the frames
 * of the head and the hands, with the lowest body point resting on the floor.
 *
 * Body frame before the root transform: y up, +z the facing direction, +x the
 * character's LEFT (so a character facing the camera has its right side on
 * the image's left, as in COCO/OpenPose). Angles are radians and side-agnostic:
 * `*_raise` > 0 lifts a limb away from the body on either side.
 *
 * References: OpenPose/COCO-18 and MANO/OpenPose 21-point hand layouts
 * (CMU-Perceptual-Computing-Lab/openpose doc/02_output.md).
 *
 * @module
 */

import type { BodyShape } from "./body_shape.ts";
import { apply, chain, cross, type M3, normalize, offset, rotAxis, rotX, rotY, rotZ, type V3 } from "./_math.ts";

/** Names of the pose degrees of freedom, in the order of a pose vector. */
export const POSE_DOFS = [
  "root_yaw",
  "root_pitch",
  "root_roll",
  "root_x",
  "root_z",
  "spine_bend",
  "spine_side",
  "spine_twist",
  "neck_nod",
  "neck_turn",
  "neck_tilt",
  "l_shoulder_raise",
  "l_shoulder_flex",
  "l_shoulder_twist",
  "l_elbow",
  "l_wrist_flex",
  "l_wrist_dev",
  "l_fingers",
  "l_thumb",
  "r_shoulder_raise",
  "r_shoulder_flex",
  "r_shoulder_twist",
  "r_elbow",
  "r_wrist_flex",
  "r_wrist_dev",
  "r_fingers",
  "r_thumb",
  "l_hip_flex",
  "l_hip_abd",
  "l_hip_twist",
  "l_knee",
  "l_ankle",
  "r_hip_flex",
  "r_hip_abd",
  "r_hip_twist",
  "r_knee",
  "r_ankle",
] as const;

/** One pose degree of freedom. */
export type PoseDof = typeof POSE_DOFS[number];

/** Index of each DOF in a pose vector. */
export const DOF: Readonly<Record<PoseDof, number>> = Object.fromEntries(
  POSE_DOFS.map((n, i) => [n, i]),
) as Record<PoseDof, number>;

const HAND_POINTS = [
  "wrist",
  "thumb_cmc",
  "thumb_mcp",
  "thumb_ip",
  "thumb_tip",
  "index_mcp",
  "index_pip",
  "index_dip",
  "index_tip",
  "middle_mcp",
  "middle_pip",
  "middle_dip",
  "middle_tip",
  "ring_mcp",
  "ring_pip",
  "ring_dip",
  "ring_tip",
  "pinky_mcp",
  "pinky_pip",
  "pinky_dip",
  "pinky_tip",
] as const;

/** Names of the 3D joints returned by `forwardKinematics`, in order. */
export const JOINTS = [
  "pelvis",
  "chest",
  "head",
  "nose",
  "left_eye",
  "right_eye",
  "left_ear",
  "right_ear",
  "left_shoulder",
  "left_elbow",
  "left_wrist",
  "right_shoulder",
  "right_elbow",
  "right_wrist",
  "left_hip",
  "left_knee",
  "left_ankle",
  "left_heel",
  "left_toe",
  "right_hip",
  "right_knee",
  "right_ankle",
  "right_heel",
  "right_toe",
  ...HAND_POINTS.map((p) => `left_hand_${p}`),
  ...HAND_POINTS.map((p) => `right_hand_${p}`),
] as const;

/** Index of each joint in `Skeleton.joints` (divide the offset by 3). */
export const J: Readonly<Record<string, number>> = Object.fromEntries(JOINTS.map((n, i) => [n, i]));
/** Index of the first left-hand point (the wrist); the right hand follows 21 later. */
export const LEFT_HAND = J["left_hand_wrist"];
/** Index of the first right-hand point. */
export const RIGHT_HAND = J["right_hand_wrist"];

/** Result of forward kinematics, in world coordinates (metres). */
export interface Skeleton {
  /** Joint positions, `JOINTS.length × 3` (x, y, z). */
  joints: Float64Array;
  /** Rotation of the root (pelvis) frame. */
  root: M3;
  /** Rotation of the chest frame. */
  spine: M3;
  /** Rotation of the head frame (its +z is the facing direction). */
  head: M3;
  /** Rotations of the left and right hand frames: fingers along −y, thumb side +z, palm normal −side·x. */
  hands: [M3, M3];
  /** Height the body was lifted by so that its lowest surface touches y = 0. */
  lift: number;
}

/** Options of `forwardKinematics`. */
export interface FkOptions {
  /** World x, z of the pelvis before the pose's own root_x/root_z offsets. */
  place?: [number, number];
}

/**
 * Computes joint positions and frames of a posed character.
 *
 * @param shape the body proportions
 * @param pose a pose vector of length `POSE_DOFS.length`
 * @param options world placement
 * @returns the posed skeleton, grounded on the floor plane y = 0
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * import { forwardKinematics, J, POSE_DOFS } from "./forward_kinematics.ts";
 * const s = forwardKinematics(makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 }), new Float64Array(POSE_DOFS.length));
 * console.log(s.joints[J.head * 3 + 1]); // head centre height ≈ 1.59
 * ```
 */
export function forwardKinematics(shape: BodyShape, pose: ArrayLike<number>, options: FkOptions = {}): Skeleton {
  if (pose.length !== POSE_DOFS.length) {
    throw new RangeError(
      `Cannot pose the skeleton as the pose must have ${POSE_DOFS.length} values: received ${pose.length}`,
    );
  }
  const q = (n: PoseDof) => pose[DOF[n]];
  const out = new Float64Array(JOINTS.length * 3);
  const set = (i: number, p: V3) => {
    out[i * 3] = p[0];
    out[i * 3 + 1] = p[1];
    out[i * 3 + 2] = p[2];
  };
  const [px, pz] = options.place ?? [0, 0];
  const pelvis: V3 = [px + q("root_x"), 0, pz + q("root_z")];
  const root = chain(rotY(q("root_yaw")), rotX(q("root_pitch")), rotZ(-q("root_roll")));
  const spine = chain(root, rotY(q("spine_twist")), rotX(q("spine_bend")), rotZ(-q("spine_side")));
  const chest = offset(pelvis, spine, [0, shape.torsoLength, 0]);
  const head = chain(spine, rotY(q("neck_turn")), rotX(q("neck_nod")), rotZ(-q("neck_tilt")));
  const hc = offset(chest, head, [0, shape.neckLength + shape.headRadius, 0]);
  const r = shape.headRadius;
  set(J.pelvis, pelvis);
  set(J.chest, chest);
  set(J.head, hc);
  set(J.nose, offset(hc, head, [0, -0.15 * r, 1.05 * r]));
  set(J.left_eye, offset(hc, head, [0.38 * r, 0.12 * r, 0.88 * r]));
  set(J.right_eye, offset(hc, head, [-0.38 * r, 0.12 * r, 0.88 * r]));
  set(J.left_ear, offset(hc, head, [1.0 * r, 0, -0.1 * r]));
  set(J.right_ear, offset(hc, head, [-1.0 * r, 0, -0.1 * r]));

  const hands: M3[] = [];
  for (const [side, s] of [["l", 1], ["r", -1]] as const) {
    const name = side === "l" ? "left" : "right";
    const sh = offset(chest, spine, [s * shape.shoulderHalfWidth, -0.08 * shape.torsoLength, 0]);
    const rs = chain(
      spine,
      rotZ(s * q(`${side}_shoulder_raise`)),
      rotX(-q(`${side}_shoulder_flex`)),
      rotY(s * q(`${side}_shoulder_twist`)),
    );
    const el = offset(sh, rs, [0, -shape.upperArm, 0]);
    const re = chain(rs, rotX(-q(`${side}_elbow`)));
    const wr = offset(el, re, [0, -shape.forearm, 0]);
    const rh = chain(re, rotZ(-s * q(`${side}_wrist_flex`)), rotX(-q(`${side}_wrist_dev`)));
    set(J[`${name}_shoulder`], sh);
    set(J[`${name}_elbow`], el);
    set(J[`${name}_wrist`], wr);
    handPoints(out, side === "l" ? LEFT_HAND : RIGHT_HAND, wr, rh, s, shape, q(`${side}_fingers`), q(`${side}_thumb`));
    hands.push(rh);

    const hip = offset(pelvis, root, [s * shape.hipHalfWidth, 0, 0]);
    const rhip = chain(
      root,
      rotZ(s * q(`${side}_hip_abd`)),
      rotX(-q(`${side}_hip_flex`)),
      rotY(s * q(`${side}_hip_twist`)),
    );
    const knee = offset(hip, rhip, [0, -shape.thigh, 0]);
    const rk = chain(rhip, rotX(q(`${side}_knee`)));
    const ankle = offset(knee, rk, [0, -shape.shin, 0]);
    const rf = chain(rk, rotX(-q(`${side}_ankle`)));
    const down = 0.55 * shape.ankleHeight;
    set(J[`${name}_hip`], hip);
    set(J[`${name}_knee`], knee);
    set(J[`${name}_ankle`], ankle);
    set(J[`${name}_heel`], offset(ankle, rf, [0, -down, -0.22 * shape.footLength]));
    set(J[`${name}_toe`], offset(ankle, rf, [0, -down, 0.78 * shape.footLength]));
  }

  const skeleton: Skeleton = { joints: out, root, spine, head, hands: [hands[0], hands[1]], lift: 0 };
  const contacts = groundContacts(shape);
  let low = Infinity;
  for (const [j, rad] of contacts) low = Math.min(low, out[j * 3 + 1] - rad);
  for (let i = 0; i < JOINTS.length; i++) out[i * 3 + 1] -= low;
  skeleton.lift = -low;
  return skeleton;
}

/** Joints that can touch the floor, with the radius of the surface around them. */
function groundContacts(shape: BodyShape): Array<[number, number]> {
  const list: Array<[number, number]> = [
    [J.head, shape.headRadius],
    [J.pelvis, shape.hipRadius],
    [J.chest, shape.chestRadius],
  ];
  for (const n of ["left", "right"]) {
    list.push([J[`${n}_heel`], shape.footRadius], [J[`${n}_toe`], shape.footRadius]);
    list.push([J[`${n}_knee`], shape.shinRadius], [J[`${n}_elbow`], shape.forearmRadius]);
    list.push([J[`${n}_wrist`], shape.forearmRadius]);
    for (const f of ["thumb_tip", "index_tip", "middle_tip", "ring_tip", "pinky_tip", "index_mcp", "pinky_mcp"]) {
      list.push([J[`${n}_hand_${f}`], shape.fingerRadius]);
    }
  }
  return list;
}

const FINGER_Z = [0.375, 0.125, -0.125, -0.375];
const FINGER_Y = [0.96, 1.0, 0.97, 0.9];
const FINGER_LEN = [0.93, 1.0, 0.95, 0.78];
const FINGER_SPREAD = [0.1, 0.02, -0.06, -0.14];
const PHALANX = [0.45, 0.3, 0.25];
const CURL_SHARE = [0.8, 1.0, 0.7];

/** Writes the 21 hand keypoints (wrist first) from the wrist position and hand frame. */
function handPoints(
  out: Float64Array,
  base: number,
  wrist: V3,
  rh: M3,
  s: number,
  shape: BodyShape,
  curl: number,
  thumbCurl: number,
): void {
  const set = (i: number, p: V3) => {
    out[(base + i) * 3] = p[0];
    out[(base + i) * 3 + 1] = p[1];
    out[(base + i) * 3 + 2] = p[2];
  };
  const palmLen = 0.47 * shape.handLength;
  const fingerLen = shape.handLength - palmLen;
  set(0, wrist);
  for (let f = 0; f < 4; f++) {
    let p = offset(wrist, rh, [0, -palmLen * FINGER_Y[f], shape.palmWidth * FINGER_Z[f]]);
    set(5 + 4 * f, p);
    let bend = 0;
    for (let k = 0; k < 3; k++) {
      bend += curl * CURL_SHARE[k];
      const r = chain(rh, rotX(FINGER_SPREAD[f]), rotZ(-s * bend));
      p = offset(p, r, [0, -fingerLen * FINGER_LEN[f] * PHALANX[k], 0]);
      set(6 + 4 * f + k, p);
    }
  }
  // Thumb: carpometacarpal joint near the wrist on the thumb side, pointing forward-down.
  const palmNormal = apply(rh, [-s, 0, 0]);
  let d = normalize(apply(rh, [-s * 0.3, -0.55, 0.78]));
  let p = offset(wrist, rh, [-s * 0.15 * shape.palmWidth, -0.12 * palmLen, 0.3 * shape.palmWidth]);
  set(1, p);
  const lens = [0.24, 0.17, 0.14];
  for (let k = 0; k < 3; k++) {
    const axis = normalize(cross(d, palmNormal));
    d = apply(rotAxis(axis, thumbCurl * (k === 0 ? 0.4 : 0.8)), d);
    p = [
      p[0] + d[0] * lens[k] * shape.handLength,
      p[1] + d[1] * lens[k] * shape.handLength,
      p[2] + d[2] * lens[k] * shape.handLength,
    ];
    set(2 + k, p);
  }
}

/**
 * Reads joint `j` of a skeleton as a 3-vector.
 * @param s the skeleton
 * @param j a joint index (see `J`)
 * @returns its world position
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * import { forwardKinematics, J, joint, POSE_DOFS } from "./forward_kinematics.ts";
 * const s = forwardKinematics(makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 }), new Float64Array(POSE_DOFS.length));
 * console.log(joint(s, J.pelvis));
 * ```
 */
export function joint(s: Skeleton, j: number): V3 {
  return [s.joints[j * 3], s.joints[j * 3 + 1], s.joints[j * 3 + 2]];
}
