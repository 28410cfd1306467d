/**
 * Person matting: an alpha matte in [0, 1] per frame, from MediaPipe Selfie
 * segmentation (per image: resized to 256×256 in [0, 1], sigmoid output) or
 * Robust Video Matting (recurrent: the hidden states r1..r4 carry over from
 * frame to frame of one sequence).
 *
 * References: vladmandic/human `src/segmentation/selfie.ts`,
 * `src/segmentation/rvm.ts` (inputs src, r1i..r4i, downsample_ratio; outputs
 * fgr, pha, r1o..r4o); Lin et al. 2021, Robust High-Resolution Video Matting
 * with Temporal Guidance.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { assertImage } from "./detect_movenet.ts";

/** Options of `segmentPerson`. */
export interface SegmentPersonOptions {
  /** Which net `model` is (default "selfie"). */
  kind?: "selfie" | "rvm";
  /** RVM's downsample ratio (default min(1, 512 / longest side)). */
  downsampleRatio?: number;
}

/**
 * Mattes a sequence of frames (RVM carries its state along the sequence;
 * Selfie treats frames independently).
 *
 * @param model a loaded `selfie` or `rvm` graph model
 * @param frames RGB images [H, W, 3] float32 in [0, 1], all the same size
 * @param options the net's kind and RVM's downsample ratio
 * @returns one alpha matte [H · W] in [0, 1] per frame
 * @example
 * ```ts ignore
 * import { segmentPerson } from "./segment_person.ts";
 * const [alpha] = await segmentPerson(models.matting, [image]);
 * ```
 */
export async function segmentPerson(
  model: GraphModel,
  frames: readonly tf.Tensor3D[],
  options: SegmentPersonOptions = {},
): Promise<Float32Array[]> {
  const kind = options.kind ?? "selfie";
  const out: Float32Array[] = [];
  if (kind === "selfie") {
    const size = model.inputs[0].shape?.[1] ?? 256;
    for (const f of frames) {
      assertImage(f, "Selfie segmentation");
      const [h, w] = f.shape;
      const alpha = tf.tidy(() => {
        const x = tf.image.resizeBilinear(tf.expandDims(f, 0) as tf.Tensor4D, [size, size], false, true); // (1, 256, 256, 3)
        const y = model.execute(x) as tf.Tensor4D; // (1, 256, 256, 1)
        return tf.clipByValue(tf.image.resizeBilinear(y, [h, w], false, true), 0, 1);
      });
      out.push(Float32Array.from(await alpha.data()));
      alpha.dispose();
    }
    return out;
  }
  if (kind !== "rvm") {
    throw new RangeError(`Cannot segment persons with a net of kind ${JSON.stringify(kind)}: expected "selfie" or "rvm"`);
  }
  let state: tf.Tensor[] = [tf.scalar(0), tf.scalar(0), tf.scalar(0), tf.scalar(0)];
  try {
    for (const f of frames) {
      assertImage(f, "Robust Video Matting");
      const [h, w] = f.shape;
      const ratio = options.downsampleRatio ?? Math.min(1, 512 / Math.max(h, w));
      const src = tf.expandDims(f, 0); // (1, H, W, 3)
      const dr = tf.scalar(ratio);
      const feeds: Record<string, tf.Tensor> = { src, downsample_ratio: dr };
      state.forEach((s, i) => (feeds[`r${i + 1}i`] = s));
      const [pha, r1, r2, r3, r4] = await model.executeAsync(feeds, ["pha", "r1o", "r2o", "r3o", "r4o"]) as tf.Tensor[];
      tf.dispose([src, dr, ...state]);
      state = [r1, r2, r3, r4];
      const alpha = tf.tidy(() => tf.clipByValue(tf.reshape(pha, [h * w]), 0, 1)); // (H·W)
      out.push(Float32Array.from(await alpha.data()));
      tf.dispose([alpha, pha]);
    }
  } finally {
    tf.dispose(state);
  }
  return out;
}
