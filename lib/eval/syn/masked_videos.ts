/**
 * Videos with their character masks, and reference images with theirs: the
 * inputs of the crop-based `-syn` consistency metrics.
 *
 * References: lib/data/clip.ts (mask [F, H, W], 1 on character pixels);
 * the pipeline's samples/masks.safetensors (key `mask` [N, F, H, W]).
 */
import type { VideoLike } from "../video.ts";

/** Character masks [N, F, H, W] (1 = character), float or 8-bit 0/1 (any value > 0.5 counts). */
export interface MaskBatch {
  data: Float32Array | Uint8Array;
  shape: [number, number, number, number];
}

/** Videos [N, F, H, W, C] in [0, 1] and the masks of their characters [N, F, H, W]. */
export interface MaskedVideos {
  videos: VideoLike;
  masks: MaskBatch;
}

/** One conditioning image per video, [N, H, W, 3] in [0, 1], and its character mask [N, H, W]. */
export interface ReferenceImages {
  images: { data: Float32Array; shape: [number, number, number, number] };
  masks: { data: Float32Array | Uint8Array; shape: [number, number, number] };
}

/**
 * Checks a mask batch against the video shape it belongs to.
 *
 * @param masks the masks
 * @param videoShape [N, F, H, W, C] of the videos
 * @returns the masks
 * @example
 * ```ts
 * import { toMaskBatch } from "./masked_videos.ts";
 * const m = toMaskBatch({ data: new Float32Array(4), shape: [1, 1, 2, 2] }, [1, 1, 2, 2, 3]);
 * console.log(m.shape); // [1, 1, 2, 2]
 * ```
 */
export function toMaskBatch(masks: MaskBatch, videoShape: readonly number[]): MaskBatch {
  const s = masks?.shape;
  if (!Array.isArray(s) || s.length !== 4 || s.some((v, i) => v !== videoShape[i])) {
    throw new RangeError(
      `Cannot use masks: expected shape [${videoShape.slice(0, 4)}] to match videos [${videoShape}], received ${
        JSON.stringify(s)
      }`,
    );
  }
  if (!(masks.data instanceof Float32Array) && !(masks.data instanceof Uint8Array)) {
    throw new TypeError("Cannot use masks: data must be a Float32Array or Uint8Array");
  }
  if (masks.data.length !== s[0] * s[1] * s[2] * s[3]) {
    throw new RangeError(
      `Cannot use masks: shape [${s}] needs ${s[0] * s[1] * s[2] * s[3]} values, received ${masks.data.length}`,
    );
  }
  return masks;
}
