import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { vaeSample } from "../../lib/vae/mod.ts";

await initEngine({ backend: "cpu" });

Deno.test("vaeSample() returns mean + exp(logvar/2)·ε with ε the prng's normals in order", () => {
  const shape: [number, number, number, number, number] = [1, 2, 1, 1, 2];
  const mean = tf.tensor([1, -1, 0.5, 2], shape) as tf.Tensor5D;
  // σ = 2, 1, 0.5, e^10 (logvar 40 is clamped to 20)
  const logvar = tf.tensor([2 * Math.log(2), 0, 2 * Math.log(0.5), 40], shape) as tf.Tensor5D;
  const eps = new Prng(3).normals(4);
  const sigma = [2, 1, 0.5, Math.exp(10)];
  const z = vaeSample({ mean, logvar }, { prng: new Prng(3) }).dataSync();
  const m = [1, -1, 0.5, 2];
  for (let i = 0; i < 4; i++) {
    const expected = m[i] + sigma[i] * eps[i];
    assert.ok(Math.abs(z[i] - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `z[${i}] = ${z[i]}, expected ${expected}`);
  }
  tf.dispose([mean, logvar]);
});

Deno.test("vaeSample() is deterministic for a seed and differs across seeds", () => {
  const mean = tf.zeros([1, 4, 2, 2, 2]) as tf.Tensor5D;
  const a = vaeSample({ mean, logvar: mean }, { prng: new Prng(9) });
  const b = vaeSample({ mean, logvar: mean }, { prng: new Prng(9) });
  const c = vaeSample({ mean, logvar: mean }, { prng: new Prng(10) });
  assert.deepStrictEqual(a.dataSync(), b.dataSync());
  assert.notDeepStrictEqual(a.dataSync(), c.dataSync());
  tf.dispose([mean, a, b, c]);
});

Deno.test("vaeSample() rejects a mean and log-variance of different shapes", () => {
  const mean = tf.zeros([1, 4, 2, 2, 2]) as tf.Tensor5D;
  const logvar = tf.zeros([1, 4, 1, 2, 2]) as tf.Tensor5D;
  assert.throws(() => vaeSample({ mean, logvar }, { prng: new Prng(0) }), {
    name: "RangeError",
    message: "Cannot sample the posterior as mean and logvar shapes differ: [1, 4, 2, 2, 2] vs [1, 4, 1, 2, 2]",
  });
  tf.dispose([mean, logvar]);
});
