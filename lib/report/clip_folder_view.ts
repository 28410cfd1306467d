/**
 * What a folder of ingested clips holds, for a notebook: its clips (to draw
 * with their three conditions) and one row per input video of its
 * `ingest.json`: kept or dropped and why, the clip frames and the source's
 * length, the frames without a person, the body keypoints and hands kept,
 * where the caption came from.
 *
 * References: lib/pose/ingest_videos.ts (the report's fields).
 *
 * @module
 */
import type { Clip } from "../data/clip.ts";
import type { IngestReport } from "../pose/ingest_videos.ts";
import { INGEST_REPORT } from "../pose/ingest_videos.ts";
import { makeDataset } from "../../datasets/make_dataset.ts";

/** One input video of the folder's ingest.json. */
export interface IngestRow {
  video: string;
  /** "kept", or "dropped: no person found" / "dropped: unreadable". */
  outcome: string;
  /** Clip frames kept and the span of the source they come from, e.g. "5 of 0–1.42 s (video 2.13 s)". */
  frames: string;
  "frames without a person": number | null;
  /** Mean over the clip frames of the 18 body keypoints kept (the rest below the score threshold or outside). */
  "body keypoints kept (of 18)": number | null;
  /** Mean over the clip frames of the hands found (0–2). */
  "hands found": number | null;
  /** "captions.jsonl", "txt", or "none" (the empty caption); "" for a dropped video. */
  caption: string;
}

/** A folder's clips and its ingestion rows. */
export interface ClipFolderView {
  /** The first clips, in the folder's order. */
  clips: Clip[];
  /** One row per input video, as ingest.json lists them ([] when the folder has no ingest.json). */
  rows: IngestRow[];
}

/**
 * @param path a folder of clip shards (`deno task data:ingest --out`)
 * @param options `count`: clips to read (default all)
 * @returns the clips and the ingestion rows
 * @throws {RangeError} when the folder holds no shards or fewer clips than asked
 * @example
 * ```ts ignore
 * import { clipFolderView } from "./clip_folder_view.ts";
 * const { clips, rows } = await clipFolderView("datasets/real-video-sample/clips");
 * ```
 */
export async function clipFolderView(path: string, options: { count?: number } = {}): Promise<ClipFolderView> {
  const ds = await makeDataset({ kind: "folder", path, size: options.count });
  const clips: Clip[] = [];
  for (let i = 0; i < ds.size; i++) clips.push(await ds.get(i));
  let report: IngestReport | null = null;
  try {
    report = JSON.parse(await Deno.readTextFile(`${path.replace(/\/+$/, "")}/${INGEST_REPORT}`));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  const rows = (report?.entries ?? []).map((e): IngestRow => {
    const video = e.file.split("/").pop() ?? e.file;
    if (!e.ok) {
      return {
        video,
        outcome: `dropped: ${e.dropped}`,
        frames: "",
        "frames without a person": null,
        "body keypoints kept (of 18)": null,
        "hands found": null,
        caption: "",
      };
    }
    const k = e.kept;
    return {
      video,
      outcome: "kept",
      frames: `${k.keptFrames} of 0–${k.times.at(-1)!.toFixed(2)} s (video ${k.duration.toFixed(2)} s)`,
      "frames without a person": k.framesWithoutPerson.length,
      "body keypoints kept (of 18)": mean(k.bodyKeypointsKept),
      "hands found": mean(k.handsFound),
      caption: k.captionSource,
    };
  });
  return { clips, rows };
}
