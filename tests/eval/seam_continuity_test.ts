import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { featureNetworkFromParams, seamContinuity } from "../../lib/eval/mod.ts";

await initEngine({ backend: "cpu" });

Deno.test("seamContinuity() separates the seam pairs from the pairs inside segments (hand-computed)", async () => {
  // One pixel, frames 0, 0, 51, 51, 102 (8-bit): jumps of 51 at [1, 2] (a seam) and [3, 4] (inside).
  const data = new Float32Array([0, 0, 51, 51, 102].map((v) => v / 255));
  const c = await seamContinuity({ data, shape: [1, 5, 1, 1, 1] }, { seams: [[1, 2]] });
  assert.equal(c.seamPairs, 1);
  assert.equal(c.withinPairs, 3);
  assert.ok(Math.abs(c.seamFlicker - 0.8) < 1e-6);
  assert.ok(Math.abs(c.withinFlicker - (1 + 1 + 0.8) / 3) < 1e-6);
  assert.equal(c.seamFeatureDistance, null);
});

Deno.test("seamContinuity() gives 1 − cos of an image network's frame features at seams and within", async () => {
  // Mean RGB as the feature: red, red, green, green → the seam [1, 2] is orthogonal (distance 1), the rest 0.
  const net = featureNetworkFromParams({}, (_, x) => tf.mean(x, [1, 2]), {
    name: "mean-rgb",
    kind: "image",
    inputSize: [1, 1],
    normalize: "unit",
  });
  const px = [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]].flat();
  const c = await seamContinuity({ data: new Float32Array(px), shape: [1, 4, 1, 1, 3] }, { seams: [[1, 2]], network: net });
  assert.ok(Math.abs(c.seamFeatureDistance! - 1) < 1e-6);
  assert.ok(Math.abs(c.withinFeatureDistance!) < 1e-6);
});

Deno.test("seamContinuity() rejects a batch of several videos and a seam that is not two consecutive frames inside", async () => {
  const v = { data: new Float32Array(8), shape: [2, 4, 1, 1, 1] as [number, number, number, number, number] };
  await assert.rejects(() => seamContinuity(v, { seams: [] }), /must hold one video: received shape \[2,4,1,1,1\]/);
  const one = { data: new Float32Array(4), shape: [1, 4, 1, 1, 1] as [number, number, number, number, number] };
  await assert.rejects(() => seamContinuity(one, { seams: [[1, 3]] }), /seam \[1,3\] as it must be \[t, t \+ 1\] with 0 <= t < 3/);
  await assert.rejects(() => seamContinuity(one, { seams: [[3, 4]] }), /seam \[3,4\]/);
});
