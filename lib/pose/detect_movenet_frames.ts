/**
 * MoveNet on chosen frames of a batch of videos: one detection per (clip,
 * frame), clip-major. The evaluation of kept checkpoints and the foundation
 * score both look at a few evenly spaced frames of every clip; this is that
 * loop, with one tensor alive at a time.
 *
 * References: MoveNet model card (COCO-17 order); see {@link detectMovenet}.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { detectMovenet, type Keypoints2d } from "./detect_movenet.ts";

/**
 * Runs MoveNet on frames `at` of every clip in `videos`.
 *
 * @param model a loaded `movenet-lightning` or `movenet-thunder` graph model
 * @param videos RGB videos [N, F, H, W, 3] in [0, 1], flat
 * @param shape [N, F, H, W, 3]
 * @param at the frame indices to look at in every clip (each in 0..F−1)
 * @param onClip called with the number of clips done after each clip (for a progress bar)
 * @returns N·at.length COCO-17 detections, clip-major: clip i's frame at[j] is entry i·at.length + j
 * @throws {RangeError} when the shape does not match the data, or a frame index is outside 0..F−1
 * @example
 * ```ts ignore
 * import { detectMovenetFrames } from "./detect_movenet_frames.ts";
 * const found = await detectMovenetFrames(model, videos, [2, 9, 32, 32, 3], [0, 4, 8]);
 * console.log(found.length); // 6
 * ```
 */
export async function detectMovenetFrames(
  model: GraphModel,
  videos: Float32Array,
  shape: readonly number[],
  at: readonly number[],
  onClip?: (done: number) => void,
): Promise<Keypoints2d[]> {
  if (shape.length !== 5 || shape[4] !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`Cannot detect on videos of shape [${shape}]: expected [N, F, H, W, 3] with positive sizes`);
  }
  const [n, frames, h, w] = shape;
  const px = h * w * 3;
  if (videos.length !== n * frames * px) {
    throw new RangeError(`Cannot detect on videos of shape [${shape}]: expected ${n * frames * px} values, received ${videos.length}`);
  }
  for (const f of at) {
    if (!Number.isInteger(f) || f < 0 || f >= frames) {
      throw new RangeError(`Cannot detect on frame ${f}: expected an integer in 0..${frames - 1}`);
    }
  }
  const out: Keypoints2d[] = [];
  for (let i = 0; i < n; i++) {
    for (const f of at) {
      const start = (i * frames + f) * px;
      const image = tf.tensor3d(videos.subarray(start, start + px), [h, w, 3]); // (H, W, 3)
      try {
        out.push(await detectMovenet(model, image)); // padded to a square and resized to the net's input
      } finally {
        image.dispose();
      }
    }
    onClip?.(i + 1);
  }
  return out;
}
