/**
 * The clips of a run: training clips from the start of a synthetic set, a
 * held-out validation range far past them, and the fixed evaluation set
 * `realisdance-val-syn` (its first N clips, as versioned in
 * datasets/realisdance-val-syn/manifest.json). The dataset does not change
 * with the run seed; the seed changes initialisation, order and noise.
 */
import type { Clip } from "../data/clip.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
import { EVAL_SET_SIZE, type SyntheticSet } from "../../datasets/synthetic/synthetic_sets.ts";

/** First index of the validation range inside a training set. */
export const VALIDATION_OFFSET = 2 ** 27;

/** Which clips. */
export interface ClipSelection {
  set: SyntheticSet;
  /** "train": indices 0..count−1; "val": VALIDATION_OFFSET + i; "eval": the evaluation set. */
  split: "train" | "val" | "eval";
  count: number;
  frames: number;
  height: number;
  width: number;
}

/**
 * @param sel the set, split, count and clip size
 * @param skip clips of the split to skip first (a later chunk of the same sequence)
 * @returns the generated clips (deterministic): clips skip … skip+count−1 of the split
 */
export function makeClips(sel: ClipSelection, skip = 0): Clip[] {
  if (!Number.isInteger(skip) || skip < 0) throw new RangeError(`Cannot skip ${skip} clips: expected an integer >= 0`);
  if (sel.split === "eval" && skip + sel.count > EVAL_SET_SIZE) {
    throw new RangeError(`Cannot take evaluation clips ${skip}…${skip + sel.count - 1}: realisdance-val-syn has ${EVAL_SET_SIZE}`);
  }
  const set: SyntheticSet = sel.split === "eval" ? "realisdance-val-syn" : sel.set;
  const first = (sel.split === "val" ? VALIDATION_OFFSET : 0) + skip;
  const size = { frames: sel.frames, height: sel.height, width: sel.width };
  return Array.from({ length: sel.count }, (_, i) => syntheticClip(set, first + i, size));
}
