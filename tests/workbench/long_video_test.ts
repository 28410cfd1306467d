import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { type Cond, replaceKnownFrames, sample } from "../../lib/diffusion/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { longVideoPlan } from "../../lib/workbench/long_video_plan.ts";
import { sampleLongVideo, type SampleLongVideoOptions } from "../../lib/workbench/sample_long_video.ts";
import { animateLong } from "../../lib/workbench/animate_long.ts";
import { parseAnimateLongArgs } from "../../lib/workbench/animate_long_cli.ts";

await initEngine({ backend: "cpu" });

Deno.test("longVideoPlan() cuts N frames into segments that share 4(K−1)+1 frames and names the seams", () => {
  const k1 = longVideoPlan(33, { segmentFrames: 9, overlap: 1 });
  assert.deepStrictEqual([k1.starts, k1.overlapFrames, k1.coveredFrames], [[0, 8, 16, 24], 1, 33]);
  assert.deepStrictEqual(k1.seams, [[8, 9], [16, 17], [24, 25]]);
  const k2 = longVideoPlan(33, { segmentFrames: 9, overlap: 2 });
  assert.deepStrictEqual([k2.starts, k2.overlapFrames, k2.seams[0]], [[0, 4, 8, 12, 16, 20, 24], 5, [8, 9]]);
  const k0 = longVideoPlan(33, { segmentFrames: 9, overlap: 0 });
  assert.deepStrictEqual([k0.starts, k0.coveredFrames, k0.seams], [[0, 9, 18, 27], 36, [[8, 9], [17, 18], [26, 27]]]);
  assert.deepStrictEqual(longVideoPlan(9, { segmentFrames: 9, overlap: 2 }).starts, [0]);
});

Deno.test("longVideoPlan() rejects N shorter than a segment, K >= the segment's latent frames, and T not 4k+1", () => {
  assert.throws(() => longVideoPlan(8, { segmentFrames: 9, overlap: 1 }), /Cannot generate 8 frames in segments of 9: .* >= one segment \(9 frames\)/);
  assert.throws(() => longVideoPlan(33, { segmentFrames: 9, overlap: 3 }), /Cannot overlap segments by 3 latent frames: a segment of 9 frames has 3 latent frames, so the overlap must be an integer in \[0, 2\]/);
  assert.throws(() => longVideoPlan(33, { segmentFrames: 9, overlap: -1 }), /by -1 latent frames/);
  assert.throws(() => longVideoPlan(33, { segmentFrames: 8, overlap: 0 }), /must be 4k\+1 frames .*received 8/);
});

Deno.test("replaceKnownFrames() shows the model the known frames noised to the call's σ and leaves the rest", () => {
  const seen: tf.Tensor[] = [];
  const model = (x: tf.Tensor) => {
    seen.push(tf.clone(x));
    return tf.zerosLike(x);
  };
  const known = tf.tensor5d([2, 4], [1, 1, 1, 1, 2]);
  const noise = tf.tensor5d([10, 20, 0, 0, 0, 0], [1, 1, 3, 1, 2]);
  const fn = replaceKnownFrames(model, { known, noise });
  fn(tf.fill([1, 1, 3, 1, 2], 7), tf.tensor1d([500]), {});
  assert.deepStrictEqual(Array.from(seen[0].dataSync()), [6, 12, 7, 7, 7, 7]); // 0.5·known + 0.5·noise, then x
  assert.throws(() => replaceKnownFrames(model, { known: tf.zeros([1, 1, 3, 1, 2]), noise }), /must be in \[1, 2\].*received 3/);
  assert.throws(() => replaceKnownFrames(model, { known: tf.zeros([1, 2, 1, 1, 2]), noise }), /must match the noise/);
});

// A toy "VAE" with the causal layout: latent 0 ↔ frame 0, latent k ↔ frames 4k−3 … 4k (encoded from frame 4k).
const H = 2, W = 2;
function encode(v: tf.Tensor): tf.Tensor {
  const p = v.shape[2] as number;
  const idx = Array.from({ length: (p - 1) / 4 + 1 }, (_, k) => 4 * k);
  return tf.gather(v, idx, 2); // (1, 3, K, H, W)
}
async function decode(z: tf.Tensor): Promise<Float32Array> {
  const l = z.shape[2] as number;
  const idx = [0, ...Array.from({ length: 4 * (l - 1) }, (_, i) => 1 + Math.floor(i / 4))];
  const v = tf.tidy(() => tf.transpose(tf.div(tf.add(tf.clipByValue(tf.gather(z, idx, 2), -1, 1), 1), 2), [0, 2, 3, 4, 1]));
  const out = (await v.data()) as Float32Array; // (1, T, H, W, 3)
  v.dispose();
  return out;
}
// A velocity field that mixes frames (so a segment depends on its handed-over frames) and reads the pose.
const model = (x: tf.Tensor, _t: tf.Tensor, cond: Cond) =>
  tf.tidy(() => tf.add(tf.sub(tf.mul(x, 0.9), tf.mean(x, 2, true)), tf.mul(cond.pose, 0.1)));

const SAMPLER = { solver: "unipc", steps: 4, shift: 1, guidance: { kind: "none" } } as const;

function options(frames: number, overlap: number, seed = 0): SampleLongVideoOptions {
  return {
    frames,
    height: H,
    width: W,
    overlap,
    latentShape: [3, 3, H, W],
    cond: {},
    segmentCond: (start) => ({ pose: tf.fill([1, 3, 3, H, W], Math.sin(start)) }),
    encode,
    decode,
    prng: new Prng(seed),
    sampler: SAMPLER,
  };
}

Deno.test("sampleLongVideo() with N equal to one segment reproduces the ordinary sampler exactly", async () => {
  const before = tf.memory().numTensors;
  const long = await sampleLongVideo(model, options(9, 2, 5));
  const noise = tf.tensor(new Prng(5).normals(3 * 3 * H * W), [1, 3, 3, H, W]);
  const pose = tf.fill([1, 3, 3, H, W], 0);
  const z = sample(model, noise, { sampler: SAMPLER, cond: { pose } });
  const ordinary = await decode(z);
  tf.dispose([noise, pose, z]);
  assert.deepStrictEqual(long.video, ordinary);
  assert.deepStrictEqual(long.plan.starts, [0]);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
});

Deno.test("sampleLongVideo() is deterministic for a seed, hands the overlap over, and changes with the seed", async () => {
  const before = tf.memory().numTensors;
  const a = await sampleLongVideo(model, options(17, 1, 3));
  const b = await sampleLongVideo(model, options(17, 1, 3));
  const c = await sampleLongVideo(model, options(17, 1, 4));
  assert.deepStrictEqual(a.video, b.video);
  assert.notDeepStrictEqual(a.video, c.video);
  assert.deepStrictEqual(a.plan.starts, [0, 8]);
  // Independent segments share segment 0 (the same first noise) and differ after it.
  const i = await sampleLongVideo(model, options(17, 0, 3));
  const fs = H * W * 3;
  assert.deepStrictEqual(i.video.subarray(0, 9 * fs), a.video.subarray(0, 9 * fs));
  assert.notDeepStrictEqual(i.video.subarray(9 * fs), a.video.subarray(9 * fs));
  assert.equal(a.video.length, 17 * fs);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
});

Deno.test("sampleLongVideo() says why for N shorter than a segment or K >= the segment's latent frames", async () => {
  await assert.rejects(() => sampleLongVideo(model, options(5, 1)), /Cannot generate 5 frames in segments of 9/);
  await assert.rejects(() => sampleLongVideo(model, options(17, 3)), /overlap must be an integer in \[0, 2\]/);
});

Deno.test("animateLong() rejects a bad length, overlap or clip before loading anything", async () => {
  const run = "results/model_design/9-design=part-finetune-seed=0";
  const out = "/tmp/never.safetensors";
  await assert.rejects(() => animateLong(run, { clip: 0, frames: 5, out }), /Cannot generate 5 frames in segments of 9/);
  await assert.rejects(() => animateLong(run, { clip: 0, frames: 33, overlap: 3, out }), /overlap must be an integer in \[0, 2\]/);
  await assert.rejects(() => animateLong(run, { clip: 100, frames: 33, out }), /realisdance-val-syn has clips 0…99/);
  await assert.rejects(() => animateLong(run, { clip: 0, frames: 33, out: "/tmp/x.png" }), /ending in \.safetensors/);
});

Deno.test("parseAnimateLongArgs() reads the options and names the missing ones", () => {
  const a = parseAnimateLongArgs(["--run", "r/", "--clip", "2", "--frames", "33", "--out", "o.safetensors", "--overlap", "2", "--json"]);
  assert.deepStrictEqual([a.run, a.clip, a.frames, a.out, a.overlap, a.json, a.features], ["r", 2, 33, "o.safetensors", 2, true, true]);
  assert.throws(() => parseAnimateLongArgs(["--run", "r", "--frames", "33"]), /Missing --clip, --out/);
  assert.throws(() => parseAnimateLongArgs(["--bogus"]), /Unknown argument --bogus/);
});
