/**
 * A folder of real videos (one video file or frame folder per clip, as in
 * the TikTok / UBC-fashion layouts) → one clip shard per video in the output
 * folder (`<id>.safetensors`, readable by `makeDataset({ kind: "folder" })`)
 * and a per-file report (`ingest.json`: per video what was kept, the clip
 * frames and their times, the frames without a person, the body keypoints
 * dropped below the score threshold, the hands found, where the caption came
 * from; or why it was dropped). A video that cannot be read, has too few
 * frames or shows no person is reported with its error and the rest of the
 * folder is still processed. Captions: a sidecar `<name>.txt`, or a line
 * `{"file": "<name>", "caption": "…"}` of `captions.jsonl` beside the videos;
 * a video without one trains with the empty caption.
 *
 * @module
 */

import { atomicWrite } from "../io/atomic_write.ts";
import { loadPoseModels, type PoseModels, type PoseModelsConfig } from "./load_pose_models.ts";
import { type IngestClipReport, ingestVideo, type IngestVideoOptions, NoPersonError } from "./ingest_video.ts";
import { FRAME_EXTENSIONS, VIDEO_EXTENSIONS } from "../data/read_video_frames.ts";
import { writeClipShard } from "../data/write_clip_shard.ts";

/** Options of `ingestVideos`. */
export interface IngestVideosOptions extends Omit<IngestVideoOptions, "models" | "id"> {
  /** Loaded networks, or which to load (default `loadPoseModels()`'s defaults). */
  models?: PoseModels | PoseModelsConfig;
  /** Called after each video (for progress output). */
  onVideo?: (entry: IngestEntry) => void;
}

/** What happened to one input: kept (with what of it was kept and dropped), or dropped and why. */
export type IngestEntry =
  | { file: string; ok: true; id: string; shard: string; seconds: number; visibleKeypoints: number; kept: IngestClipReport }
  | { file: string; ok: false; dropped: "no person found" | "unreadable"; error: string; seconds: number };

/** The report's file name inside the output folder. */
export const INGEST_REPORT = "ingest.json";

/** The report of a folder (also written as `ingest.json`). */
export interface IngestReport {
  input: string;
  output: string;
  options: Record<string, unknown>;
  entries: IngestEntry[];
  ok: number;
  failed: number;
}

/**
 * Ingests every video of a folder.
 *
 * @param input folder of video files and/or frame folders
 * @param output folder for the shards and the report (created)
 * @param options clip size and frames, fps, networks, thresholds, progress callback
 * @returns the per-file report
 * @example
 * ```ts ignore
 * import { ingestVideos } from "./ingest_videos.ts";
 * const report = await ingestVideos("raw/tiktok", "datasets/tiktok-64", { frames: 17, height: 64, width: 64, fps: 8 });
 * console.log(report.ok, report.failed);
 * ```
 */
export async function ingestVideos(input: string, output: string, options: IngestVideosOptions): Promise<IngestReport> {
  const inputs: string[] = [];
  for await (const e of Deno.readDir(input)) {
    const lower = e.name.toLowerCase();
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory || (e.isFile && VIDEO_EXTENSIONS.some((x) => lower.endsWith(x)))) inputs.push(e.name);
  }
  inputs.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  await Deno.mkdir(output, { recursive: true });
  const given = options.models && "dispose" in options.models ? options.models as PoseModels : null;
  const models = given ?? await loadPoseModels((options.models as PoseModelsConfig | undefined) ?? {});
  const entries: IngestEntry[] = [];
  try {
    for (const name of inputs) {
      const file = `${input.replace(/\/+$/, "")}/${name}`;
      const t0 = performance.now();
      let entry: IngestEntry;
      try {
        const id = name.replace(/\.[^.]+$/, "");
        const clip = await ingestVideo(file, { ...options, models, id });
        const shard = `${output.replace(/\/+$/, "")}/${id}.safetensors`;
        await writeClipShard(shard, [clip], {
          source: file,
          ingest: JSON.stringify({ times: clip.source.times, referenceTime: clip.source.referenceTime, models: models.config }),
        });
        const visible = clip.visibility.reduce((a, b) => a + b, 0);
        entry = { file, ok: true, id, shard, seconds: (performance.now() - t0) / 1000, visibleKeypoints: visible, kept: clip.report };
      } catch (e) {
        entry = {
          file,
          ok: false,
          dropped: e instanceof NoPersonError ? "no person found" : "unreadable",
          error: (e as Error).message,
          seconds: (performance.now() - t0) / 1000,
        };
      }
      entries.push(entry);
      options.onVideo?.(entry);
    }
  } finally {
    if (!given) models.dispose();
  }
  const { models: _m, onVideo: _o, ...rest } = options;
  const report: IngestReport = {
    input,
    output,
    options: { ...rest, models: models.config, frameExtensions: FRAME_EXTENSIONS },
    entries,
    ok: entries.filter((e) => e.ok).length,
    failed: entries.filter((e) => !e.ok).length,
  };
  await atomicWrite(`${output.replace(/\/+$/, "")}/${INGEST_REPORT}`, JSON.stringify(report, null, 2) + "\n");
  return report;
}
