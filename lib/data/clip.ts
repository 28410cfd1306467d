/**
 * One training/evaluation clip in pixel space: the video, a reference image
 * of the same character(s), the three pose-condition videos, the character
 * mask, ground-truth 2D keypoints, a caption and category labels.
 *
 * Layout: channel-last float32 in [0, 1], as produced by the data pipeline;
 * `batches()` turns clips into channel-first tensors in [−1, 1].
 *
 * @module
 */

/** A clip (all arrays row-major). */
export interface Clip {
  /** Stable identifier, e.g. "realisdance-val-syn/0007". */
  id: string;
  frames: number;
  height: number;
  width: number;
  /** RGB frames [F, H, W, 3] in [0, 1]. */
  video: Float32Array;
  /** RGB reference image [H, W, 3] in [0, 1]. */
  reference: Float32Array;
  /** Pose-condition videos, each [F, H, W, 3] in [0, 1]. */
  poses: {
    /** DWPose/OpenPose body skeleton drawing. */
    skeleton: Float32Array;
    /** HaMeR-style hand render. */
    hands: Float32Array;
    /** SMPL-CS-style body render. */
    body: Float32Array;
  };
  /** Character mask [F, H, W], 1 on character pixels, else 0. */
  mask: Float32Array;
  /**
   * Character mask of the reference image [H, W] where the source knows it (ingested videos: the matting net's);
   * absent for synthetic clips, whose evaluation re-renders it from the clip's spec.
   */
  referenceMask?: Float32Array;
  /** Number of persons in `keypoints`. */
  persons: number;
  /** Keypoints per person (60: COCO-18, left hand 21, right hand 21). */
  keypointsPerPerson: number;
  /** Pixel coordinates (x, y) [F, persons, K, 2]; pixel (i, j) spans [j, j+1) × [i, i+1). */
  keypoints: Float32Array;
  /** 1 where the keypoint is visible (inside the frame), else 0 [F, persons, K]. */
  visibility: Float32Array;
  caption: string;
  categories: string[];
}

/**
 * Checks that a clip's arrays have the sizes its header announces.
 *
 * @param clip the clip
 * @returns the clip
 * @example
 * ```ts
 * import { assertClip } from "./clip.ts";
 * const f = 1, h = 2, w = 2, n = f * h * w;
 * assertClip({ id: "x", frames: f, height: h, width: w, video: new Float32Array(n * 3), reference: new Float32Array(h * w * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "", categories: [] });
 * ```
 */
export function assertClip(clip: Clip): Clip {
  const { frames: f, height: h, width: w } = clip;
  for (const [k, v] of [["frames", f], ["height", h], ["width", w]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`Cannot use clip ${clip.id} as ${k} must be a positive integer: received ${v}`);
    }
  }
  const expect: Array<[string, ArrayLike<number>, number]> = [
    ["video", clip.video, f * h * w * 3],
    ["reference", clip.reference, h * w * 3],
    ["poses.skeleton", clip.poses.skeleton, f * h * w * 3],
    ["poses.hands", clip.poses.hands, f * h * w * 3],
    ["poses.body", clip.poses.body, f * h * w * 3],
    ["mask", clip.mask, f * h * w],
    ...(clip.referenceMask ? [["referenceMask", clip.referenceMask, h * w] as [string, ArrayLike<number>, number]] : []),
    ["keypoints", clip.keypoints, f * clip.persons * clip.keypointsPerPerson * 2],
    ["visibility", clip.visibility, f * clip.persons * clip.keypointsPerPerson],
  ];
  for (const [name, arr, n] of expect) {
    if (arr.length !== n) {
      throw new RangeError(
        `Cannot use clip ${clip.id} as ${name} must have ${n} values for its header: received ${arr.length}`,
      );
    }
  }
  return clip;
}
