/**
 * The synthetic corpus's definitions: its three sets (seed ranges, category
 * rates; a (set, index) pair becomes a clip of lib/synthetic's generator),
 * long clips of a set's spec, the shard cache under datasets/cache, the
 * evaluation set's manifest (built by `deno task data:eval-set`).
 *
 * @module
 */
export {
  clipSeed,
  EVAL_SET_SIZE,
  requiredCategories,
  SET_CAPACITY,
  SET_RATES,
  setCapacity,
  setClipSpec,
  SYNTHETIC_SETS,
  syntheticClip,
} from "./synthetic_sets.ts";
export type { SyntheticSet } from "./synthetic_sets.ts";
export { syntheticLongClip } from "./synthetic_long_clip.ts";
export type { SyntheticLongClipOptions } from "./synthetic_long_clip.ts";
export { DEFAULT_CACHE_ROOT, DEFAULT_SHARD_SIZE, syntheticShard, syntheticShardDir } from "./synthetic_shard.ts";
export type { SyntheticShardOptions } from "./synthetic_shard.ts";
export { buildEvalManifest, MANIFEST_HASH_SIZES, sizeKey } from "./eval_manifest.ts";
export type { EvalManifest, EvalManifestClip } from "./eval_manifest.ts";
