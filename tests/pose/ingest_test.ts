import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { ensureFfmpeg } from "../../lib/data/ensure_ffmpeg.ts";
import { ingestVideos } from "../../lib/pose/ingest_videos.ts";
import { readVideoFrames } from "../../lib/data/read_video_frames.ts";
import { makeDataset } from "../../datasets/make_dataset.ts";
import { main as ingestCli } from "../../lib/pose/cli/ingest_cli.ts";
import { loadPoseModels } from "../../lib/pose/load_pose_models.ts";
import { encodePng } from "../../lib/io/png.ts";
import { generateClip } from "../../lib/synthetic/generate_clip.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";

await initEngine({ backend: "cpu" });
await ensureFfmpeg();
const PLAIN = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };
const spec = sampleClipSpec(5, { rates: PLAIN });
const N = 9, S = 128;
const truth = generateClip(spec, { frames: N, height: S, width: S });

/** Writes the synthetic clip as PNG frames and as an 8 fps H.264 mp4. */
async function makeInputs(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/in/frames`, { recursive: true });
  const px = S * S * 3;
  for (let f = 0; f < N; f++) {
    const data = Uint8Array.from(truth.video.subarray(f * px, (f + 1) * px), (v) => Math.round(v * 255));
    await Deno.writeFile(`${dir}/in/frames/${String(f).padStart(3, "0")}.png`, await encodePng({ width: S, height: S, channels: 3, data }));
  }
  const enc = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-y", "-framerate", "8", "-i", `${dir}/in/frames/%03d.png`, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "12", `${dir}/in/dance.mp4`],
  }).output();
  assert.ok(enc.success);
}

Deno.test("readVideoFrames() resamples an mp4 and a frame folder to the same frames, reference = the last frame", async () => {
  const dir = await Deno.makeTempDir();
  await makeInputs(dir);
  // 8 fps source, 4 fps clip: frames 0, 2, 4; the reference is frame 8.
  const a = await readVideoFrames(`${dir}/in/dance.mp4`, { frames: 3, width: 32, height: 32, fps: 4 });
  const b = await readVideoFrames(`${dir}/in/frames`, { frames: 3, width: 32, height: 32, fps: 4, folderFps: 8 });
  assert.deepEqual(b.times, [0, 0.25, 0.5]);
  assert.equal(b.referenceTime, 1);
  let d = 0;
  for (let i = 0; i < a.frames.length; i++) d += Math.abs(a.frames[i] - b.frames[i]);
  assert.ok(d / a.frames.length < 4, `mean |mp4 − png| = ${d / a.frames.length} levels`);
  let r = 0;
  for (let i = 0; i < a.reference.length; i++) r += Math.abs(a.reference[i] - b.reference[i]);
  assert.ok(r / a.reference.length < 4);
  // Spread mode: 4 frames over 9 images → images 0, 2, 4, 6; reference 8.
  const c = await readVideoFrames(`${dir}/in/frames`, { frames: 4, width: 32, height: 32, folderFps: 8 });
  assert.deepEqual(c.times, [0, 0.25, 0.5, 0.75]);
  await assert.rejects(
    readVideoFrames(`${dir}/in/frames`, { frames: 9, width: 32, height: 32, fps: 4, folderFps: 8 }),
    /9 frames at 4 fps need 17 images at 8 fps, found 9/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ingestVideos() turns a video into a clip shard close to the source and reports bad files by name", async () => {
  const dir = await Deno.makeTempDir();
  await makeInputs(dir);
  await Deno.remove(`${dir}/in/frames`, { recursive: true });
  await Deno.writeTextFile(`${dir}/in/dance.txt`, "a person dancing in a room\n");
  await Deno.writeFile(`${dir}/in/empty.mp4`, new Uint8Array(0));
  await Deno.writeTextFile(`${dir}/in/broken.mp4`, "not a video");
  const grey = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=64x64:r=8:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", `${dir}/in/nobody.mp4`],
  }).output();
  assert.ok(grey.success);
  const models = await loadPoseModels({ body: "movenet-lightning", landmarks: "blazepose-lite", hands: "handlandmark-lite" });
  const before = tf.memory().numTensors;
  const report = await ingestVideos(`${dir}/in`, `${dir}/out`, {
    frames: 1,
    height: 64,
    width: 64,
    fps: 8,
    models,
    pose: { refineHands: false },
  });
  assert.equal(tf.memory().numTensors, before);
  models.dispose();
  const byName = Object.fromEntries(report.entries.map((e) => [e.file.split("/").pop(), e]));
  assert.deepEqual(Object.keys(byName).sort(), ["broken.mp4", "dance.mp4", "empty.mp4", "nobody.mp4"]);
  assert.equal(report.ok, 1);
  assert.equal(report.failed, 3);
  const err = (n: string) => (byName[n] as { error: string }).error;
  assert.match(err("empty.mp4"), /empty\.mp4: the file is empty/);
  assert.match(err("broken.mp4"), /broken\.mp4: ffprobe failed/);
  assert.match(err("nobody.mp4"), /Cannot ingest .*nobody\.mp4: no person found/);
  const saved = JSON.parse(await Deno.readTextFile(`${dir}/out/ingest.json`));
  assert.equal(saved.entries.length, 4);
  // Per video, what was kept and dropped.
  const kept = (byName["dance.mp4"] as { kept: Record<string, unknown> }).kept;
  assert.equal(kept.keptFrames, 1);
  assert.deepEqual(kept.framesWithoutPerson, []);
  assert.equal((kept.bodyKeypointsKept as number[])[0] + (kept.bodyKeypointsDropped as number[])[0], 18);
  assert.equal(kept.captionSource, "txt");
  assert.deepEqual(saved.entries.find((e: { file: string }) => e.file.endsWith("dance.mp4")).kept, kept);
  const dropped = (n: string) => (byName[n] as { dropped: string }).dropped;
  assert.equal(dropped("nobody.mp4"), "no person found");
  assert.equal(dropped("broken.mp4"), "unreadable");

  const ds = await makeDataset({ kind: "folder", path: `${dir}/out` });
  assert.equal(ds.size, 1);
  const clip = await ds.get(0);
  assert.equal(clip.id, "dance");
  assert.equal(clip.caption, "a person dancing in a room");
  assert.deepEqual(clip.categories, []);
  assert.equal(clip.persons, 1);
  // Frame 0 against the synthetic source at 64 px (box-downsampled): H.264 + area scaling only.
  const gt = generateClip(spec, { frames: 1, height: 64, width: 64 });
  let se = 0;
  for (let i = 0; i < clip.video.length; i++) se += (clip.video[i] - gt.video[i]) ** 2;
  const psnr = 10 * Math.log10(1 / (se / clip.video.length));
  assert.ok(psnr > 22, `PSNR ${psnr} dB`);
  // The matte against the true mask, and the confident body keypoints against the truth.
  let inter = 0, union = 0;
  for (let i = 0; i < clip.mask.length; i++) (inter += clip.mask[i] * gt.mask[i]), (union += Math.max(clip.mask[i], gt.mask[i]));
  assert.ok(inter / union > 0.5, `mask IoU ${inter / union}`);
  const vis = clip.visibility.slice(0, 18).reduce((a, b) => a + b, 0);
  assert.ok(vis >= 12, `${vis} confident body keypoints`);
  for (const img of [clip.poses.skeleton, clip.poses.body]) assert.ok(img.some((v) => v > 0));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ingest_cli exits 2 on bad arguments and names them", async () => {
  assert.equal(await ingestCli(["--in", "x", "--out", "y", "--frames", "6"]), 2);
  assert.equal(await ingestCli(["--frames", "5"]), 2);
});
