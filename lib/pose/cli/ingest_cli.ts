/**
 * Ingests a folder of real videos into clip shards:
 *
 * ```sh
 * deno run -A lib/pose/cli/ingest_cli.ts --in raw/tiktok --out datasets/tiktok-64 --frames 17 --size 64 [--fps 8]
 *   [--body movenet-thunder|movenet-lightning] [--landmarks blazepose-full|blazepose-lite]
 *   [--hands handlandmark-full|handlandmark-lite] [--matting selfie|rvm]
 *   [--min-score 0.3] [--min-hand-score 0.5] [--min-person-score 0.5] [--folder-fps 30] [--backend auto]
 * ```
 *
 * One `<name>.safetensors` shard per video (read them with
 * `makeDataset({ kind: "folder", path })`) and `ingest.json`; one line
 * per video on stdout. Exit code 0 when every video was ingested, 1 when any
 * failed (the others are still written), 2 on bad arguments.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { initEngine } from "../../engine/mod.ts";
import type { PoseModelsConfig } from "../load_pose_models.ts";
import { ensureFfmpeg } from "../../data/ensure_ffmpeg.ts";
import { ingestVideos } from "../ingest_videos.ts";

const USAGE =
  "usage: ingest_cli.ts --in DIR --out DIR --frames 17 --size 64 [--fps 8] [--body movenet-thunder] [--landmarks blazepose-full] [--hands handlandmark-full] [--matting selfie] [--min-score 0.3] [--min-hand-score 0.5] [--min-person-score 0.5] [--folder-fps 30] [--backend auto]";

/** Runs the CLI on `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        in: { type: "string" },
        out: { type: "string" },
        frames: { type: "string", default: "17" },
        size: { type: "string", default: "64" },
        fps: { type: "string" },
        body: { type: "string" },
        landmarks: { type: "string" },
        hands: { type: "string" },
        matting: { type: "string" },
        "min-score": { type: "string" },
        "min-hand-score": { type: "string" },
        "min-person-score": { type: "string" },
        "folder-fps": { type: "string" },
        backend: { type: "string", default: "auto" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (k: string) => (values[k] === undefined ? undefined : Number(values[k]));
  const frames = num("frames")!, size = num("size")!;
  const problems: string[] = [];
  if (!values.in || !values.out) problems.push("--in and --out are required");
  if (!Number.isInteger(frames) || frames < 1 || (frames - 1) % 4 !== 0) problems.push(`--frames must be 4k+1: received ${values.frames}`);
  if (!Number.isInteger(size) || size < 8) problems.push(`--size must be an integer >= 8: received ${values.size}`);
  for (const k of ["fps", "min-score", "min-hand-score", "min-person-score", "folder-fps"]) {
    if (values[k] !== undefined && !(Number(values[k]) >= 0)) problems.push(`--${k} must be a number >= 0: received ${values[k]}`);
  }
  if (problems.length) {
    console.error(`${problems.join("\n")}\n${USAGE}`);
    return 2;
  }
  // Every input (video file or frame folder) is read through ffmpeg: set it up, or stop with the apt-get line, before any work.
  console.error(`ffmpeg: ${await ensureFfmpeg()}`);
  const engine = await initEngine({ backend: values.backend as "auto" });
  console.error(`engine: ${engine.backend}`);
  const models: PoseModelsConfig = {};
  for (const k of ["body", "landmarks", "hands", "matting"] as const) {
    if (values[k]) (models as Record<string, string>)[k] = values[k] as string;
  }
  const report = await ingestVideos(values.in as string, values.out as string, {
    frames,
    height: size,
    width: size,
    fps: num("fps"),
    folderFps: num("folder-fps"),
    minScore: num("min-score"),
    minHandScore: num("min-hand-score"),
    minPersonScore: num("min-person-score"),
    models,
    onVideo: (e) =>
      console.log(
        e.ok
          ? `ok     ${e.file} -> ${e.shard} (${e.visibleKeypoints} visible keypoints, ${e.kept.framesWithoutPerson.length} of ${e.kept.keptFrames} frames without a person, caption: ${e.kept.captionSource}, ${e.seconds.toFixed(1)} s)`
          : `DROPPED (${e.dropped}) ${e.file}: ${e.error}`,
      ),
  });
  console.log(`${report.ok} ingested, ${report.failed} failed; report: ${values.out}/ingest.json`);
  return report.failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
