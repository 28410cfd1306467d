/**
 * MoveNet on chosen frames of a batch of videos: the same detections as one
 * detectMovenet() call per frame, clip-major, with progress per clip and
 * refusals for a shape that does not fit the data or frames out of range.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import { initEngine } from "../../lib/engine/mod.ts";
import { detectMovenet, detectMovenetFrames, ensureHumanModels } from "../../lib/pose/mod.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";

await initEngine({ backend: "cpu" });
const model = await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);

Deno.test("detectMovenetFrames() returns detectMovenet() on each chosen frame, clip-major, and reports each clip done", async () => {
  const [n, frames, h, w] = [2, 5, 24, 16];
  const clips = makeClips({ set: "pretrain", split: "eval", count: n, frames, height: h, width: w });
  const videos = new Float32Array(n * frames * h * w * 3);
  clips.forEach((c, i) => videos.set(c.video, i * c.video.length)); // (N, F, H, W, 3)
  const before = tf.memory().numTensors;
  const done: number[] = [];
  const found = await detectMovenetFrames(model, videos, [n, frames, h, w, 3], [1, 4], (d) => done.push(d));
  assert.equal(tf.memory().numTensors, before, "no tensor outlives the call");
  assert.deepEqual(done, [1, 2]);
  assert.equal(found.length, 4);
  for (const [k, [clip, frame]] of [[0, 1], [0, 4], [1, 1], [1, 4]].entries()) {
    const image = tf.tensor3d(clips[clip].video.subarray(frame * h * w * 3, (frame + 1) * h * w * 3), [h, w, 3]);
    const one = await detectMovenet(model, image);
    image.dispose();
    assert.deepEqual(found[k], one, `entry ${k} is clip ${clip}, frame ${frame}`);
  }
  // Different frames give different detections (the order above is not vacuous).
  assert.notDeepEqual(found[0].points, found[2].points);
});

Deno.test("detectMovenetFrames() refuses a shape that does not fit the data and frames outside 0..F-1", async () => {
  const videos = new Float32Array(2 * 3 * 8 * 8 * 3);
  await assert.rejects(
    () => detectMovenetFrames(model, videos, [2, 3, 8, 8, 3], [3]),
    (e: Error) => e instanceof RangeError && /frame 3: expected an integer in 0\.\.2/.test(e.message),
  );
  await assert.rejects(
    () => detectMovenetFrames(model, videos, [2, 4, 8, 8, 3], [0]),
    (e: Error) => e instanceof RangeError && /expected 1536 values, received 1152/.test(e.message),
  );
  await assert.rejects(
    () => detectMovenetFrames(model, videos, [2, 3, 8, 24], [0]),
    (e: Error) => e instanceof RangeError && /expected \[N, F, H, W, 3\]/.test(e.message),
  );
});
