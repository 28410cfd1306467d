/**
 * Stacks clips into model-layout tensors: channel-first like Wan
 * ([B, C, F, H, W]), images mapped from [0, 1] to [−1, 1] (the VAE's input
 * range), the mask kept in {0, 1}.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { Clip } from "./clip.ts";

/** A batch of clips as tensors (the caller disposes them, e.g. with `disposeBatch`). */
export interface ClipBatch {
  /** [B, 3, F, H, W] in [−1, 1]. */
  video: tf.Tensor5D;
  /** [B, 3, 1, H, W] in [−1, 1]. */
  reference: tf.Tensor5D;
  /** Each [B, 3, F, H, W] in [−1, 1]. */
  poses: { skeleton: tf.Tensor5D; hands: tf.Tensor5D; body: tf.Tensor5D };
  /** [B, 1, F, H, W] in {0, 1}. */
  mask: tf.Tensor5D;
  captions: string[];
  ids: string[];
}

/**
 * Collates clips of equal size into tensors.
 *
 * @param clips one or more clips with equal frames, height and width
 * @returns the batch tensors
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { collateClips } from "./collate_clips.ts";
 * const n = 4;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3).fill(1), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * const b = collateClips([clip]);
 * console.log(b.video.shape); // [1, 3, 1, 2, 2]
 * ```
 */
export function collateClips(clips: readonly Clip[]): ClipBatch {
  if (clips.length === 0) throw new RangeError("Cannot collate clips: received 0 clips, expected at least 1");
  const { frames: F, height: H, width: W } = clips[0];
  for (const c of clips) {
    if (c.frames !== F || c.height !== H || c.width !== W) {
      throw new RangeError(
        `Cannot collate clips of different sizes: ${
          clips[0].id
        } is ${F}x${H}x${W}, ${c.id} is ${c.frames}x${c.height}x${c.width}`,
      );
    }
  }
  const B = clips.length;
  const HW = H * W;
  // (F, H, W, 3) in [0, 1] → (3, F, H, W) in [−1, 1], per clip.
  const channelsFirst = (get: (c: Clip) => Float32Array, frames: number): tf.Tensor5D => {
    const per = 3 * frames * HW;
    const out = new Float32Array(B * per);
    clips.forEach((c, b) => {
      const src = get(c);
      for (let ch = 0; ch < 3; ch++) {
        for (let f = 0; f < frames; f++) {
          const dst = b * per + (ch * frames + f) * HW;
          const s0 = f * HW * 3 + ch;
          for (let p = 0; p < HW; p++) out[dst + p] = 2 * src[s0 + p * 3] - 1;
        }
      }
    });
    return tf.tensor5d(out, [B, 3, frames, H, W]);
  };
  const mask = new Float32Array(B * F * HW);
  clips.forEach((c, b) => mask.set(c.mask, b * F * HW));
  return {
    video: channelsFirst((c) => c.video, F),
    reference: channelsFirst((c) => c.reference, 1),
    poses: {
      skeleton: channelsFirst((c) => c.poses.skeleton, F),
      hands: channelsFirst((c) => c.poses.hands, F),
      body: channelsFirst((c) => c.poses.body, F),
    },
    mask: tf.tensor5d(mask, [B, 1, F, H, W]), // (B, 1, F, H, W)
    captions: clips.map((c) => c.caption),
    ids: clips.map((c) => c.id),
  };
}

/**
 * Disposes every tensor of a batch.
 *
 * @param batch the batch
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { collateClips, disposeBatch } from "./collate_clips.ts";
 * const n = 4;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * disposeBatch(collateClips([clip]));
 * ```
 */
export function disposeBatch(batch: ClipBatch): void {
  tf.dispose([batch.video, batch.reference, batch.poses.skeleton, batch.poses.hands, batch.poses.body, batch.mask]);
}
