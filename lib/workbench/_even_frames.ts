/**
 * The frames a pose extractor looks at in a clip: `count` indices spread
 * evenly over 0..frames−1 (the middle one for a single frame), shared by the
 * kept-checkpoint evaluation and the foundation score.
 *
 * @param frames the clip's frame count (>= 1)
 * @param count how many frames (1..frames)
 * @returns the frame indices, ascending
 * @example
 * ```ts
 * import { evenFrames } from "./_even_frames.ts";
 * console.log(evenFrames(9, 3)); // [0, 4, 8]
 * ```
 */
export function evenFrames(frames: number, count: number): number[] {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`Cannot pick frames of a clip of ${frames} frames: expected an integer >= 1`);
  if (!Number.isInteger(count) || count < 1 || count > frames) {
    throw new RangeError(`Cannot pick ${count} of ${frames} frames: expected an integer in 1..${frames}`);
  }
  if (count === 1) return [Math.floor((frames - 1) / 2)];
  return Array.from({ length: count }, (_, i) => Math.round((i * (frames - 1)) / (count - 1)));
}
