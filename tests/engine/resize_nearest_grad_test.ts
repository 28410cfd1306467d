import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";

for (const backend of ["cpu", "blas"] as const) {
  Deno.test(`resizeNearestNeighbor's gradient on ${backend} sums each image's own dy block (batch of 2, hand-computed)`, async () => {
    await initEngine({ backend });
    const images = tf.zeros([2, 2, 2, 1]);
    const dy = tf.tensor4d(Array.from({ length: 32 }, (_, i) => i + 1), [2, 4, 4, 1]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 4]), dy)))(images);
    // Image 0: 1+2+5+6 = 14, 3+4+7+8 = 22, …; image 1 uses dy 17..32: 17+18+21+22 = 78, ….
    assert.deepEqual(Array.from(await g.data()), [14, 22, 46, 54, 78, 86, 110, 118]);
    tf.dispose([images, dy, g]);
  });
}
