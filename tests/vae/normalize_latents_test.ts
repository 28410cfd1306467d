import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { denormalizeLatents, normalizeLatents } from "../../lib/vae/mod.ts";
import { randomClip } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

const STATS = { mean: new Float32Array([1, -2]), std: new Float32Array([2, 0.5]) };

Deno.test("normalizeLatents() computes (z − mean) / std per channel", () => {
  // channel 0: (5 − 1)/2 = 2, (−3 − 1)/2 = −2; channel 1: (−1 + 2)/0.5 = 2, (−2 + 2)/0.5 = 0
  const z = tf.tensor([5, -3, -1, -2], [1, 2, 1, 1, 2]);
  const n = normalizeLatents(z, STATS);
  assert.deepStrictEqual(Array.from(n.dataSync()), [2, -2, 2, 0]);
  const back = denormalizeLatents(n, STATS);
  assert.deepStrictEqual(Array.from(back.dataSync()), [5, -3, -1, -2]);
  tf.dispose([z, n, back]);
});

Deno.test("denormalizeLatents() undoes normalizeLatents() exactly on dyadic values and to within 4 ulp on random ones", () => {
  const z = tf.mul(randomClip([2, 2, 3, 4, 4], 11), 8);
  const n = normalizeLatents(z, STATS);
  const back = denormalizeLatents(n, STATS);
  const a = z.dataSync(), b = back.dataSync();
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 2 ** -23 * Math.max(1, Math.abs(a[i])) * 4, `element ${i}: ${a[i]} vs ${b[i]}`);
  }
  tf.dispose([z, n, back]);
});

Deno.test("normalizeLatents() rejects statistics of the wrong length or a non-positive std", () => {
  const z = tf.zeros([1, 3, 1, 1, 1]);
  const before = tf.memory().numTensors;
  assert.throws(() => normalizeLatents(z, STATS), {
    name: "RangeError",
    message: "Cannot normalize latents as the statistics must have 3 channels: received mean 2, std 2",
  });
  const bad = { mean: new Float32Array(3), std: new Float32Array([1, 0, 1]) };
  assert.throws(() => denormalizeLatents(z, bad), {
    name: "RangeError",
    message: "Cannot denormalize latents as std must be > 0: received 0 for channel 1",
  });
  assert.equal(tf.memory().numTensors, before, "a rejected call must not leak tensors");
  z.dispose();
});
