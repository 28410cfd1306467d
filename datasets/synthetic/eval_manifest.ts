/**
 * The manifest of the fixed evaluation set `realisdance-val-syn`: for every
 * clip its id, seed, forced and actual categories, style, motions, caption
 * and content hashes at the reference clip sizes, plus category counts and
 * the generator version. `build_eval_set.ts` writes it to
 * datasets/realisdance-val-syn/manifest.json; tests regenerate and compare.
 *
 * @module
 */

import { clipContentHash } from "../../lib/data/clip_content_hash.ts";
import { CATEGORIES, type Category, clipCategories } from "../../lib/synthetic/clip_spec.ts";
import { captionClip } from "../../lib/synthetic/caption_clip.ts";
import { type ClipSize, generateClip } from "../../lib/synthetic/generate_clip.ts";
import { CLIP_DURATION } from "../../lib/synthetic/sample_clip_spec.ts";
import { clipSeed, EVAL_SET_SIZE, requiredCategories, setClipSpec } from "./synthetic_sets.ts";
import { GENERATOR_VERSION } from "../../lib/synthetic/version.ts";

/** Clip sizes whose content hashes the manifest records. */
export const MANIFEST_HASH_SIZES: readonly ClipSize[] = [
  { frames: 17, height: 64, width: 64 },
  { frames: 9, height: 32, width: 32 },
];

/** One clip of the manifest. */
export interface EvalManifestClip {
  index: number;
  id: string;
  seed: number;
  required: Category;
  categories: Category[];
  style: string;
  persons: number;
  motions: string[];
  caption: string;
  /** SHA-256 content hash per size key "FxHxW" (see `clipContentHash`). */
  hashes: Record<string, string>;
}

/** The evaluation-set manifest. */
export interface EvalManifest {
  name: "realisdance-val-syn";
  generator: string;
  size: number;
  durationSeconds: number;
  seedRange: [number, number];
  hash: string;
  hashSizes: string[];
  categoryCounts: Record<Category, number>;
  clips: EvalManifestClip[];
}

/** Options of `buildEvalManifest`. */
export interface BuildEvalManifestOptions {
  /** Build only the clips with these indices (default all 100). */
  indices?: number[];
  /** Sizes to hash (default `MANIFEST_HASH_SIZES`; [] skips rendering). */
  hashSizes?: readonly ClipSize[];
}

/**
 * Key of a clip size in the manifest.
 * @param size the size
 * @returns "FxHxW"
 * @example
 * ```ts
 * import { sizeKey } from "./eval_manifest.ts";
 * console.log(sizeKey({ frames: 17, height: 64, width: 64 })); // "17x64x64"
 * ```
 */
export function sizeKey(size: ClipSize): string {
  return `${size.frames}x${size.height}x${size.width}`;
}

/**
 * Builds the manifest (or part of it) from the generator.
 *
 * @param options indices and sizes to hash
 * @returns the manifest
 * @example
 * ```ts
 * import { buildEvalManifest } from "./eval_manifest.ts";
 * const m = await buildEvalManifest({ indices: [0, 1], hashSizes: [] });
 * console.log(m.clips[1].required); // "lighting"
 * ```
 */
export async function buildEvalManifest(options: BuildEvalManifestOptions = {}): Promise<EvalManifest> {
  const indices = options.indices ?? Array.from({ length: EVAL_SET_SIZE }, (_, i) => i);
  const sizes = options.hashSizes ?? MANIFEST_HASH_SIZES;
  const set = "realisdance-val-syn";
  const clips: EvalManifestClip[] = [];
  for (const index of indices) {
    const spec = setClipSpec(set, index);
    const id = `${set}/${String(index).padStart(4, "0")}`;
    const hashes: Record<string, string> = {};
    for (const size of sizes) hashes[sizeKey(size)] = await clipContentHash(generateClip(spec, size, { id }));
    clips.push({
      index,
      id,
      seed: clipSeed(set, index),
      required: requiredCategories(set, index)[0],
      categories: clipCategories(spec),
      style: spec.style,
      persons: spec.persons.length,
      motions: spec.persons.map((p) => p.motion.kind),
      caption: captionClip(spec),
      hashes,
    });
  }
  const categoryCounts = Object.fromEntries(
    CATEGORIES.map((c) => [c, clips.filter((x) => x.categories.includes(c)).length]),
  ) as Record<Category, number>;
  return {
    name: set,
    generator: GENERATOR_VERSION,
    size: clips.length,
    durationSeconds: CLIP_DURATION,
    seedRange: [clipSeed(set, 0), clipSeed(set, EVAL_SET_SIZE - 1)],
    hash: "sha256 of clip content, lib/data/clip_content_hash.ts",
    hashSizes: sizes.map(sizeKey),
    categoryCounts,
    clips,
  };
}
