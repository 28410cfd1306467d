/**
 * Private: a video as `STEM.mp4` (H.264, yuv420p) and `STEM.gif`, each frame
 * upscaled 4× with nearest-neighbour so a 32×32 sample can be seen, written
 * only where ffmpeg is already on PATH (nothing is installed). Each file is
 * written to a temporary name and renamed, so a reader never sees half a file.
 *
 * References: lib/data/ensure_ffmpeg.ts; ffmpeg `-f rawvideo -pix_fmt rgb24`.
 */
import { ensureFfmpeg } from "../data/ensure_ffmpeg.ts";

/**
 * @param stem the path without extension
 * @param video frames [F, H, W, 3] in [0, 1]
 * @param size frames, height, width and the playback rate
 * @returns the paths written (empty without ffmpeg)
 */
export async function writeVideoFiles(
  stem: string,
  video: Float32Array,
  size: { frames: number; height: number; width: number; fps: number },
): Promise<string[]> {
  try {
    await ensureFfmpeg({ install: false });
  } catch {
    return [];
  }
  const { frames, height, width, fps } = size;
  if (video.length !== frames * height * width * 3) {
    throw new RangeError(`Cannot encode the video as it must hold F·H·W·3 = ${frames * height * width * 3} values: received ${video.length}`);
  }
  const rgb = new Uint8Array(video.length);
  for (let i = 0; i < video.length; i++) rgb[i] = Math.round(Math.min(1, Math.max(0, video[i])) * 255);
  const scale = "scale=iw*4:ih*4:flags=neighbor";
  const written: string[] = [];
  for (const [ext, args] of [
    ["mp4", ["-vf", scale, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4"]],
    ["gif", ["-vf", scale, "-f", "gif"]],
  ] as const) {
    const path = `${stem}.${ext}`;
    const tmp = `${path}.tmp-${Deno.pid}`;
    const cmd = new Deno.Command("ffmpeg", {
      args: ["-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${width}x${height}`, "-r", String(fps), "-i", "-", ...args, tmp],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const w = cmd.stdin.getWriter();
    await w.write(rgb);
    await w.close();
    const res = await cmd.output();
    if (!res.success) {
      await Deno.remove(tmp).catch(() => {});
      throw new Error(`Cannot encode ${path} with ffmpeg: ${new TextDecoder().decode(res.stderr).trim().slice(-400)}`);
    }
    await Deno.rename(tmp, path);
    written.push(path);
  }
  return written;
}
