/**
 * A differentiable version of the synthetic body (private): `makeBodyShape`
 * in tf ops, joint positions as a linear function of the segment lengths for
 * a fixed pose (forward kinematics is linear in the lengths once the joint
 * angles are fixed), grounding on the floor, the body capsules of
 * `_world.ts`, perspective projection and a soft silhouette.
 *
 * References: lib/synthetic/ body_shape.ts, forward_kinematics.ts,
 * _world.ts (the same formulas); Liu et al. 2019, Soft Rasterizer (sigmoid of
 * the signed distance, union as 1 − Π(1 − occupancy)).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import { type BodyShape, makeBodyShape } from "../synthetic/body_shape.ts";
import { forwardKinematics, J, JOINTS, LEFT_HAND, RIGHT_HAND } from "../synthetic/forward_kinematics.ts";
import type { CameraFrame } from "../synthetic/scene.ts";

/** Shape fields forward kinematics uses as lengths (joint positions are linear in them). */
export const LENGTH_FIELDS = [
  "headRadius",
  "neckLength",
  "torsoLength",
  "shoulderHalfWidth",
  "hipHalfWidth",
  "upperArm",
  "forearm",
  "handLength",
  "palmWidth",
  "thigh",
  "shin",
  "ankleHeight",
  "footLength",
] as const;

/** Radii fields used by the capsules and the grounding. */
export const RADIUS_FIELDS = [
  "neckRadius",
  "chestRadius",
  "waistRadius",
  "hipRadius",
  "upperArmRadius",
  "forearmRadius",
  "fingerRadius",
  "thighRadius",
  "shinRadius",
  "footRadius",
] as const;

type Field = typeof LENGTH_FIELDS[number] | typeof RADIUS_FIELDS[number];

/**
 * `makeBodyShape` in tf ops: p = [height, chibi, build, legRatio] (scalars
 * inside a tidy) → every length and radius.
 */
export function bodyShapeTensor(p: tf.Tensor1D): Record<Field, tf.Tensor> {
  const [h, c, b, legRatio] = tf.unstack(p) as tf.Scalar[];
  const mix = (a: number, z: number) => tf.add(a, tf.mul(z - a, c));
  const headsTall = mix(7.5, 2.6);
  const headRadius = tf.div(h, tf.mul(2, headsTall));
  const rest = tf.sub(h, tf.mul(2, headRadius));
  const neckLength = tf.mul(rest, mix(0.07, 0.03));
  const leg = tf.mul(tf.mul(rest, mix(0.53, 0.45)), legRatio);
  const torsoLength = tf.sub(tf.sub(rest, neckLength), leg);
  const limb = tf.mul(h, mix(1, 0.62));
  const bw = tf.add(0.9, tf.mul(0.2, b)); // 0.9 + 0.2 b
  const w = tf.mul(tf.mul(tf.div(h, 1.75), tf.add(0.8, tf.mul(0.45, b))), mix(1, 1.35));
  return {
    headRadius,
    neckLength,
    torsoLength,
    shoulderHalfWidth: tf.mul(tf.mul(h, mix(0.105, 0.13)), bw),
    hipHalfWidth: tf.mul(tf.mul(h, mix(0.052, 0.065)), bw),
    upperArm: tf.mul(0.17, limb),
    forearm: tf.mul(0.145, limb),
    handLength: tf.mul(0.105, limb),
    palmWidth: tf.mul(tf.mul(0.05, limb), bw),
    thigh: tf.mul(leg, 0.48),
    shin: tf.mul(leg, 0.45),
    ankleHeight: tf.mul(leg, 0.07),
    footLength: tf.mul(0.15, limb),
    neckRadius: tf.mul(0.05, w),
    chestRadius: tf.mul(0.12, w),
    waistRadius: tf.mul(0.105, w),
    hipRadius: tf.mul(0.088, w),
    upperArmRadius: tf.mul(0.042, w),
    forearmRadius: tf.mul(0.034, w),
    fingerRadius: tf.mul(0.009, w),
    thighRadius: tf.mul(0.065, w),
    shinRadius: tf.mul(0.046, w),
    footRadius: tf.mul(0.032, w),
  };
}

/** Constant part and per-length basis of the raw (ungrounded) joint positions of one pose. */
export interface PoseBasis {
  /** [JOINTS, 3] positions with every length 0. */
  base: Float32Array;
  /** [LENGTH_FIELDS, JOINTS · 3]: d position / d length. */
  basis: Float32Array;
  /** Unit up-axis of the head frame (for the chin point). */
  headUp: [number, number, number];
}

/** Builds the linear map lengths → raw joint positions for a pose (exact: FK is linear in the lengths). */
export function poseBasis(pose: ArrayLike<number>, place: [number, number]): PoseBasis {
  const NJ = JOINTS.length;
  const zero = Object.fromEntries(
    Object.keys(makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 })).map((k) => [k, 0]),
  ) as unknown as BodyShape;
  const raw = (shape: BodyShape) => {
    const sk = forwardKinematics(shape, pose, { place });
    const out = Float32Array.from(sk.joints);
    for (let j = 0; j < NJ; j++) out[3 * j + 1] -= sk.lift; // undo the grounding
    return { out, head: sk.head };
  };
  const z = raw(zero);
  const basis = new Float32Array(LENGTH_FIELDS.length * NJ * 3);
  LENGTH_FIELDS.forEach((f, i) => {
    const e = raw({ ...zero, [f]: 1 }).out;
    for (let k = 0; k < NJ * 3; k++) basis[i * NJ * 3 + k] = e[k] - z.out[k];
  });
  const m = z.head;
  return { base: z.out, basis, headUp: [m[1], m[4], m[7]] as [number, number, number] };
}

/** Every shape field in the order of the shape vector (lengths then radii). */
export const SHAPE_FIELDS = [...LENGTH_FIELDS, ...RADIUS_FIELDS] as const;
const FI = (f: Field) => SHAPE_FIELDS.indexOf(f);

/** Joint → radius field of the grounding contacts (as forward_kinematics.ts `groundContacts`). */
const CONTACTS: Array<[number, Field]> = (() => {
  const list: Array<[number, Field]> = [[J.head, "headRadius"], [J.pelvis, "hipRadius"], [J.chest, "chestRadius"]];
  for (const n of ["left", "right"]) {
    list.push([J[`${n}_heel`], "footRadius"], [J[`${n}_toe`], "footRadius"]);
    list.push([J[`${n}_knee`], "shinRadius"], [J[`${n}_elbow`], "forearmRadius"], [J[`${n}_wrist`], "forearmRadius"]);
    for (const f of ["thumb_tip", "index_tip", "middle_tip", "ring_tip", "pinky_tip", "index_mcp", "pinky_mcp"]) {
      list.push([J[`${n}_hand_${f}`], "fingerRadius"]);
    }
  }
  return list;
})();

/** An end point: weighted joints, plus `chin` × headRadius along the head's up axis. */
type End = { joints: Array<[number, number]>; chin?: number };
/** A capsule: two ends, radii as coefficient × field. */
type Cap = [End, End, [number, Field], [number, Field]];

/** The body-only capsules of `_world.ts` (palm included, finger capsules left out). */
const CAPSULES: Cap[] = (() => {
  const j = (k: number): End => ({ joints: [[k, 1]] });
  const waist: End = { joints: [[J.pelvis, 0.7], [J.chest, 0.3]] };
  const caps: Cap[] = [
    [j(J.head), j(J.head), [1, "headRadius"], [1, "headRadius"]],
    [j(J.chest), { joints: [[J.head, 1]], chin: -0.75 }, [1, "neckRadius"], [1, "neckRadius"]],
    [waist, j(J.chest), [1, "waistRadius"], [1, "chestRadius"]],
    [j(J.left_shoulder), j(J.right_shoulder), [1.25, "upperArmRadius"], [1.25, "upperArmRadius"]],
    [j(J.pelvis), waist, [1, "hipRadius"], [0.98, "waistRadius"]],
    [j(J.left_hip), j(J.right_hip), [1, "hipRadius"], [1, "hipRadius"]],
  ];
  for (const side of ["left", "right"]) {
    const base = side === "left" ? LEFT_HAND : RIGHT_HAND;
    caps.push(
      [j(J[`${side}_shoulder`]), j(J[`${side}_elbow`]), [1, "upperArmRadius"], [1.08, "forearmRadius"]],
      [j(J[`${side}_elbow`]), j(J[`${side}_wrist`]), [1, "forearmRadius"], [0.78, "forearmRadius"]],
      [j(J[`${side}_hip`]), j(J[`${side}_knee`]), [1, "thighRadius"], [1.1, "shinRadius"]],
      [j(J[`${side}_knee`]), j(J[`${side}_ankle`]), [1, "shinRadius"], [0.72, "shinRadius"]],
      [j(J[`${side}_heel`]), j(J[`${side}_toe`]), [1, "footRadius"], [0.9, "footRadius"]],
      [j(base), j(base + 9), [0.42, "palmWidth"], [0.45, "palmWidth"]],
    );
  }
  return caps;
})();

/** Matrices of the linear maps shape → joints → capsules for one pose (built once per fit). */
export interface BodyMaps {
  basis: PoseBasis;
  /** [NC, NJ] contact joints, [NC, S] contact radii. */
  contactJoints: tf.Tensor2D;
  contactRadii: tf.Tensor2D;
  /** [C, NJ] end-point weights, [C, S] chin coefficients (× headUp), [C, S] radii, for ends a and b. */
  endA: tf.Tensor2D;
  endB: tf.Tensor2D;
  chinA: tf.Tensor2D;
  chinB: tf.Tensor2D;
  radA: tf.Tensor2D;
  radB: tf.Tensor2D;
  lengthBasis: tf.Tensor2D;
  base: tf.Tensor2D;
  headUp: tf.Tensor2D;
  dispose(): void;
}

/** Builds the maps of a pose. */
export function bodyMaps(pb: PoseBasis): BodyMaps {
  const NJ = JOINTS.length, S = SHAPE_FIELDS.length, C = CAPSULES.length, NC = CONTACTS.length;
  const cj = new Float32Array(NC * NJ), cr = new Float32Array(NC * S);
  CONTACTS.forEach(([jj, f], i) => ((cj[i * NJ + jj] = 1), (cr[i * S + FI(f)] = 1)));
  const mats = [0, 1].map(() => ({ end: new Float32Array(C * NJ), chin: new Float32Array(C * S), rad: new Float32Array(C * S) }));
  CAPSULES.forEach((cap, i) => {
    for (const e of [0, 1]) {
      const end = cap[e] as End, [coef, f] = cap[2 + e] as [number, Field];
      for (const [jj, w] of end.joints) mats[e].end[i * NJ + jj] += w;
      if (end.chin) mats[e].chin[i * S + FI("headRadius")] = end.chin;
      mats[e].rad[i * S + FI(f)] = coef;
    }
  });
  const t = {
    contactJoints: tf.tensor2d(cj, [NC, NJ]),
    contactRadii: tf.tensor2d(cr, [NC, S]),
    endA: tf.tensor2d(mats[0].end, [C, NJ]),
    endB: tf.tensor2d(mats[1].end, [C, NJ]),
    chinA: tf.tensor2d(mats[0].chin, [C, S]),
    chinB: tf.tensor2d(mats[1].chin, [C, S]),
    radA: tf.tensor2d(mats[0].rad, [C, S]),
    radB: tf.tensor2d(mats[1].rad, [C, S]),
    lengthBasis: tf.tensor2d(pb.basis, [LENGTH_FIELDS.length, NJ * 3]),
    base: tf.tensor2d(pb.base, [NJ, 3]),
    headUp: tf.tensor2d([pb.headUp], [1, 3]),
  };
  return { basis: pb, ...t, dispose: () => tf.dispose(Object.values(t)) };
}

/** The shape vector [S] (SHAPE_FIELDS order) from `bodyShapeTensor`'s fields. */
export function shapeVector(shape: Record<Field, tf.Tensor>): tf.Tensor1D {
  return tf.stack(SHAPE_FIELDS.map((f) => shape[f])) as tf.Tensor1D;
}

/** Grounded joint positions [JOINTS, 3] of a shape vector. */
export function jointsTensor(s: tf.Tensor1D, maps: BodyMaps): tf.Tensor2D {
  const NJ = JOINTS.length, L = LENGTH_FIELDS.length;
  const lengths = tf.reshape(tf.slice(s, [0], [L]), [1, L]); // (1, L)
  const raw = tf.add(maps.base, tf.reshape(tf.matMul(lengths, maps.lengthBasis), [NJ, 3])); // (NJ, 3)
  const y = tf.slice(raw, [0, 1], [NJ, 1]); // (NJ, 1)
  const lows = tf.sub(tf.matMul(maps.contactJoints, y), tf.matMul(maps.contactRadii, tf.reshape(s, [-1, 1]))); // (NC, 1)
  return tf.sub(raw, tf.mul(tf.min(lows), tf.tensor1d([0, 1, 0]))) as tf.Tensor2D;
}

/** Capsules (a, b [C, 3], ra, rb [C]) of a shape vector and its grounded joints. */
export function bodyCapsulesTensor(
  s: tf.Tensor1D,
  joints: tf.Tensor2D,
  maps: BodyMaps,
): { a: tf.Tensor2D; b: tf.Tensor2D; ra: tf.Tensor1D; rb: tf.Tensor1D } {
  const col = tf.reshape(s, [-1, 1]); // (S, 1)
  const end = (m: tf.Tensor2D, chin: tf.Tensor2D) =>
    tf.add(tf.matMul(m, joints), tf.matMul(tf.matMul(chin, col), maps.headUp)) as tf.Tensor2D; // (C, 3)
  return {
    a: end(maps.endA, maps.chinA),
    b: end(maps.endB, maps.chinB),
    ra: tf.reshape(tf.matMul(maps.radA, col), [-1]) as tf.Tensor1D,
    rb: tf.reshape(tf.matMul(maps.radB, col), [-1]) as tf.Tensor1D,
  };
}

/** Perspective projection of points [N, 3] → pixels [N, 2] and depths [N]. */
export function projectTensor(points: tf.Tensor2D, cam: CameraFrame): { uv: tf.Tensor2D; z: tf.Tensor1D } {
  const d = tf.sub(points, tf.tensor1d(cam.pos)); // (N, 3)
  const axes = tf.transpose(tf.tensor2d([cam.right, cam.up, cam.fwd])); // (3, 3): columns right, up, fwd
  const c = tf.matMul(d, axes); // (N, 3): x, y, depth
  const [x, y, z] = tf.split(c, 3, 1).map((t) => tf.reshape(t, [-1])) as tf.Tensor1D[];
  const u = tf.add(cam.cx, tf.mul(cam.focal, tf.div(x, z)));
  const v = tf.sub(cam.cy, tf.mul(cam.focal, tf.div(y, z)));
  return { uv: tf.stack([u, v], 1) as tf.Tensor2D, z };
}

/** A pixel window [x0, x0 + width) × [y0, y0 + height). */
export interface Window {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * Soft silhouette [H, W] (of the window, default the whole image) of projected capsules: per capsule the signed
 * distance of each pixel centre to the projected, linearly tapered capsule,
 * occupancy sigmoid(−sd / tau), union 1 − Π(1 − occupancy).
 */
export function softSilhouette(
  caps: { a: tf.Tensor2D; b: tf.Tensor2D; ra: tf.Tensor1D; rb: tf.Tensor1D },
  cam: CameraFrame,
  tau: number,
  window: Window = { x0: 0, y0: 0, width: cam.width, height: cam.height },
): tf.Tensor2D {
  const { width: W, height: H } = window;
  const pa = projectTensor(caps.a, cam), pb = projectTensor(caps.b, cam);
  const C = caps.ra.shape[0];
  const rA = tf.reshape(tf.div(tf.mul(caps.ra, cam.focal), pa.z), [C, 1]), rB = tf.reshape(tf.div(tf.mul(caps.rb, cam.focal), pb.z), [C, 1]);
  const xs = new Float32Array(H * W), ys = new Float32Array(H * W);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) (xs[i * W + j] = window.x0 + j + 0.5), (ys[i * W + j] = window.y0 + i + 0.5);
  }
  const px = tf.tensor2d(xs, [1, H * W]), py = tf.tensor2d(ys, [1, H * W]);
  const [ax, ay] = tf.split(pa.uv, 2, 1) as tf.Tensor2D[]; // (C, 1) each
  const [bx, by] = tf.split(pb.uv, 2, 1) as tf.Tensor2D[];
  const dx = tf.sub(bx, ax), dy = tf.sub(by, ay);
  const l2 = tf.add(tf.add(tf.square(dx), tf.square(dy)), 1e-6);
  const t = tf.clipByValue(tf.div(tf.add(tf.mul(tf.sub(px, ax), dx), tf.mul(tf.sub(py, ay), dy)), l2), 0, 1); // (C, HW)
  const ex = tf.sub(px, tf.add(ax, tf.mul(t, dx))), ey = tf.sub(py, tf.add(ay, tf.mul(t, dy)));
  const dist = tf.sqrt(tf.add(tf.add(tf.square(ex), tf.square(ey)), 1e-6));
  const rho = tf.add(rA, tf.mul(tf.sub(rB, rA), t));
  const occ = tf.sigmoid(tf.div(tf.sub(rho, dist), tau)); // (C, HW)
  const empty = tf.exp(tf.sum(tf.log(tf.sub(1 + 1e-6, occ)), 0)); // (HW)
  return tf.reshape(tf.sub(1, empty), [H, W]) as tf.Tensor2D; // (H, W)
}
