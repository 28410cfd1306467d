import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { makeTrainSet } from "../../lib/workbench/_train_set.ts";
import { openRunData } from "../../lib/workbench/_run_data.ts";
import { masksToTensor, videosToTensor } from "../../lib/workbench/_pipeline_data.ts";

const sel = { set: "pretrain", split: "train", count: 7, frames: 5, height: 32, width: 32 } as const;
const model = { vae: { checkpoint: null, preset: "vae-smoke" }, model: { checkpoint: null, preset: "wan-smoke" } };
const data = await openRunData({ kind: "synthetic" }, { set: "pretrain", size: { frames: 5, height: 32, width: 32 }, counts: {}, model });

Deno.test("makeClips(sel, skip) gives the clips skip… of the same split as one longer call", () => {
  const all = makeClips(sel);
  const tail = makeClips({ ...sel, count: 3 }, 4);
  assert.deepEqual(tail.map((c) => c.id), all.slice(4).map((c) => c.id));
  assert.deepEqual(Array.from(tail[2].video), Array.from(all[6].video));
  const val = makeClips({ ...sel, split: "val", count: 2 }, 1);
  assert.equal(val[0].id, makeClips({ ...sel, split: "val", count: 2 })[1].id);
  assert.throws(() => makeClips(sel, -1), RangeError);
});

Deno.test("makeTrainSet() in chunks of 3 stacks the same videos, masks and captions as all 7 clips at once", async () => {
  await tf.setBackend("cpu");
  const clips = makeClips(sel);
  const set = await makeTrainSet(data, { count: 7, masks: true, keepClips: true, chunk: 3 });
  const video = videosToTensor(clips), mask = masksToTensor(clips);
  assert.deepEqual(set.video.shape, [7, 3, 5, 32, 32]);
  assert.deepEqual(set.mask!.shape, [7, 1, 5, 32, 32]);
  assert.deepEqual(Array.from(set.video.dataSync()), Array.from(video.dataSync()));
  assert.deepEqual(Array.from(set.mask!.dataSync()), Array.from(mask.dataSync()));
  assert.deepEqual(set.captions, clips.map((c) => c.caption));
  assert.deepEqual(set.clips!.map((c) => c.id), clips.map((c) => c.id));
  tf.dispose([set.video, set.mask!, video, mask]);
});

Deno.test("makeTrainSet() without keepClips or masks keeps only the captions and the video, leaving no chunk tensor", async () => {
  await tf.setBackend("cpu");
  const before = tf.memory().numTensors;
  const set = await makeTrainSet(data, { count: 7, masks: false, keepClips: false, chunk: 2 });
  assert.equal(set.clips, null);
  assert.equal(set.mask, null);
  assert.equal(set.captions.length, 7);
  assert.equal(tf.memory().numTensors, before + 1, "only the stacked video is alive");
  set.video.dispose();
  await assert.rejects(makeTrainSet(data, { count: 7, masks: false, keepClips: false, chunk: 0 }), /chunks of 0 clips/);
});
