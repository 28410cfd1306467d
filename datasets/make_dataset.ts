/**
 * Datasets: an indexable collection of clips of one size, built from a
 * discriminated-union config. `synthetic` renders (or reads from the cache)
 * clips of the generator's sets; `folder` reads clip shards (the format of
 * `writeClipShard`) from a directory, e.g. ingested real videos.
 *
 * @module
 */

import type { Clip } from "../lib/data/clip.ts";
import type { Dataset as DatasetOf } from "../lib/data/dataset.ts";
import { readClipShard, readClipShardIndex } from "../lib/data/read_clip_shard.ts";
import { assertClipSize } from "../lib/synthetic/generate_clip.ts";
import {
  setCapacity,
  SYNTHETIC_SETS,
  syntheticClip,
  type SyntheticSet,
} from "./synthetic/synthetic_sets.ts";
import { DEFAULT_SHARD_SIZE, syntheticShard } from "./synthetic/synthetic_shard.ts";

/** A dataset config. */
export type DatasetConfig =
  | {
    kind: "synthetic";
    set: SyntheticSet;
    /** Frames per clip, 4k + 1. */
    frames: number;
    height: number;
    width: number;
    /** Number of clips: indices 0 .. size − 1 of the set. */
    size: number;
    /** Read/write the safetensors cache: true for datasets/cache, a path for another root (default false: render on the fly). */
    cache?: boolean | string;
  }
  | {
    kind: "folder";
    /** A directory of `*.safetensors` clip shards, read in file-name order. */
    path: string;
    /** Use only the first `size` clips (default all). */
    size?: number;
  };

/** A dataset built by {@link makeDataset}. */
export type Dataset = DatasetOf<DatasetConfig>;

/**
 * Builds a dataset.
 *
 * @param config a synthetic or folder dataset config
 * @returns the dataset
 * @example
 * ```ts
 * import { makeDataset } from "./make_dataset.ts";
 * const ds = await makeDataset({ kind: "synthetic", set: "finetune", frames: 5, height: 32, width: 32, size: 8 });
 * console.log((await ds.get(3)).id); // "finetune/0003"
 * ```
 */
export async function makeDataset(config: DatasetConfig): Promise<Dataset> {
  switch (config.kind) {
    case "synthetic":
      return syntheticDataset(config);
    case "folder":
      return await folderDataset(config);
    default:
      throw new TypeError(
        `Cannot make a dataset of kind ${
          JSON.stringify((config as { kind: unknown }).kind)
        }: expected "synthetic" or "folder"`,
      );
  }
}

function checkIndex(index: number, size: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`Cannot get clip ${index} of ${what}: index must be an integer in [0, ${size})`);
  }
}

function syntheticDataset(config: Extract<DatasetConfig, { kind: "synthetic" }>): Dataset {
  const { set, frames, height, width, size } = config;
  if (!SYNTHETIC_SETS.includes(set)) {
    throw new RangeError(
      `Cannot make a synthetic dataset of set ${JSON.stringify(set)}: expected one of ${SYNTHETIC_SETS.join(", ")}`,
    );
  }
  assertClipSize({ frames, height, width });
  const cap = setCapacity(set);
  if (!Number.isInteger(size) || size < 1 || size > cap) {
    throw new RangeError(
      `Cannot make a synthetic dataset of ${set} as size must be an integer in [1, ${cap}]: received ${size}`,
    );
  }
  const what = `synthetic ${set}`;
  if (!config.cache) {
    return {
      config,
      size,
      frames,
      height,
      width,
      get(index) {
        checkIndex(index, size, what);
        const { meta: _meta, ...clip } = syntheticClip(set, index, { frames, height, width });
        return Promise.resolve(clip);
      },
    };
  }
  const root = typeof config.cache === "string" ? config.cache : undefined;
  let memo: { shard: number; clips: Promise<Clip[]> } | null = null;
  return {
    config,
    size,
    frames,
    height,
    width,
    async get(index) {
      checkIndex(index, size, what);
      const shard = Math.floor(index / DEFAULT_SHARD_SIZE);
      if (memo?.shard !== shard) {
        memo = { shard, clips: syntheticShard(set, shard, { size: { frames, height, width }, root }) };
      }
      return (await memo.clips)[index - shard * DEFAULT_SHARD_SIZE];
    },
  };
}

async function folderDataset(config: Extract<DatasetConfig, { kind: "folder" }>): Promise<Dataset> {
  const files: string[] = [];
  for await (const e of Deno.readDir(config.path)) {
    if (e.isFile && e.name.endsWith(".safetensors")) files.push(e.name);
  }
  files.sort();
  if (files.length === 0) {
    throw new RangeError(`Cannot make a folder dataset: no .safetensors shards in ${config.path}`);
  }
  // Index the shards (clip counts and sizes) once; clips are loaded per shard on demand.
  const starts: number[] = [];
  let total = 0;
  let dims: [number, number, number] | null = null;
  for (const f of files) {
    const c = await readClipShardIndex(`${config.path}/${f}`);
    if (dims && (dims[0] !== c.frames || dims[1] !== c.height || dims[2] !== c.width)) {
      throw new RangeError(
        `Cannot make a folder dataset of mixed sizes: ${f} holds ${c.frames}x${c.height}x${c.width} clips, earlier shards ${
          dims.join("x")
        }`,
      );
    }
    dims = [c.frames, c.height, c.width];
    starts.push(total);
    total += c.count;
  }
  const size = config.size ?? total;
  if (!Number.isInteger(size) || size < 1 || size > total) {
    throw new RangeError(`Cannot make a folder dataset as size must be an integer in [1, ${total}]: received ${size}`);
  }
  const [frames, height, width] = dims!;
  let memo: { shard: number; clips: Promise<Clip[]> } | null = null;
  return {
    config,
    size,
    frames,
    height,
    width,
    async get(index) {
      checkIndex(index, size, `folder ${config.path}`);
      let s = starts.length - 1;
      while (starts[s] > index) s--;
      if (memo?.shard !== s) {
        memo = {
          shard: s,
          clips: readClipShard(`${config.path}/${files[s]}`).then((r) => r.clips),
        };
      }
      return (await memo.clips)[index - starts[s]];
    },
  };
}
