/**
 * Synthetic clips rendered as ordinary videos: a folder of H.264 mp4 files
 * (one per clip, one person, still camera) and a `captions.jsonl` beside
 * them, laid out as a user's own video folder is, so the real-video path
 * (`deno task data:ingest` → runs on the folder) can be run end to end
 * without downloading anything. The videos carry no ground truth: ingestion
 * estimates poses and masks from the pixels, as it does for real footage.
 *
 * Usage: `deno run -A datasets/synthetic/write_clip_videos.ts --out DIR --count N [--frames 17] [--size 128] [--fps 8] [--seed 0] [--captions N]`
 *
 * References: lib/pose/ingest_videos.ts (the input layout it reads).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ensureFfmpeg } from "../../lib/data/ensure_ffmpeg.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { captionClip } from "../../lib/synthetic/caption_clip.ts";
import { generateClip } from "../../lib/synthetic/generate_clip.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";

/** No category forced: one person, plain light, still camera (the conditions a pose net finds most reliably). */
const PLAIN = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };

/** Options of {@link writeClipVideos}. */
export interface WriteClipVideosOptions {
  /** Videos to write, `clip-000.mp4` … */
  count: number;
  /** Frames per video (default 17: the generator's 2 s clip at 8 fps). */
  frames?: number;
  /** Height and width in pixels (default 128: large enough for the pose nets). */
  size?: number;
  /** Playback rate (default 8). */
  fps?: number;
  /** Clip i is drawn from spec seed `seed + i` (default 0). */
  seed?: number;
  /** The first N videos get a line in captions.jsonl, the others none (the empty caption) (default all). */
  captions?: number;
}

/**
 * Writes the videos and captions.jsonl.
 *
 * @param dir the output folder (created)
 * @param options how many videos, their frames, size, rate, seeds and captions
 * @returns the video paths, in order
 * @throws {RangeError} for a count, size or rate out of range
 * @example
 * ```ts ignore
 * import { writeClipVideos } from "./write_clip_videos.ts";
 * await writeClipVideos("/tmp/my-videos", { count: 4 });
 * // then: deno task data:ingest --in /tmp/my-videos --out datasets/my-videos --frames 5 --size 32
 * ```
 */
export async function writeClipVideos(dir: string, options: WriteClipVideosOptions): Promise<string[]> {
  const { count } = options;
  const frames = options.frames ?? 17, size = options.size ?? 128, fps = options.fps ?? 8, seed = options.seed ?? 0;
  const captions = options.captions ?? count;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`Cannot write ${count} videos: expected an integer >= 1`);
  if (!Number.isInteger(frames) || frames < 2) throw new RangeError(`Cannot write videos of ${frames} frames: expected an integer >= 2`);
  if (!Number.isInteger(size) || size < 16 || size % 2 !== 0) {
    throw new RangeError(`Cannot write videos of ${size} px: expected an even integer >= 16 (H.264 4:2:0)`);
  }
  if (!(fps > 0)) throw new RangeError(`Cannot write videos at ${fps} fps: expected a rate > 0`);
  if (!Number.isInteger(captions) || captions < 0 || captions > count) {
    throw new RangeError(`Cannot caption ${captions} of ${count} videos: expected an integer in 0..${count}`);
  }
  await ensureFfmpeg();
  await Deno.mkdir(dir, { recursive: true });
  // The generator renders 4k + 1 frames; the video keeps the first `frames`.
  const rendered = 4 * Math.ceil((frames - 1) / 4) + 1;
  const paths: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const spec = sampleClipSpec(seed + i, { rates: PLAIN });
    const clip = generateClip(spec, { frames: rendered, height: size, width: size });
    const n = frames * size * size * 3;
    const rgb = Uint8Array.from(clip.video.subarray(0, n), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
    const name = `clip-${String(i).padStart(3, "0")}.mp4`;
    const path = `${dir.replace(/\/+$/, "")}/${name}`;
    const tmp = `${path}.tmp-${Deno.pid}.mp4`;
    const ff = new Deno.Command("ffmpeg", {
      args: [
        "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${size}x${size}`, "-r", String(fps), "-i", "-",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", tmp,
      ],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const w = ff.stdin.getWriter();
    await w.write(rgb);
    await w.close();
    const res = await ff.output();
    if (!res.success) {
      await Deno.remove(tmp).catch(() => {});
      throw new Error(`Cannot encode ${path} with ffmpeg: ${new TextDecoder().decode(res.stderr).trim().slice(-400)}`);
    }
    await Deno.rename(tmp, path);
    paths.push(path);
    if (i < captions) lines.push(JSON.stringify({ file: name, caption: captionClip(spec) }));
  }
  if (lines.length) await atomicWrite(`${dir.replace(/\/+$/, "")}/captions.jsonl`, lines.join("\n") + "\n");
  return paths;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      count: { type: "string" },
      frames: { type: "string" },
      size: { type: "string" },
      fps: { type: "string" },
      seed: { type: "string" },
      captions: { type: "string" },
    },
  });
  if (!values.out || !values.count) {
    console.error("usage: write_clip_videos.ts --out DIR --count N [--frames 17] [--size 128] [--fps 8] [--seed 0] [--captions N]");
    Deno.exit(2);
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const paths = await writeClipVideos(values.out, {
    count: Number(values.count),
    frames: num(values.frames),
    size: num(values.size),
    fps: num(values.fps),
    seed: num(values.seed),
    captions: num(values.captions),
  });
  console.log(`wrote ${paths.length} videos and captions.jsonl to ${values.out}`);
}
