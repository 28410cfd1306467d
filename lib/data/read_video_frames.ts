/**
 * Decodes the frames of one clip and its reference image from a real video
 * with ffmpeg: a video file (mp4, webm, mov, mkv, avi) or a folder of frame
 * images (png, jpg, jpeg, webp, bmp; sorted by name), as in the TikTok and
 * UBC-fashion layouts (one video per clip).
 *
 * Timing: with `fps`, the clip is the first `frames` frames resampled to that
 * rate (ffmpeg's `fps` filter); without it, the video is split into
 * `frames + 1` equal steps and the clip takes the first `frames` of them, so
 * it spans the whole video. The reference is the video's last frame (not in
 * the clip unless the video is exactly as long as the clip).
 *
 * Geometry: every image is scaled to cover `width`×`height` (area filter) and
 * centre-cropped to it, so no borders are added and the aspect is kept.
 *
 * @module
 */

import { ensureFfmpeg } from "./ensure_ffmpeg.ts";

/** Video file extensions read with ffmpeg. */
export const VIDEO_EXTENSIONS = [".mp4", ".webm", ".mov", ".mkv", ".avi", ".m4v"] as const;
/** Frame-image extensions of frame folders. */
export const FRAME_EXTENSIONS = [".png", ".jpg", ".jpeg", ".webp", ".bmp"] as const;

/** Options of `readVideoFrames`. */
export interface ReadVideoFramesOptions {
  /** Frames of the clip (≥ 1). */
  frames: number;
  width: number;
  height: number;
  /** Output frame rate (default: spread the clip over the whole video). */
  fps?: number;
  /** Frame rate of frame folders (default 30, the TikTok dataset's). */
  folderFps?: number;
}

/** Decoded clip frames and reference, 8-bit RGB. */
export interface VideoFrames {
  /** [F, H, W, 3]. */
  frames: Uint8Array;
  /** [H, W, 3]: the video's last frame. */
  reference: Uint8Array;
  width: number;
  height: number;
  /** Time of each clip frame, seconds from the start. */
  times: number[];
  /** Time of the reference frame, seconds. */
  referenceTime: number;
  /** Duration of the source, seconds. */
  duration: number;
}

/**
 * Reads one clip from a video file or a frame folder.
 *
 * @param path a video file or a directory of frame images
 * @param options frames, output size, frame rates
 * @returns the clip frames, the reference frame and their times
 * @example
 * ```ts ignore
 * import { readVideoFrames } from "./read_video_frames.ts";
 * const v = await readVideoFrames("dance.mp4", { frames: 17, width: 256, height: 256, fps: 8 });
 * console.log(v.frames.length); // 17 * 256 * 256 * 3
 * ```
 */
export async function readVideoFrames(path: string, options: ReadVideoFramesOptions): Promise<VideoFrames> {
  const { frames: F, width: W, height: H } = options;
  if (!Number.isInteger(F) || F < 1) throw new RangeError(`Cannot read ${path} as frames must be an integer >= 1: received ${F}`);
  for (const [k, v] of [["width", W], ["height", H]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Cannot read ${path} as ${k} must be an integer >= 1: received ${v}`);
  }
  if (options.fps !== undefined && !(options.fps > 0)) {
    throw new RangeError(`Cannot read ${path} as fps must be > 0: received ${options.fps}`);
  }
  await ensureFfmpeg();
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch (e) {
    throw new Error(`Cannot read video ${path}: ${(e as Error).message}`);
  }
  if (stat.isDirectory) return await readFrameFolder(path, options);
  if (stat.size === 0) throw new Error(`Cannot read video ${path}: the file is empty (0 bytes)`);
  return await readVideoFile(path, options);
}

function scaleCrop(W: number, H: number): string {
  return `scale=${W}:${H}:force_original_aspect_ratio=increase:flags=area,crop=${W}:${H}`;
}

async function ffmpegRaw(path: string, args: string[], what: string): Promise<Uint8Array> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-nostdin", ...args, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot decode ${what} of ${path}: ffmpeg failed: ${new TextDecoder().decode(out.stderr).trim().slice(-300)}`);
  }
  return out.stdout;
}

async function readVideoFile(path: string, options: ReadVideoFramesOptions): Promise<VideoFrames> {
  const { frames: F, width: W, height: H } = options;
  const probe = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:format=duration", "-of", "json", path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!probe.success) {
    throw new Error(`Cannot read video ${path}: ffprobe failed: ${new TextDecoder().decode(probe.stderr).trim().slice(-300)}`);
  }
  const info = JSON.parse(new TextDecoder().decode(probe.stdout));
  const stream = info.streams?.[0];
  const duration = Number(info.format?.duration);
  if (!stream || !(stream.width > 0)) throw new Error(`Cannot read video ${path}: it has no video stream`);
  if (!(duration > 0)) throw new Error(`Cannot read video ${path}: its duration is ${info.format?.duration ?? "unknown"}`);
  const rate = options.fps ?? (F + 1) / duration;
  const frameBytes = W * H * 3;
  const clip = await ffmpegRaw(path, ["-i", path, "-vf", `fps=${rate},${scaleCrop(W, H)}`, "-frames:v", String(F)], "the clip frames");
  if (clip.length !== F * frameBytes) {
    throw new Error(
      `Cannot read video ${path}: decoded ${Math.floor(clip.length / frameBytes)} frames at ${
        rate.toFixed(3)
      } fps, expected ${F} (the video lasts ${duration.toFixed(2)} s)`,
    );
  }
  // The last frame: decode the final second and keep its last image.
  const tail = await ffmpegRaw(path, ["-sseof", "-1", "-i", path, "-vf", scaleCrop(W, H)], "the reference frame");
  if (tail.length < frameBytes) throw new Error(`Cannot read video ${path}: no frame decoded near its end`);
  const n = Math.floor(tail.length / frameBytes);
  return {
    frames: clip,
    reference: tail.slice((n - 1) * frameBytes, n * frameBytes),
    width: W,
    height: H,
    times: Array.from({ length: F }, (_, i) => i / rate),
    referenceTime: duration,
    duration,
  };
}

async function readFrameFolder(path: string, options: ReadVideoFramesOptions): Promise<VideoFrames> {
  const { frames: F, width: W, height: H } = options;
  const files: string[] = [];
  for await (const e of Deno.readDir(path)) {
    const lower = e.name.toLowerCase();
    if (e.isFile && FRAME_EXTENSIONS.some((x) => lower.endsWith(x))) files.push(e.name);
  }
  files.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const folderFps = options.folderFps ?? 30;
  const N = files.length;
  if (N === 0) throw new Error(`Cannot read frame folder ${path}: it holds no ${FRAME_EXTENSIONS.join("/")} images`);
  const pick = options.fps !== undefined
    ? Array.from({ length: F }, (_, i) => Math.round((i * folderFps) / options.fps!))
    : Array.from({ length: F }, (_, i) => Math.round((i * (N - 1)) / F));
  if (pick[F - 1] > N - 1) {
    throw new Error(
      `Cannot read frame folder ${path}: ${F} frames at ${options.fps} fps need ${pick[F - 1] + 1} images at ${folderFps} fps, found ${N}`,
    );
  }
  const frameBytes = W * H * 3;
  const decode = async (name: string) => {
    const bytes = await ffmpegRaw(`${path}/${name}`, ["-i", `${path}/${name}`, "-vf", scaleCrop(W, H), "-frames:v", "1"], "the frame");
    if (bytes.length !== frameBytes) {
      throw new Error(`Cannot read frame ${path}/${name}: decoded ${bytes.length} bytes, expected ${frameBytes}`);
    }
    return bytes;
  };
  const clip = new Uint8Array(F * frameBytes);
  for (let i = 0; i < F; i++) clip.set(await decode(files[pick[i]]), i * frameBytes);
  return {
    frames: clip,
    reference: await decode(files[N - 1]),
    width: W,
    height: H,
    times: pick.map((k) => k / folderFps),
    referenceTime: (N - 1) / folderFps,
    duration: N / folderFps,
  };
}
