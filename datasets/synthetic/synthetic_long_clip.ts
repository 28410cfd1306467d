/**
 * The synthetic generator's long-clip mode: clip `index` of a set continued
 * past its usual two seconds at the frame rate of a `clipFrames`-frame clip,
 * so a driving pose sequence N frames long moves as fast, frame to frame, as
 * the clips a model was trained on. Its first `clipFrames` frames (and poses,
 * masks, keypoints) are those of `syntheticClip(set, index, { frames:
 * clipFrames, … })`: frame f is rendered at time f·CLIP_DURATION/(clipFrames − 1)
 * whatever N is, because the clip's duration grows with N and motions,
 * camera and light are defined at any time. (Asking `syntheticClip` itself
 * for more frames samples the same two seconds more densely: slower motion.)
 * The reference image stays the one at the spec's reference time, which a
 * long clip may reach.
 *
 * References: lib/synthetic/generate_clip.ts (frames spread evenly over
 * `spec.duration`), motion.ts (motions defined for any t).
 *
 * @module
 */
import { type ClipSize, generateClip, type SyntheticClip } from "../../lib/synthetic/generate_clip.ts";
import { CLIP_DURATION } from "../../lib/synthetic/sample_clip_spec.ts";
import { setClipSpec, type SyntheticSet } from "./synthetic_sets.ts";

/** Options of {@link syntheticLongClip}. */
export interface SyntheticLongClipOptions {
  /** The ordinary clip length whose frame rate is kept (4k + 1, >= 2). */
  clipFrames: number;
}

/**
 * @param set the synthetic set
 * @param index clip index
 * @param size frames N (4k + 1, >= clipFrames), height, width
 * @param options the ordinary clip length
 * @returns the long clip (id `<set>/<index>@<N>x<clipFrames>`)
 * @throws {RangeError} when clipFrames < 2 or N < clipFrames
 * @example
 * ```ts
 * import { syntheticLongClip } from "./synthetic_long_clip.ts";
 * const c = syntheticLongClip("realisdance-val-syn", 0, { frames: 17, height: 16, width: 16 }, { clipFrames: 9 });
 * console.log(c.frames, c.id); // 17 "realisdance-val-syn/0000@17x9"
 * ```
 */
export function syntheticLongClip(
  set: SyntheticSet,
  index: number,
  size: ClipSize,
  options: SyntheticLongClipOptions,
): SyntheticClip {
  const { clipFrames } = options;
  if (!Number.isInteger(clipFrames) || clipFrames < 2) {
    throw new RangeError(`Cannot keep the frame rate of a ${clipFrames}-frame clip: expected an integer >= 2`);
  }
  if (!Number.isInteger(size.frames) || size.frames < clipFrames) {
    throw new RangeError(
      `Cannot make a long clip of ${size.frames} frames from ${clipFrames}-frame clips: expected an integer >= ${clipFrames}`,
    );
  }
  const spec = setClipSpec(set, index);
  const duration = (CLIP_DURATION * (size.frames - 1)) / (clipFrames - 1);
  const id = `${set}/${String(index).padStart(4, "0")}@${size.frames}x${clipFrames}`;
  return generateClip({ ...spec, duration }, size, { id });
}
