/**
 * Opens a folder of clip shards (an ingested folder of real videos) for
 * training and evaluation: its clips must share one size, its held-out
 * evaluation split must be fixed by a manifest (`deno task data:eval-set
 * --from <folder> --clips N`), and every clip of that manifest must still be
 * in the folder with the content it was hashed with. Everything is checked
 * before a clip is returned, so a run on a wrong folder stops before any work.
 *
 * Splits: "eval" is the manifest's clips in its order; "train" is every other
 * clip in the folder's order (shards by file name, clips in shard order).
 *
 * @module
 */

import type { Clip } from "./clip.ts";
import { clipContentHash } from "./clip_content_hash.ts";
import {
  FOLDER_EVAL_FORMAT,
  type FolderEvalManifest,
  folderManifestPath,
  type FolderShard,
  listFolderShards,
} from "./folder_eval_manifest.ts";
import { readClipShard } from "./read_clip_shard.ts";

/** A folder that cannot be used as it is: missing, empty, of mixed or unfit sizes, without or unlike its manifest. */
export class ClipFolderError extends Error {
  override name = "ClipFolderError";
}

/** An opened, verified folder. */
export interface ClipFolder {
  path: string;
  split: string;
  frames: number;
  height: number;
  width: number;
  /** The evaluation split's ids, in the manifest's order. */
  evalIds: string[];
  /** Every other clip's id, in the folder's order. */
  trainIds: string[];
  manifest: FolderEvalManifest;
  /**
   * Loads clips by id, in the order asked (shards are read once each per call).
   * @param ids clip ids of this folder
   * @returns the clips
   */
  clips(ids: readonly string[]): Promise<Clip[]>;
}

/** Options of {@link openClipFolder}. */
export interface OpenClipFolderOptions {
  /** The evaluation split's name (default "eval": `<path>/eval_manifest.json`). */
  split?: string;
  /**
   * Called with the folder's clip size before the manifest is read: throws when the consumer (a model) cannot
   * take that size, so that error comes before any other.
   */
  checkSize?: (size: { frames: number; height: number; width: number }) => void;
}

/**
 * @param path the folder (as `deno task data:ingest --out` wrote it)
 * @param options the split's name and a size check
 * @returns the folder's splits and a loader
 * @throws {ClipFolderError} when the folder is missing or holds no shards, its clips differ in size, it has no
 *   manifest for the split, or a manifest clip is missing or changed
 * @example
 * ```ts ignore
 * import { openClipFolder } from "./open_clip_folder.ts";
 * const folder = await openClipFolder("datasets/my-videos");
 * const [first] = await folder.clips(folder.evalIds.slice(0, 1));
 * ```
 */
export async function openClipFolder(path: string, options: OpenClipFolderOptions = {}): Promise<ClipFolder> {
  const dir = path.replace(/\/+$/, "");
  const split = options.split ?? "eval";
  const ingest = `deno task data:ingest --in <your videos> --out ${dir} --frames F --size S`;
  let shards: FolderShard[];
  try {
    shards = await listFolderShards(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new ClipFolderError(`Cannot use clip folder ${dir}: it does not exist; make it with \`${ingest}\``);
    throw e;
  }
  if (shards.length === 0 || shards.every((s) => s.ids.length === 0)) {
    throw new ClipFolderError(`Cannot use clip folder ${dir}: it holds no clip shards (*.safetensors); make them with \`${ingest}\``);
  }
  const sizes = [...new Set(shards.map((s) => `${s.frames}x${s.height}x${s.width}`))];
  if (sizes.length > 1) {
    const where = sizes.map((k) => `${k} (${shards.filter((s) => `${s.frames}x${s.height}x${s.width}` === k).map((s) => s.file).slice(0, 3).join(", ")})`);
    throw new ClipFolderError(`Cannot use clip folder ${dir}: its clips differ in size (frames x height x width): ${where.join("; ")}; expected one size`);
  }
  const { frames, height, width } = shards[0];
  options.checkSize?.({ frames, height, width });

  const file = folderManifestPath(dir, split);
  const evalSet = `deno task data:eval-set --from ${dir} --clips N`;
  let manifest: FolderEvalManifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ClipFolderError(
        `Cannot use clip folder ${dir}: it has no evaluation manifest ${file}; fix its held-out evaluation clips with \`${evalSet}\``,
      );
    }
    throw new ClipFolderError(`Cannot use clip folder ${dir}: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== FOLDER_EVAL_FORMAT || !Array.isArray(manifest.clips)) {
    throw new ClipFolderError(`Cannot use clip folder ${dir}: ${file} is not a ${FOLDER_EVAL_FORMAT} manifest (format ${JSON.stringify(manifest?.format)})`);
  }
  const shardOf = new Map<string, string>();
  for (const s of shards) for (const id of s.ids) shardOf.set(id, s.file);
  const redo = `the evaluation split changed, so benchmark numbers before and after are not comparable; if that is intended, write a new manifest with \`${evalSet}\``;
  const cs = manifest.clipSize;
  if (cs?.frames !== frames || cs?.height !== height || cs?.width !== width) {
    throw new ClipFolderError(
      `Cannot use clip folder ${dir}: it changed since ${file} was written: its clips are ${frames}x${height}x${width}, the manifest's ${cs?.frames}x${cs?.height}x${cs?.width}; ${redo}`,
    );
  }
  const missing = manifest.clips.filter((c) => !shardOf.has(c.id)).map((c) => c.id);
  if (missing.length) {
    throw new ClipFolderError(
      `Cannot use clip folder ${dir}: it changed since ${file} was written: evaluation clip${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} gone; ${redo}`,
    );
  }
  const load = async (ids: readonly string[]): Promise<Clip[]> => {
    const byShard = new Map<string, Clip[]>();
    const out: Clip[] = [];
    for (const id of ids) {
      const shard = shardOf.get(id);
      if (!shard) throw new ClipFolderError(`Cannot load clip ${JSON.stringify(id)} of ${dir}: no shard holds it`);
      if (!byShard.has(shard)) byShard.set(shard, (await readClipShard(`${dir}/${shard}`)).clips);
      out.push(byShard.get(shard)!.find((c) => c.id === id)!);
    }
    return out;
  };
  const evalIds = manifest.clips.map((c) => c.id);
  const evalClips = await load(evalIds);
  const changed: string[] = [];
  for (const [i, c] of evalClips.entries()) if ((await clipContentHash(c)) !== manifest.clips[i].hash) changed.push(c.id);
  if (changed.length) {
    throw new ClipFolderError(
      `Cannot use clip folder ${dir}: it changed since ${file} was written: the content of evaluation clip${changed.length > 1 ? "s" : ""} ${changed.join(", ")} differs from its hash; ${redo}`,
    );
  }
  const held = new Set(evalIds);
  return {
    path: dir,
    split,
    frames,
    height,
    width,
    evalIds,
    trainIds: shards.flatMap((s) => s.ids).filter((id) => !held.has(id)),
    manifest,
    clips: load,
  };
}
