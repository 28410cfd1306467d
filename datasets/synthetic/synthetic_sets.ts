/**
 * The three synthetic sets and how a (set, index) pair becomes a clip.
 *
 * - `pretrain`: broad text-to-video pretraining corpus, every category at
 *   30 %;
 * - `finetune`: character-animation fine-tuning corpus resembling ordinary
 *   dance videos (mostly single realistic characters, front light);
 * - `realisdance-val-syn`: the fixed 100-clip evaluation set; clip i is forced
 *   to contain category `CATEGORIES[i % 6]`, the other categories appear at
 *   20 %, so every category is well represented.
 *
 * Seeds are disjoint by construction: set s owns the seed range
 * [base_s, base_s + 2^28) with bases 0x10000000, 0x20000000, 0x30000000,
 * so no evaluation clip is ever generated for training.
 *
 * @module
 */

import { CATEGORIES, type Category, type ClipSpec } from "../../lib/synthetic/clip_spec.ts";
import { type ClipSize, generateClip, type SyntheticClip } from "../../lib/synthetic/generate_clip.ts";
import { type CategoryRates, sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";

/** Names of the synthetic sets. */
export const SYNTHETIC_SETS = ["pretrain", "finetune", "realisdance-val-syn"] as const;
/** A synthetic set name. */
export type SyntheticSet = typeof SYNTHETIC_SETS[number];

/** Number of clips in the evaluation set. */
export const EVAL_SET_SIZE = 100;

/** Largest number of clips a set can index (seed range width). */
export const SET_CAPACITY = 2 ** 28;

const SEED_BASE: Readonly<Record<SyntheticSet, number>> = {
  pretrain: 0x10000000,
  finetune: 0x20000000,
  "realisdance-val-syn": 0x30000000,
};

/** Category rates per set (the eval set also forces one category per clip). */
export const SET_RATES: Readonly<Record<SyntheticSet, CategoryRates>> = {
  pretrain: {
    interaction: 0.3,
    lighting: 0.3,
    "rare-pose": 0.3,
    stylized: 0.3,
    "multi-character": 0.3,
    "camera-motion": 0.3,
  },
  finetune: {
    interaction: 0.15,
    lighting: 0.2,
    "rare-pose": 0.1,
    stylized: 0.15,
    "multi-character": 0.15,
    "camera-motion": 0.25,
  },
  "realisdance-val-syn": {
    interaction: 0.2,
    lighting: 0.2,
    "rare-pose": 0.2,
    stylized: 0.2,
    "multi-character": 0.2,
    "camera-motion": 0.2,
  },
};

/**
 * Number of clips a set can hold.
 *
 * @param set the set
 * @returns 100 for the eval set, `SET_CAPACITY` otherwise
 * @example
 * ```ts
 * import { setCapacity } from "./synthetic_sets.ts";
 * console.log(setCapacity("realisdance-val-syn")); // 100
 * ```
 */
export function setCapacity(set: SyntheticSet): number {
  return set === "realisdance-val-syn" ? EVAL_SET_SIZE : SET_CAPACITY;
}

/**
 * The seed of clip `index` of a set.
 *
 * @param set the set
 * @param index clip index, 0 ≤ index < capacity
 * @returns the seed
 * @example
 * ```ts
 * import { clipSeed } from "./synthetic_sets.ts";
 * console.log(clipSeed("finetune", 3)); // 536870915
 * ```
 */
export function clipSeed(set: SyntheticSet, index: number): number {
  if (!(set in SEED_BASE)) {
    throw new RangeError(
      `Cannot find synthetic set ${JSON.stringify(set)}: expected one of ${SYNTHETIC_SETS.join(", ")}`,
    );
  }
  const cap = setCapacity(set);
  if (!Number.isInteger(index) || index < 0 || index >= cap) {
    throw new RangeError(`Cannot index set ${set} as index must be an integer in [0, ${cap}): received ${index}`);
  }
  return SEED_BASE[set] + index;
}

/**
 * Categories clip `index` of a set is forced to contain.
 *
 * @param set the set
 * @param index clip index
 * @returns `[CATEGORIES[index % 6]]` for the eval set, `[]` otherwise
 * @example
 * ```ts
 * import { requiredCategories } from "./synthetic_sets.ts";
 * console.log(requiredCategories("realisdance-val-syn", 2)); // ["rare-pose"]
 * ```
 */
export function requiredCategories(set: SyntheticSet, index: number): Category[] {
  return set === "realisdance-val-syn" ? [CATEGORIES[index % CATEGORIES.length]] : [];
}

/**
 * The spec of clip `index` of a set.
 *
 * @param set the set
 * @param index clip index
 * @returns the clip spec
 * @example
 * ```ts
 * import { setClipSpec } from "./synthetic_sets.ts";
 * console.log(setClipSpec("realisdance-val-syn", 0).seed); // 805306368
 * ```
 */
export function setClipSpec(set: SyntheticSet, index: number): ClipSpec {
  return sampleClipSpec(clipSeed(set, index), { rates: SET_RATES[set], require: requiredCategories(set, index) });
}

/**
 * Renders clip `index` of a set (id `<set>/<index, 4+ digits>`).
 *
 * @param set the set
 * @param index clip index
 * @param size frames (4k + 1), height, width
 * @returns the clip with 3D ground truth
 * @example
 * ```ts
 * import { syntheticClip } from "./synthetic_sets.ts";
 * console.log(syntheticClip("pretrain", 0, { frames: 5, height: 32, width: 32 }).id); // "pretrain/0000"
 * ```
 */
export function syntheticClip(set: SyntheticSet, index: number, size: ClipSize): SyntheticClip {
  return generateClip(setClipSpec(set, index), size, { id: `${set}/${String(index).padStart(4, "0")}` });
}
