/**
 * The held-out evaluation split of a folder of clip shards (an ingested
 * folder of real videos): which clips it holds, in which order, and the
 * content hash of each, so that benchmark numbers on a user's data are
 * reproducible and a folder changed since is detected (`openClipFolder`
 * refuses it). `deno task data:eval-set --from <folder> --clips N` writes it
 * as `<folder>/eval_manifest.json`; every clip not in it is a training clip.
 *
 * The N clips are drawn by a seeded shuffle of the folder's clips (so they
 * spread over a folder whose names cluster by subject or take) and kept in
 * the folder's order.
 *
 * References: datasets/synthetic/eval_manifest.ts (the manifest of
 * realisdance-val-syn, the same content hash).
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import { clipContentHash } from "./clip_content_hash.ts";
import { readClipShard, readClipShardIndex } from "./read_clip_shard.ts";

/** Value of the manifest's `format` field. */
export const FOLDER_EVAL_FORMAT = "workbench-folder-eval-v1";

/** One clip of the split. */
export interface FolderEvalClip {
  /** Position in the split (evaluation order). */
  index: number;
  id: string;
  /** The shard file (inside the folder) holding it. */
  shard: string;
  caption: string;
  /** SHA-256 of the clip's content (`clipContentHash`). */
  hash: string;
}

/** `<folder>/<split>_manifest.json`. */
export interface FolderEvalManifest {
  format: typeof FOLDER_EVAL_FORMAT;
  /** The split's name: the file is `<split>_manifest.json`. */
  split: string;
  /** Clips in the split. */
  size: number;
  clipSize: { frames: number; height: number; width: number };
  /** Seed of the shuffle that drew the clips. */
  seed: number;
  /** Clips in the folder when the manifest was written (the rest train). */
  folderClips: number;
  hash: string;
  clips: FolderEvalClip[];
}

/** A clip shard of a folder and the clips it holds. */
export interface FolderShard {
  file: string;
  ids: string[];
  frames: number;
  height: number;
  width: number;
}

/**
 * The path of a folder's split manifest.
 *
 * @param folder the folder of clip shards
 * @param split the split's name (default "eval")
 * @returns `<folder>/<split>_manifest.json`
 * @example
 * ```ts
 * import { folderManifestPath } from "./folder_eval_manifest.ts";
 * console.log(folderManifestPath("datasets/my-videos")); // "datasets/my-videos/eval_manifest.json"
 * ```
 */
export function folderManifestPath(folder: string, split = "eval"): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(split)) {
    throw new RangeError(`Cannot name a split ${JSON.stringify(split)}: expected letters, digits, _ . and -`);
  }
  return `${folder.replace(/\/+$/, "")}/${split}_manifest.json`;
}

/**
 * The clip shards of a folder, in file-name order, with their clip ids (headers only).
 *
 * @param folder the folder
 * @returns the shards (empty when the folder holds none)
 * @throws {Deno.errors.NotFound} when the folder does not exist
 * @example
 * ```ts ignore
 * const shards = await listFolderShards("datasets/my-videos");
 * ```
 */
export async function listFolderShards(folder: string): Promise<FolderShard[]> {
  const files: string[] = [];
  for await (const e of Deno.readDir(folder)) {
    if (e.isFile && e.name.endsWith(".safetensors")) files.push(e.name);
  }
  files.sort();
  const out: FolderShard[] = [];
  for (const file of files) {
    const { ids, frames, height, width } = await readClipShardIndex(`${folder.replace(/\/+$/, "")}/${file}`);
    out.push({ file, ids, frames, height, width });
  }
  return out;
}

/**
 * Draws a folder's evaluation split and hashes its clips.
 *
 * @param folder a folder of clip shards of one size (as `deno task data:ingest` writes)
 * @param options `clips`: how many (2 … the folder's clips − 1: FID needs two, training at least one);
 *   `seed` of the draw (default 0); `split` name (default "eval")
 * @returns the manifest (the caller writes it to `folderManifestPath(folder, split)`)
 * @throws {RangeError} for an empty folder, mixed clip sizes, repeated ids or a count out of range
 * @example
 * ```ts ignore
 * import { buildFolderEvalManifest, folderManifestPath } from "./folder_eval_manifest.ts";
 * const m = await buildFolderEvalManifest("datasets/my-videos", { clips: 8 });
 * await Deno.writeTextFile(folderManifestPath("datasets/my-videos"), JSON.stringify(m, null, 2));
 * ```
 */
export async function buildFolderEvalManifest(
  folder: string,
  options: { clips: number; seed?: number; split?: string },
): Promise<FolderEvalManifest> {
  const split = options.split ?? "eval";
  folderManifestPath(folder, split); // checks the name
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`Cannot draw an evaluation split with seed ${seed}: expected an integer >= 0`);
  const shards = await listFolderShards(folder);
  const all = shards.flatMap((s) => s.ids.map((id) => ({ id, shard: s.file })));
  if (all.length === 0) {
    throw new RangeError(`Cannot draw an evaluation split of ${folder}: it holds no clip shards (*.safetensors); ingest videos into it first`);
  }
  const sizes = new Set(shards.map((s) => `${s.frames}x${s.height}x${s.width}`));
  if (sizes.size > 1) throw new RangeError(`Cannot draw an evaluation split of ${folder}: its shards hold clips of sizes ${[...sizes].join(", ")}, expected one`);
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new RangeError(`Cannot draw an evaluation split of ${folder}: clip id ${JSON.stringify(c.id)} appears twice`);
    seen.add(c.id);
  }
  const n = options.clips;
  if (!Number.isInteger(n) || n < 2 || n > all.length - 1) {
    throw new RangeError(
      `Cannot hold out ${n} of the ${all.length} clips of ${folder}: expected an integer in 2..${all.length - 1} (FID needs two, training at least one)`,
    );
  }
  // Fisher–Yates with the seed; the drawn clips keep the folder's order.
  const order = all.map((_, i) => i);
  const prng = new Prng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picked = order.slice(0, n).sort((a, b) => a - b).map((i) => all[i]);
  const clips: FolderEvalClip[] = [];
  const byShard = new Map<string, Awaited<ReturnType<typeof readClipShard>>>();
  for (const [index, p] of picked.entries()) {
    if (!byShard.has(p.shard)) byShard.set(p.shard, await readClipShard(`${folder.replace(/\/+$/, "")}/${p.shard}`));
    const clip = byShard.get(p.shard)!.clips.find((c) => c.id === p.id)!;
    clips.push({ index, id: p.id, shard: p.shard, caption: clip.caption, hash: await clipContentHash(clip) });
  }
  const s0 = shards[0];
  return {
    format: FOLDER_EVAL_FORMAT,
    split,
    size: n,
    clipSize: { frames: s0.frames, height: s0.height, width: s0.width },
    seed,
    folderClips: all.length,
    hash: "sha256 of clip content, lib/data/clip_content_hash.ts",
    clips,
  };
}
