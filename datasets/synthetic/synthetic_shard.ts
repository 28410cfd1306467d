/**
 * The on-disk cache of synthetic clips: shards of `shardSize` consecutive
 * clips under `<root>/<set>/<config-hash>/shard-XXXX.safetensors`, where the
 * config hash covers the generator version, set, clip size and shard size
 * (a `config.json` next to the shards spells them out). A missing shard is
 * generated and written atomically; an existing one is read back. Cached
 * clips are the generated clips exactly (images are 8-bit levels already).
 *
 * @module
 */

import type { Clip } from "../../lib/data/clip.ts";
import { readClipShard } from "../../lib/data/read_clip_shard.ts";
import { writeClipShard } from "../../lib/data/write_clip_shard.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { assertClipSize, type ClipSize } from "../../lib/synthetic/generate_clip.ts";
import { setCapacity, syntheticClip, type SyntheticSet } from "./synthetic_sets.ts";
import { GENERATOR_VERSION } from "../../lib/synthetic/version.ts";

/** Default number of clips per shard. */
export const DEFAULT_SHARD_SIZE = 16;

/** The default cache root: datasets/cache/ of this repository (git-ignored). */
export const DEFAULT_CACHE_ROOT = new URL("../cache", import.meta.url).pathname;

/** Options of `syntheticShard`. */
export interface SyntheticShardOptions {
  /** Clip size (frames 4k + 1, height, width). */
  size: ClipSize;
  /** Cache root folder (default `DEFAULT_CACHE_ROOT`). */
  root?: string;
  /** Clips per shard (default 16). */
  shardSize?: number;
}

/**
 * The folder holding the shards of a set at a clip size.
 *
 * @param set the synthetic set
 * @param options clip size, cache root and shard size
 * @returns `<root>/<set>/<12-hex config hash>`
 * @example
 * ```ts
 * import { syntheticShardDir } from "./synthetic_shard.ts";
 * console.log(syntheticShardDir("finetune", { size: { frames: 17, height: 64, width: 64 }, root: "/tmp/c" }));
 * ```
 */
export function syntheticShardDir(set: SyntheticSet, options: SyntheticShardOptions): string {
  const size = options.size;
  const root = options.root ?? DEFAULT_CACHE_ROOT;
  return `${root}/${set}/${fnv64Hex(JSON.stringify(shardConfig(set, size, options.shardSize ?? DEFAULT_SHARD_SIZE)))}`;
}

/**
 * Loads (or generates and caches) one shard of a synthetic set.
 *
 * @param set the synthetic set
 * @param shard shard index: clips [shard·S, min((shard+1)·S, capacity))
 * @param options clip size (frames 4k + 1, height, width), cache root and shard size
 * @returns the shard's clips in index order
 * @example
 * ```ts
 * import { syntheticShard } from "./synthetic_shard.ts";
 * const clips = await syntheticShard("realisdance-val-syn", 6, { size: { frames: 1, height: 8, width: 8 }, root: await Deno.makeTempDir() });
 * console.log(clips.length); // 4 (clips 96..99)
 * ```
 */
export async function syntheticShard(
  set: SyntheticSet,
  shard: number,
  options: SyntheticShardOptions,
): Promise<Clip[]> {
  const size = assertClipSize(options.size);
  const S = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isInteger(S) || S < 1) {
    throw new RangeError(`Cannot cache shards as shardSize must be a positive integer: received ${S}`);
  }
  const cap = setCapacity(set);
  const nShards = Math.ceil(cap / S);
  if (!Number.isInteger(shard) || shard < 0 || shard >= nShards) {
    throw new RangeError(`Cannot load shard ${shard} of ${set}: expected an integer in [0, ${nShards})`);
  }
  const dir = syntheticShardDir(set, options);
  const path = `${dir}/shard-${String(shard).padStart(4, "0")}.safetensors`;
  try {
    return (await readClipShard(path)).clips;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const clips: Clip[] = [];
  for (let i = shard * S; i < Math.min(cap, (shard + 1) * S); i++) {
    const { meta: _meta, ...clip } = syntheticClip(set, i, size);
    clips.push(clip);
  }
  await Deno.mkdir(dir, { recursive: true });
  const config = shardConfig(set, size, S);
  await atomicWrite(`${dir}/config.json`, JSON.stringify(config, null, 2) + "\n");
  await writeClipShard(path, clips, { config: JSON.stringify(config), generator: GENERATOR_VERSION });
  return clips;
}

function shardConfig(set: SyntheticSet, size: ClipSize, shardSize: number) {
  return { generator: GENERATOR_VERSION, set, frames: size.frames, height: size.height, width: size.width, shardSize };
}

/** 64-bit FNV-1a of a string's UTF-16 code units, as 16 hex digits truncated to 12. */
function fnv64Hex(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0").slice(0, 12);
}
