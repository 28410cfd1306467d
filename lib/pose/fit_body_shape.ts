/**
 * Body-shape alignment, the workbench's SMPLify-X step: the body-shape
 * parameters (height, chibi proportions, build, leg ratio) of the synthetic
 * body model are fitted by gradient descent (Adam, through TensorFlow.js) so
 * that the body, in a known pose seen by a known camera, projects onto a
 * reference image's silhouette (a soft silhouette: capsules rasterised with a
 * sigmoid of the signed distance) and its 2D keypoints.
 *
 * Loss = silhouetteWeight · (1 − soft IoU) + keypointWeight · mean over
 * visible keypoints of |projected − target|² / H². Parameters are kept in
 * range through sigmoids: height = 0.5 + 2 σ(z), chibi = σ(z), build = σ(z),
 * legRatio = 0.85 + 0.3 σ(z).
 *
 * The pose of the reference image must be given (the synthetic corpus knows
 * it); fitting a real photograph would first need its 3D pose.
 *
 * References: Pavlakos et al. 2019, SMPLify-X (§3: fitting shape to 2D
 * keypoints by optimisation); RealisDance-DiT §3.2 (shape alignment of the
 * driving pose to the reference); Liu et al. 2019, Soft Rasterizer.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { BodyShapeParams } from "../synthetic/body_shape.ts";
import { J, JOINTS, LEFT_HAND, RIGHT_HAND } from "../synthetic/forward_kinematics.ts";
import { KEYPOINTS_PER_PERSON } from "../synthetic/keypoints.ts";
import type { CameraFrame } from "../synthetic/scene.ts";
import {
  bodyCapsulesTensor,
  bodyMaps,
  bodyShapeTensor,
  jointsTensor,
  poseBasis,
  projectTensor,
  shapeVector,
  softSilhouette,
} from "./_body_model.ts";

/** What the reference image shows. */
export interface BodyShapeTarget {
  /** (x, y) × 60 pixels (the workbench layout). */
  keypoints: Float32Array;
  /** 0/1 × 60. */
  visibility: Float32Array;
  /** Person mask [H, W] (H, W = the camera's). */
  silhouette: Float32Array;
}

/** Options of `fitBodyShape`. */
export interface FitBodyShapeOptions {
  /** Pose vector of the reference (POSE_DOFS order). */
  pose: ArrayLike<number>;
  /** World x, z of the pelvis. */
  place: [number, number];
  camera: CameraFrame;
  /** Starting shape (default height 1.7, chibi 0.05, build 0.5, legRatio 1). */
  init?: BodyShapeParams;
  /** Adam steps (default 150). */
  steps?: number;
  /** Adam learning rate on the unconstrained parameters (default 0.05). */
  learningRate?: number;
  /** Soft-edge width in pixels (default 0.7). */
  tau?: number;
  silhouetteWeight?: number;
  keypointWeight?: number;
}

/** Result of `fitBodyShape`. */
export interface FitBodyShapeResult {
  params: Required<BodyShapeParams>;
  /** Loss before each step. */
  losses: number[];
  /** Hard IoU (soft silhouette ≥ 0.5) with the target before and after, over the target's box grown by 20%. */
  iouBefore: number;
  iouAfter: number;
}

/** COCO-18 → skeleton joint (−1: neck, the shoulders' midpoint), as lib/synthetic/keypoints.ts. */
const COCO_TO_JOINT = [
  J.nose, -1, J.right_shoulder, J.right_elbow, J.right_wrist, J.left_shoulder, J.left_elbow, J.left_wrist,
  J.right_hip, J.right_knee, J.right_ankle, J.left_hip, J.left_knee, J.left_ankle, J.right_eye, J.left_eye,
  J.right_ear, J.left_ear,
];

/** [60, JOINTS] matrix taking joints to the 60 keypoints. */
function keypointMatrix(): tf.Tensor2D {
  const NJ = JOINTS.length, K = KEYPOINTS_PER_PERSON;
  const m = new Float32Array(K * NJ);
  COCO_TO_JOINT.forEach((j, k) => {
    if (j >= 0) m[k * NJ + j] = 1;
    else (m[k * NJ + J.left_shoulder] = 0.5), (m[k * NJ + J.right_shoulder] = 0.5);
  });
  for (let k = 0; k < 21; k++) (m[(18 + k) * NJ + LEFT_HAND + k] = 1), (m[(39 + k) * NJ + RIGHT_HAND + k] = 1);
  return tf.tensor2d(m, [K, NJ]);
}

const logit = (p: number) => Math.log(p / (1 - p));
const clampUnit = (x: number) => Math.min(1 - 1e-4, Math.max(1e-4, x));

/**
 * Fits body-shape parameters to a reference image.
 *
 * @param target the reference's keypoints, visibility and silhouette
 * @param options its pose, placement and camera; start, steps, learning rate, weights
 * @returns the fitted parameters, the loss curve and the IoU before/after
 * @example
 * ```ts ignore
 * import { fitBodyShape } from "./fit_body_shape.ts";
 * const fit = fitBodyShape({ keypoints, visibility, silhouette }, { pose, place: [0, 0], camera });
 * console.log(fit.params.height, fit.iouAfter);
 * ```
 */
export function fitBodyShape(target: BodyShapeTarget, options: FitBodyShapeOptions): FitBodyShapeResult {
  const cam = options.camera;
  const { width: W, height: H } = cam;
  const K = KEYPOINTS_PER_PERSON;
  if (target.silhouette.length !== H * W) {
    throw new RangeError(`Cannot fit a body shape as the silhouette must have ${H}·${W} values: received ${target.silhouette.length}`);
  }
  if (target.keypoints.length !== 2 * K || target.visibility.length !== K) {
    throw new RangeError(
      `Cannot fit a body shape as keypoints/visibility must have ${2 * K}/${K} values: received ${target.keypoints.length}/${target.visibility.length}`,
    );
  }
  const init = { chibi: 0.05, build: 0.5, legRatio: 1, height: 1.7, ...options.init };
  const steps = options.steps ?? 150;
  const tau = options.tau ?? 0.7;
  const ws = options.silhouetteWeight ?? 1, wk = options.keypointWeight ?? 1;
  const maps = bodyMaps(poseBasis(options.pose, options.place));
  const z0 = tf.tensor1d([
    logit(clampUnit((init.height - 0.5) / 2)),
    logit(clampUnit(init.chibi)),
    logit(clampUnit(init.build)),
    logit(clampUnit((init.legRatio - 0.85) / 0.3)),
  ]);
  const z = tf.variable(z0);
  z0.dispose();
  // Work in the target's bounding box grown by 20% (+2 px): both silhouettes are ~0 outside it.
  let bx0 = W, bx1 = -1, by0 = H, by1 = -1;
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      if (target.silhouette[i * W + j] >= 0.5) (bx0 = Math.min(bx0, j)), (bx1 = Math.max(bx1, j)), (by0 = Math.min(by0, i)), (by1 = Math.max(by1, i));
    }
  }
  if (bx1 < 0) throw new RangeError("Cannot fit a body shape to an empty silhouette: no pixel >= 0.5");
  const mx = Math.ceil(0.2 * (bx1 - bx0 + 1)) + 2, my = Math.ceil(0.2 * (by1 - by0 + 1)) + 2;
  const x0 = Math.max(0, bx0 - mx), y0 = Math.max(0, by0 - my);
  const win = { x0, y0, width: Math.min(W, bx1 + mx + 1) - x0, height: Math.min(H, by1 + my + 1) - y0 };
  const sil = tf.tidy(() => tf.slice(tf.tensor2d(target.silhouette, [H, W]), [y0, x0], [win.height, win.width]));
  const kpT = tf.tensor2d(target.keypoints, [K, 2]);
  const vis = tf.tensor1d(target.visibility);
  const nVis = Math.max(1, target.visibility.reduce((a, b) => a + b, 0));
  const M = keypointMatrix();
  const params = (zz: tf.Tensor1D) => {
    const s = tf.sigmoid(zz);
    return tf.add(tf.mul(s, tf.tensor1d([2, 1, 1, 0.3])), tf.tensor1d([0.5, 0, 0, 0.85])) as tf.Tensor1D;
  };
  const render = (zz: tf.Tensor1D) => {
    const s = shapeVector(bodyShapeTensor(params(zz)));
    const joints = jointsTensor(s, maps);
    return { soft: softSilhouette(bodyCapsulesTensor(s, joints, maps), cam, tau, win), joints };
  };
  const lossOf = (zz: tf.Tensor1D) => {
    const { soft, joints } = render(zz);
    const inter = tf.sum(tf.mul(soft, sil));
    const union = tf.sub(tf.add(tf.sum(soft), tf.sum(sil)), inter);
    const lsil = tf.sub(1, tf.div(inter, tf.add(union, 1e-6)));
    const kp = projectTensor(tf.matMul(M, joints) as tf.Tensor2D, cam).uv; // (60, 2)
    const d2 = tf.sum(tf.square(tf.sub(kp, kpT)), 1); // (60)
    const lkp = tf.div(tf.sum(tf.mul(d2, vis)), nVis * H * H);
    return tf.add(tf.mul(ws, lsil), tf.mul(wk, lkp)) as tf.Scalar;
  };
  const hardIou = () =>
    tf.tidy(() => {
      const on = tf.cast(tf.greaterEqual(render(z).soft, 0.5), "float32");
      const t = tf.cast(tf.greaterEqual(sil, 0.5), "float32");
      const inter = tf.sum(tf.mul(on, t)).dataSync()[0];
      const union = tf.sum(tf.maximum(on, t)).dataSync()[0];
      return union > 0 ? inter / union : 1;
    });
  const iouBefore = hardIou();
  const opt = tf.train.adam(options.learningRate ?? 0.05);
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const loss = opt.minimize(() => lossOf(z as unknown as tf.Tensor1D), true, [z]) as tf.Scalar;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    const iouAfter = hardIou();
    const p = tf.tidy(() => params(z as unknown as tf.Tensor1D).dataSync());
    return {
      params: { height: p[0], chibi: p[1], build: p[2], legRatio: p[3] },
      losses,
      iouBefore,
      iouAfter,
    };
  } finally {
    opt.dispose();
    tf.dispose([z, sil, kpT, vis, M]);
    maps.dispose();
  }
}
