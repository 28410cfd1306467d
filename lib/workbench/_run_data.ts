/**
 * The clips of a run from its data source (`data.source`): the synthetic
 * generator (`makeClips`) or a folder of ingested clips (`openClipFolder`),
 * behind one reader, opened and checked before any work: a folder whose clip
 * size the model cannot take (frames 4k+1 for the VAE's temporal stride,
 * height and width multiples of the VAE's spatial stride times the DiT's
 * patch), whose size is not the run's, that is empty, has no evaluation
 * manifest, or holds fewer clips than the run asks for is refused with an
 * error naming the folder, what it found and what would fit.
 *
 * References: RealisDance-DiT (2025) §4 (fine-tuning and evaluating on
 * real-video datasets); Wan-Video/Wan2.1 `wan/modules/vae.py` (strides) and
 * `model.py` (patch_size).
 */
import type { Clip } from "../data/clip.ts";
import { clipContentHash } from "../data/clip_content_hash.ts";
import { sha256Hex } from "../io/sha256_hex.ts";
import { ClipFolderError, openClipFolder } from "../data/open_clip_folder.ts";
import { folderManifestPath } from "../data/folder_eval_manifest.ts";
import { getPreset } from "../model/mod.ts";
import { VAE_PRESETS, type VaeConfig, vaeCompression } from "../vae/mod.ts";
import type { DataSource } from "./data_source.ts";
import { cachedClips } from "./_clip_cache.ts";

/** A split of a run's clips: "val" is the validation loss's held-out clips. */
export type RunSplit = "train" | "val" | "eval";

/** A run's clips, opened and checked. */
export interface RunData {
  /** "synthetic finetune" or "folder <path> (eval_manifest.json)", for messages and result.json. */
  label: string;
  /**
   * Clips skip … skip + count − 1 of a split (synthetic: generated; folder: read from its shards).
   * @param split which split
   * @param count how many
   * @param skip how many of the split to pass first (default 0)
   * @returns the clips
   */
  clips(split: RunSplit, count: number, skip?: number): Promise<Clip[]>;
  /**
   * The latent cache's name for these clips' content: the synthetic set's name (the generator's version is in
   * the key), or "folder:" + SHA-256 of the clips' content hashes.
   * @param clips clips this reader returned
   * @returns the name
   */
  cacheSet(clips: readonly Clip[]): Promise<string>;
  /**
   * How this reader's clips were obtained so far: generated synthetic clips come from the clip cache
   * (datasets/.cache/clips) or are made and stored ("hit", "miss", "partial" when both), a folder's are read
   * from it ("off").
   * @returns the status, for result.json's `clip_cache`
   */
  clipCache(): "hit" | "miss" | "partial" | "off";
}

/** Where the model's VAE and DiT come from (a run config's `vae` and `model`, or a source run's; no DiT for a VAE-only run). */
export interface ModelSource {
  vae: { checkpoint: string | null; preset: string };
  model?: { checkpoint: string | null; preset: string };
}

/** What clip sizes a model takes: (frames − 1) a multiple of `temporal`, height and width multiples of `spatial`. */
export interface ModelGrid {
  temporal: number;
  spatial: number;
  /** How the numbers come about, for messages ("the VAE's spatial stride 4 × the DiT's patch 2"). */
  why: { temporal: string; spatial: string };
}

/**
 * @param m the VAE and DiT of a run (checkpoints' config.json, else presets)
 * @returns the grid of clip sizes they take
 * @example
 * ```ts ignore
 * const grid = await modelGrid({ vae: { checkpoint: null, preset: "vae-smoke" }, model: { checkpoint: null, preset: "wan-smoke" } });
 * ```
 */
export async function modelGrid(m: ModelSource): Promise<ModelGrid> {
  const vaeConfig: VaeConfig = m.vae.checkpoint
    ? JSON.parse(await Deno.readTextFile(`${m.vae.checkpoint}/config.json`))
    : VAE_PRESETS[m.vae.preset as keyof typeof VAE_PRESETS];
  if (!vaeConfig) throw new RangeError(`Unknown vae.preset "${m.vae.preset}": expected one of ${Object.keys(VAE_PRESETS).join(", ")}`);
  const { spatial, temporal } = vaeCompression(vaeConfig);
  const patch = !m.model ? [1, 1, 1] : m.model.checkpoint
    ? (JSON.parse(await Deno.readTextFile(`${m.model.checkpoint}/config.json`)).patch_size as number[] | undefined) ?? [1, 2, 2]
    : [...getPreset(m.model.preset).patch_size];
  return {
    temporal: temporal * patch[0],
    spatial: spatial * Math.max(patch[1], patch[2]),
    why: {
      temporal: `the VAE's temporal stride ${temporal}${patch[0] > 1 ? ` × the DiT's temporal patch ${patch[0]}` : ""}`,
      spatial: `the VAE's spatial stride ${spatial} × the DiT's patch ${Math.max(patch[1], patch[2])}`,
    },
  };
}

/**
 * Why a clip size does not fit a model's grid, or null when it fits.
 *
 * @param size frames, height, width
 * @param grid the model's grid
 * @returns the reasons with the nearest sizes that fit, or null
 * @example
 * ```ts
 * import { sizeMisfit } from "./_run_data.ts";
 * const grid = { temporal: 4, spatial: 8, why: { temporal: "t", spatial: "s" } };
 * console.log(sizeMisfit({ frames: 5, height: 32, width: 32 }, grid)); // null
 * ```
 */
export function sizeMisfit(size: { frames: number; height: number; width: number }, grid: ModelGrid): string | null {
  const near = (v: number, step: number, offset: number) => {
    const below = Math.floor((v - offset) / step) * step + offset, above = below + step;
    return below >= Math.max(1, offset) ? `${below} or ${above}` : `${above}`;
  };
  const out: string[] = [];
  if ((size.frames - 1) % grid.temporal !== 0) {
    out.push(`frames must be ${grid.temporal}k+1 (${grid.why.temporal}), e.g. ${near(size.frames, grid.temporal, 1)}`);
  }
  for (const k of ["height", "width"] as const) {
    if (size[k] % grid.spatial !== 0) out.push(`${k} must be a multiple of ${grid.spatial} (${grid.why.spatial}), e.g. ${near(size[k], grid.spatial, 0)}`);
  }
  return out.length ? out.join("; ") : null;
}

/** What a run takes from its source, checked when it is opened. */
export interface RunDataNeeds {
  /** The task's synthetic set (a synthetic source without `set` takes it). */
  set: "pretrain" | "finetune";
  /** The run's clip size (cfg.data). */
  size: { frames: number; height: number; width: number };
  /** Clips the run takes from each split (a folder must hold them). */
  counts: Partial<Record<RunSplit, number>>;
  /** The model the clips go through: a folder's clip size must fit it. */
  model: ModelSource;
  /** Whose size `size` is, for messages (default "the run's data", which the experiment sets). */
  sizeOf?: string;
}

/**
 * Opens a run's data source and checks it against what the run needs, before any work.
 *
 * @param source the run's `data.source`
 * @param needs the task's set, the run's size, the clips per split and the model
 * @returns the reader
 * @throws {ClipFolderError} for a folder that is missing or empty, of a size the model cannot take or that is not
 *   the run's, without or unlike its evaluation manifest, or with too few clips in a split
 * @example
 * ```ts ignore
 * const data = await openRunData(cfg.data.source, { set: "finetune", size, counts: { train: 16, val: 2, eval: 2 }, model: cfg });
 * const evalClips = await data.clips("eval", 2);
 * ```
 */
export async function openRunData(source: DataSource, needs: RunDataNeeds): Promise<RunData> {
  const { size } = needs;
  if (source.kind === "synthetic") {
    const set = source.set ?? needs.set;
    const uses = new Set<"hit" | "miss" | "off">();
    return {
      label: `synthetic ${set}`,
      clips: async (split, count, skip = 0) => {
        const { clips, use } = await cachedClips({ set, split, count, ...size }, skip);
        uses.add(use.status);
        return clips;
      },
      cacheSet: () => Promise.resolve(set),
      clipCache: () => (uses.size === 1 ? [...uses][0] : uses.size === 0 ? "off" : "partial"),
    };
  }
  const dir = source.path.replace(/\/+$/, "");
  const grid = await modelGrid(needs.model);
  const fmt = (s: { frames: number; height: number; width: number }) => `${s.frames}x${s.height}x${s.width}`;
  const folder = await openClipFolder(dir, {
    split: source.split,
    checkSize: (found) => {
      const misfit = sizeMisfit(found, grid);
      if (misfit) {
        throw new ClipFolderError(
          `Cannot use clip folder ${dir}: its clips are ${fmt(found)} (frames x height x width), a size the model cannot take: ${misfit}; ` +
            `ingest the videos again at a size that fits (deno task data:ingest --frames F --size S)`,
        );
      }
      if (found.frames !== size.frames || found.height !== size.height || found.width !== size.width) {
        const fix = needs.sizeOf === undefined
          ? `set data.frames ${found.frames}, data.height ${found.height}, data.width ${found.width} in the experiment, or ingest the videos again at ${fmt(size)}`
          : `ingest the videos again at ${fmt(size)}`;
        throw new ClipFolderError(
          `Cannot use clip folder ${dir}: its clips are ${fmt(found)} (frames x height x width) but ${needs.sizeOf ?? "the run's data"} is ${fmt(size)}: ${fix}`,
        );
      }
    },
  });
  const manifest = folderManifestPath(dir, folder.split);
  const available: Record<RunSplit, number> = { train: folder.trainIds.length, val: folder.evalIds.length, eval: folder.evalIds.length };
  const what: Record<RunSplit, string> = {
    train: `training clips (the ${folder.trainIds.length + folder.evalIds.length} clips less the ${folder.evalIds.length} held out in ${manifest})`,
    val: `held-out clips for the validation loss (the evaluation split of ${manifest})`,
    eval: `evaluation clips (${manifest})`,
  };
  const setting: Record<RunSplit, string> = { train: "data.trainClips", val: "data.valClips", eval: "data.evalClips or benchmark.clips" };
  for (const [split, n] of Object.entries(needs.counts) as [RunSplit, number][]) {
    if (n > available[split]) {
      throw new ClipFolderError(
        `Cannot take ${n} ${split} clips from clip folder ${dir}: it has ${available[split]} ${what[split]}; set ${setting[split]} to at most ${available[split]}`,
      );
    }
  }
  const ids = (split: RunSplit) => (split === "train" ? folder.trainIds : folder.evalIds);
  return {
    label: `folder ${dir} (${manifest.split("/").pop()})`,
    clips: (split, count, skip = 0) => {
      const list = ids(split).slice(skip, skip + count);
      if (list.length < count) {
        throw new ClipFolderError(`Cannot take ${split} clips ${skip}…${skip + count - 1} from clip folder ${dir}: it has ${ids(split).length}`);
      }
      return folder.clips(list);
    },
    cacheSet: async (clips) => {
      const hashes = new TextEncoder().encode((await Promise.all(clips.map(clipContentHash))).join("\n"));
      return `folder:${await sha256Hex(hashes)}`;
    },
    clipCache: () => "off",
  };
}
