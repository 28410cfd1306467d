/**
 * Reads a video batch for the metrics CLI from a safetensors file (key
 * `video`), a folder of PNG frames, a folder of such folders, or (when
 * ffmpeg is installed) a video file (private to lib/eval/cli).
 *
 * References: lib/io/safetensors.ts, lib/io/png.ts; ffmpeg rawvideo rgb24 output.
 */
import { readSafetensors } from "../../io/safetensors.ts";
import { decodePng } from "../../io/png.ts";
import { toVideo, type Video } from "../video.ts";

const VIDEO_EXTENSIONS = [".mp4", ".mov", ".webm", ".mkv", ".avi", ".gif"];

/** Options of {@link loadVideo}. */
export interface LoadVideoOptions {
  /** Tensor name inside a safetensors file (default "video"). */
  key?: string;
  /** ffmpeg / ffprobe executables for video files (default "ffmpeg", "ffprobe" on PATH). */
  ffmpeg?: string;
  ffprobe?: string;
}

/**
 * Loads videos [N, F, H, W, C]:
 * - `*.safetensors`: tensor `video`, float32 [N, F, H, W, C] in [0, 1] or U8
 *   0..255 ([F, H, W, C] is read as one video);
 * - a folder of PNGs: one video, frames in natural name order (frame2 < frame10);
 * - a folder of folders of PNGs: one video per sub-folder, in natural order;
 * - a video file (.mp4, .webm, …) or a folder of them: decoded with ffmpeg to
 *   8-bit RGB, if ffmpeg is installed.
 * PNG and video frames come back as uint8 RGB (grey repeated, alpha dropped).
 */
export async function loadVideo(path: string, name: string, options: LoadVideoOptions = {}): Promise<Video> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new TypeError(`Cannot read ${name}: no file or folder at ${path}`);
  }
  if (info.isFile && path.endsWith(".safetensors")) return await fromSafetensors(path, name, options.key ?? "video");
  if (info.isFile && isVideoFile(path)) return stack([await fromVideoFile(path, options)], name);
  if (info.isFile) {
    throw new TypeError(
      `Cannot read ${name} from ${path}: expected a .safetensors file, a folder of PNG frames, or a video file (${
        VIDEO_EXTENSIONS.join(", ")
      })`,
    );
  }
  const entries = [];
  for await (const e of Deno.readDir(path)) entries.push(e);
  entries.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  const pngs = entries.filter((e) => e.isFile && e.name.toLowerCase().endsWith(".png"));
  if (pngs.length > 0) return stack([await fromPngFolder(path, pngs.map((e) => e.name))], name);
  const videos = entries.filter((e) => e.isFile && isVideoFile(e.name));
  if (videos.length > 0) {
    const clips = [];
    for (const v of videos) clips.push(await fromVideoFile(`${path}/${v.name}`, options));
    return stack(clips, name);
  }
  const dirs = entries.filter((e) => e.isDirectory);
  const clips: Clip[] = [];
  for (const d of dirs) {
    const files = [];
    for await (const e of Deno.readDir(`${path}/${d.name}`)) {
      if (e.isFile && e.name.toLowerCase().endsWith(".png")) files.push(e.name);
    }
    files.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    if (files.length > 0) clips.push(await fromPngFolder(`${path}/${d.name}`, files));
  }
  if (clips.length === 0) {
    throw new RangeError(`Cannot read ${name}: ${path} holds no PNG frames, no sub-folders of PNG frames and no video files`);
  }
  return stack(clips, name);
}

/** One decoded video: F frames of H×W RGB, 8-bit. */
interface Clip {
  source: string;
  frames: number;
  height: number;
  width: number;
  data: Uint8Array;
}

async function fromSafetensors(path: string, name: string, key: string): Promise<Video> {
  const { tensors } = await readSafetensors(path);
  const t = tensors[key];
  if (!t) {
    throw new RangeError(
      `Cannot read ${name}: ${path} has no tensor "${key}" (it has ${Object.keys(tensors).join(", ") || "none"})`,
    );
  }
  const shape = t.shape.length === 4 ? [1, ...t.shape] : t.shape;
  if (shape.length !== 5) {
    throw new RangeError(`Cannot read ${name}: tensor "${key}" in ${path} must be [N, F, H, W, C], received [${t.shape}]`);
  }
  const data = t.dtype === "U8" ? Uint8Array.from(t.data) : t.data;
  if (t.dtype !== "U8" && t.dtype !== "F32" && t.dtype !== "F16" && t.dtype !== "BF16") {
    throw new TypeError(`Cannot read ${name}: tensor "${key}" in ${path} has dtype ${t.dtype}, expected F32 (in [0, 1]) or U8`);
  }
  return toVideo({ data, shape: shape as Video["shape"] }, name);
}

async function fromPngFolder(dir: string, files: string[]): Promise<Clip> {
  let clip: Clip | null = null;
  for (let t = 0; t < files.length; t++) {
    const file = `${dir}/${files[t]}`;
    const img = await decodePng(await Deno.readFile(file), file);
    if (!clip) {
      clip = { source: dir, frames: files.length, height: img.height, width: img.width, data: new Uint8Array(files.length * img.height * img.width * 3) };
    } else if (img.height !== clip.height || img.width !== clip.width) {
      throw new RangeError(
        `Cannot read ${dir}: frame ${files[t]} is ${img.height}×${img.width}, the first frame is ${clip.height}×${clip.width}`,
      );
    }
    const base = t * clip.height * clip.width * 3;
    const c = img.channels;
    for (let p = 0; p < img.height * img.width; p++) {
      const grey = c <= 2;
      for (let k = 0; k < 3; k++) clip.data[base + 3 * p + k] = img.data[p * c + (grey ? 0 : k)];
    }
  }
  return clip!;
}

function isVideoFile(path: string): boolean {
  const lower = path.toLowerCase();
  return VIDEO_EXTENSIONS.some((e) => lower.endsWith(e));
}

async function fromVideoFile(path: string, options: LoadVideoOptions): Promise<Clip> {
  const ffprobe = options.ffprobe ?? "ffprobe";
  const ffmpeg = options.ffmpeg ?? "ffmpeg";
  let probe: Deno.CommandOutput;
  try {
    probe = await new Deno.Command(ffprobe, {
      args: ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot decode ${path}: ${ffprobe} / ${ffmpeg} not found; install them with \`apt-get install -y ffmpeg\` or pass PNG frames or safetensors instead`,
      );
    }
    throw e;
  }
  if (!probe.success) throw new Error(`Cannot decode ${path}: ffprobe failed: ${new TextDecoder().decode(probe.stderr).trim()}`);
  const [width, height] = new TextDecoder().decode(probe.stdout).trim().split(",").map(Number);
  if (!(width > 0 && height > 0)) throw new Error(`Cannot decode ${path}: ffprobe found no video stream`);
  const out = await new Deno.Command(ffmpeg, {
    args: ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`Cannot decode ${path}: ffmpeg failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  const frameSize = width * height * 3;
  if (out.stdout.length === 0 || out.stdout.length % frameSize !== 0) {
    throw new Error(`Cannot decode ${path}: ffmpeg returned ${out.stdout.length} bytes, not a multiple of ${width}×${height}×3`);
  }
  return { source: path, frames: out.stdout.length / frameSize, height, width, data: out.stdout };
}

function stack(clips: Clip[], name: string): Video {
  const first = clips[0];
  for (const c of clips) {
    if (c.frames !== first.frames || c.height !== first.height || c.width !== first.width) {
      throw new RangeError(
        `Cannot read ${name}: all videos need the same frames and size; ${c.source} is ${c.frames}×${c.height}×${c.width}, ${first.source} is ${first.frames}×${first.height}×${first.width}`,
      );
    }
  }
  const size = first.data.length;
  const data = new Uint8Array(clips.length * size);
  clips.forEach((c, i) => data.set(c.data, i * size));
  return { data, shape: [clips.length, first.frames, first.height, first.width, 3] };
}
