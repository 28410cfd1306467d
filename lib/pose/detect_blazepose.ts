/**
 * BlazePose landmarks (33 points with relative depth) on a whole image: the
 * image is padded to a centred square and resized to 256 px in [0, 1]; output
 * `ld_3d` holds (x, y, z, visibility, presence) per landmark with x, y, z in
 * input pixels (z relative to the hips' midpoint, smaller is nearer the
 * camera) and visibility/presence as logits; `output_poseflag` is the
 * probability that a person is present.
 *
 * References: vladmandic/human `src/body/blazepose.ts` (`prepareImage`,
 * `detectLandmarks`: sigmoid of visibility and presence); MediaPipe Pose
 * landmark model card (33-point topology, auxiliary points 33–38 unused here).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { cropRoi, cropToImage, fullImageRoi, type Roi } from "./_crop.ts";
import { assertImage } from "./detect_movenet.ts";

/** The 33 BlazePose landmark names. */
export const BLAZEPOSE33 = [
  "nose",
  "left_eye_inner",
  "left_eye",
  "left_eye_outer",
  "right_eye_inner",
  "right_eye",
  "right_eye_outer",
  "left_ear",
  "right_ear",
  "mouth_left",
  "mouth_right",
  "left_shoulder",
  "right_shoulder",
  "left_elbow",
  "right_elbow",
  "left_wrist",
  "right_wrist",
  "left_pinky",
  "right_pinky",
  "left_index",
  "right_index",
  "left_thumb",
  "right_thumb",
  "left_hip",
  "right_hip",
  "left_knee",
  "right_knee",
  "left_ankle",
  "right_ankle",
  "left_heel",
  "right_heel",
  "left_foot_index",
  "right_foot_index",
] as const;

/** BlazePose output in image pixels. */
export interface BlazePoseLandmarks {
  /** (x, y, z) per landmark; z in pixels relative to the hips, smaller is nearer. */
  points: Float32Array;
  /** sigmoid(visibility) · sigmoid(presence) per landmark. */
  scores: Float32Array;
  /** Probability that a person is in the image. */
  poseScore: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Runs the BlazePose landmark net on one image (or a square region of it).
 *
 * @param model a loaded `blazepose-lite` or `blazepose-full` graph model
 * @param image RGB [H, W, 3] float32 in [0, 1]
 * @param options `roi`: the square region to look at (default the whole image padded to a square)
 * @returns 33 landmarks in image pixels, their scores and the person score
 * @example
 * ```ts ignore
 * import { detectBlazePose } from "./detect_blazepose.ts";
 * const { points, poseScore } = await detectBlazePose(models.landmarks, image);
 * ```
 */
export async function detectBlazePose(
  model: GraphModel,
  image: tf.Tensor3D,
  options: { roi?: Roi } = {},
): Promise<BlazePoseLandmarks> {
  assertImage(image, "BlazePose");
  const [h, w] = image.shape;
  const size = model.inputs[0].shape?.[1] ?? 256;
  const roi = options.roi ?? fullImageRoi(w, h);
  const input = cropRoi(image, roi, size);
  const [ld, flag] = model.execute(input, ["ld_3d", "output_poseflag"]) as tf.Tensor[]; // (1, 195), (1, 1)
  const raw = await ld.data();
  const poseScore = (await flag.data())[0];
  tf.dispose([input, ld, flag]);
  const points = new Float32Array(33 * 3), scores = new Float32Array(33);
  const scale = roi.side / size;
  for (let k = 0; k < 33; k++) {
    const [x, y] = cropToImage(roi, raw[5 * k] / size, raw[5 * k + 1] / size);
    points[3 * k] = x;
    points[3 * k + 1] = y;
    points[3 * k + 2] = raw[5 * k + 2] * scale;
    scores[k] = sigmoid(raw[5 * k + 3]) * sigmoid(raw[5 * k + 4]);
  }
  return { points, scores, poseScore };
}
