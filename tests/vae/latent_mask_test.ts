import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { latentMask, VAE_PRESETS, type VaeConfig } from "../../lib/vae/mod.ts";

await initEngine({ backend: "cpu" });

const toy: VaeConfig = {
  zDim: 4,
  dim: 8,
  dimMult: [1, 2],
  numResBlocks: 1,
  temporalDownsample: [true],
};

Deno.test("latentMask() maps frame 0 alone and later frames in groups of the temporal factor, max-pooling space", () => {
  // 5 frames of 4×4, 2× spatial and 2× temporal: latent grid 3 × 2 × 2.
  const m = tf.buffer([1, 1, 5, 4, 4]);
  m.set(1, 0, 0, 0, 0, 0); // frame 0, top-left block
  m.set(1, 0, 0, 2, 3, 3); // frame 2 (latent frame 1), bottom-right block
  m.set(0.5, 0, 0, 3, 0, 2); // frame 3 (latent frame 2), top-right block, partial value kept by max
  const out = latentMask(m.toTensor(), toy);
  assert.deepStrictEqual(out.shape, [1, 1, 3, 2, 2]);
  assert.deepStrictEqual(Array.from(out.dataSync()), [
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0.5,
    0,
    0,
  ]);
  out.dispose();
});

Deno.test("latentMask() gives the VAE's latent shape for the foundation's clips and rejects other layouts", () => {
  const out = latentMask(
    tf.ones([2, 1, 9, 32, 32]),
    VAE_PRESETS["vae-toy-z16"],
  );
  assert.deepStrictEqual(out.shape, [2, 1, 3, 8, 8]);
  assert.strictEqual(out.min().dataSync()[0], 1);
  assert.throws(
    () => latentMask(tf.ones([1, 3, 5, 4, 4]), toy),
    /must be \[B, 1, F, H, W\]: received \[1,3,5,4,4\]/,
  );
  assert.throws(
    () => latentMask(tf.ones([1, 1, 4, 4, 4]), toy),
    /F − 1 must divide by 2 and H, W by 2/,
  );
  out.dispose();
});
