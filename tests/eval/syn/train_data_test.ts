import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { imageBatch, MOTION_CLASSES, renderPool, videoBatch } from "../../../lib/eval/syn/_train_data.ts";
import { infoNce, maskedCrossEntropy } from "../../../lib/eval/syn/_syn_losses.ts";
import { SYN_NET_PRESETS } from "../../../lib/eval/syn/syn_net_config.ts";

await initEngine({ backend: "cpu" });

const pool = renderPool([
  { set: "pretrain", first: 0, count: 6, size: { frames: 9, height: 16, width: 16 } },
  { set: "finetune", first: 0, count: 4, size: { frames: 9, height: 32, width: 32 } },
]);

Deno.test("renderPool() renders training-set clips only, with the generator's labels", () => {
  assert.equal(pool.length, 10);
  assert.ok(pool.every((c) => c.id.startsWith("pretrain/") || c.id.startsWith("finetune/")));
  assert.ok(pool.every((c) => c.style >= 0 && c.background >= 0 && c.motion >= 0 && c.camera >= 0));
  assert.equal(MOTION_CLASSES.length, SYN_NET_PRESETS["video-syn"].heads.motion);
});

Deno.test("imageBatch() and videoBatch() are pure functions of (seed, position)", async () => {
  const a = imageBatch(pool, 40, 4, { seed: 3, size: [16, 16] });
  const b = imageBatch(pool, 40, 4, { seed: 3, size: [16, 16] });
  const c = imageBatch(pool, 44, 4, { seed: 3, size: [16, 16] });
  assert.deepEqual(a.x.shape, [8, 16, 16, 3]);
  assert.deepEqual(await a.x.data(), await b.x.data());
  assert.notDeepEqual(await a.x.data(), await c.x.data());
  const x = await a.x.data();
  assert.ok(x.every((v) => v >= -1 && v <= 1));
  const v1 = videoBatch(pool, 7, 4, { seed: 1, size: [16, 16], clipLength: 9 });
  const v2 = videoBatch(pool, 7, 4, { seed: 1, size: [16, 16], clipLength: 9 });
  assert.deepEqual(v1.x.shape, [12, 9, 16, 16, 3]); // 4 pairs + 4 corrupted copies
  assert.deepEqual(await v1.x.data(), await v2.x.data());
  assert.deepEqual(Array.from(await v1.naturalMask.data()), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  const temporal = await v1.temporal.argMax(1).data();
  assert.deepEqual(Array.from(temporal), [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 1]); // shuffled, frozen, flicker in turn
  // The frozen copy (row 9) repeats one frame in all 9.
  const x9 = await v1.x.slice([9, 0, 0, 0, 0], [1, 9, 16, 16, 3]).data();
  for (let t = 1; t < 9; t++) assert.deepEqual(x9.subarray(t * 768, (t + 1) * 768), x9.subarray(0, 768));
  for (const t of [a, b, c]) tf.dispose([t.x, t.style, t.styleMask, t.background, t.backgroundMask]);
  for (const t of [v1, v2]) tf.dispose([t.x, t.motion, t.camera, t.naturalMask, t.temporal]);
});

Deno.test("infoNce() is log(1 + e^(−1/τ)) for two orthogonal positive pairs; maskedCrossEntropy() skips masked rows", () => {
  const [l, ce, none] = tf.tidy(() => {
    const eye = tf.tensor2d([[2, 0], [0, 3]]); // lengths do not matter: rows are normalised
    const logits = tf.tensor2d([[0, 0], [5, -5]]);
    const onehot = tf.tensor2d([[1, 0], [1, 0]]);
    return [
      infoNce(eye, eye, 0.5).dataSync()[0],
      maskedCrossEntropy(logits, onehot, tf.tensor1d([1, 0])).dataSync()[0],
      maskedCrossEntropy(logits, onehot, tf.tensor1d([0, 0])).dataSync()[0],
    ];
  });
  assert.ok(Math.abs(l - Math.log(1 + Math.exp(-2))) < 1e-6, `${l}`);
  assert.ok(Math.abs(ce - Math.log(2)) < 1e-6);
  assert.equal(none, 0);
});
