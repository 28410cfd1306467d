/**
 * MoveNet single-person body keypoints (COCO-17) on a whole image: the image
 * is padded to a centred square, resized to the net's input (192 or 256 px),
 * fed as int32 0..255; the net returns (y, x, score) per keypoint in the
 * square's normalised coordinates.
 *
 * References: vladmandic/human `src/body/movenet.ts`, `movenetfix.ts`
 * (`padInput`, `rescaleBody`); MoveNet model card (COCO-17 order, y-x output).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { cropRoi, cropToImage, fullImageRoi } from "./_crop.ts";

/** MoveNet's COCO-17 keypoint names, in output order. */
export const COCO17 = [
  "nose",
  "left_eye",
  "right_eye",
  "left_ear",
  "right_ear",
  "left_shoulder",
  "right_shoulder",
  "left_elbow",
  "right_elbow",
  "left_wrist",
  "right_wrist",
  "left_hip",
  "right_hip",
  "left_knee",
  "right_knee",
  "left_ankle",
  "right_ankle",
] as const;

/** Keypoints in image pixels. */
export interface Keypoints2d {
  /** (x, y) per keypoint, continuous pixel coordinates. */
  points: Float32Array;
  /** Confidence per keypoint in [0, 1]. */
  scores: Float32Array;
}

/**
 * Runs MoveNet on one image.
 *
 * @param model a loaded `movenet-lightning` or `movenet-thunder` graph model
 * @param image RGB [H, W, 3] float32 in [0, 1]
 * @returns COCO-17 keypoints (x, y) in image pixels and their scores
 * @example
 * ```ts ignore
 * import { detectMovenet } from "./detect_movenet.ts";
 * const { points, scores } = await detectMovenet(models.body, image);
 * ```
 */
export async function detectMovenet(model: GraphModel, image: tf.Tensor3D): Promise<Keypoints2d> {
  assertImage(image, "MoveNet");
  const [h, w] = image.shape;
  const size = model.inputs[0].shape?.[1] ?? 192;
  const roi = fullImageRoi(w, h);
  const input = tf.tidy(() => tf.cast(tf.round(tf.mul(cropRoi(image, roi, size), 255)), "int32"));
  const out = model.execute(input) as tf.Tensor; // (1, 1, 17, 3): y, x, score
  const raw = await out.data();
  tf.dispose([input, out]);
  const points = new Float32Array(34), scores = new Float32Array(17);
  for (let k = 0; k < 17; k++) {
    const [x, y] = cropToImage(roi, raw[3 * k + 1], raw[3 * k]);
    points[2 * k] = x;
    points[2 * k + 1] = y;
    scores[k] = raw[3 * k + 2];
  }
  return { points, scores };
}

/** Throws unless `image` is a float32 [H, W, 3] tensor. */
export function assertImage(image: tf.Tensor, who: string): void {
  if (image.rank !== 3 || image.shape[2] !== 3 || image.dtype !== "float32") {
    throw new RangeError(
      `Cannot run ${who}: expected an RGB image float32 [H, W, 3] in [0, 1], received ${image.dtype} [${image.shape}]`,
    );
  }
}
