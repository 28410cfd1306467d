import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { computeLatentStats, normalizeLatents, vaeEncode } from "../../lib/vae/mod.ts";
import { disposeVae, randomClip, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

Deno.test("computeLatentStats() gives the per-channel mean and population std of the posterior means over all batches", async () => {
  const vae = smokeVae();
  const batches = [randomClip([2, 3, 5, 16, 16], 21), randomClip([1, 3, 9, 16, 16], 22)];
  const stats = await computeLatentStats(vae, batches);
  // Reference in float64 from the encoded means directly.
  const c = vae.config.zDim;
  const values: number[][] = Array.from({ length: c }, () => []);
  for (const x of batches) {
    const { mean, logvar } = vaeEncode(vae, x);
    const [b, , f, h, w] = mean.shape;
    const data = mean.dataSync();
    for (let i = 0; i < b; i++) {
      for (let ch = 0; ch < c; ch++) {
        for (let k = 0; k < f * h * w; k++) values[ch].push(data[(i * c + ch) * f * h * w + k]);
      }
    }
    tf.dispose([mean, logvar]);
  }
  for (let ch = 0; ch < c; ch++) {
    const n = values[ch].length;
    assert.equal(n, 2 * 2 * 16 + 3 * 16);
    const m = values[ch].reduce((a, v) => a + v, 0) / n;
    const sd = Math.sqrt(values[ch].reduce((a, v) => a + (v - m) ** 2, 0) / n);
    assert.ok(Math.abs(stats.mean[ch] - m) <= 1e-6 * Math.max(1, Math.abs(m)), `mean[${ch}] ${stats.mean[ch]} vs ${m}`);
    assert.ok(Math.abs(stats.std[ch] - sd) <= 1e-5 * sd, `std[${ch}] ${stats.std[ch]} vs ${sd}`);
  }
  // The normalised latents of the same data have mean 0 and std 1 per channel.
  const { mean, logvar } = vaeEncode(vae, batches[1]);
  const single = await computeLatentStats(vae, [batches[1]]);
  const n = normalizeLatents(mean, single);
  const moments = tf.tidy(() => tf.moments(n, [0, 2, 3, 4]));
  for (const v of moments.mean.dataSync()) assert.ok(Math.abs(v) < 1e-5);
  for (const v of moments.variance.dataSync()) assert.ok(Math.abs(v - 1) < 1e-4);
  tf.dispose([...batches, mean, logvar, n, moments.mean, moments.variance]);
  disposeVae(vae);
});

Deno.test("computeLatentStats() rejects an empty set and a constant channel", async () => {
  const vae = smokeVae();
  await assert.rejects(() => computeLatentStats(vae, []), {
    name: "RangeError",
    message: "Cannot compute latent statistics from 0 value(s) per channel: expected at least 2",
  });
  vae.params["conv1.weight"].assign(tf.zeros([8, 8, 1, 1, 1]));
  const x = randomClip([1, 3, 5, 16, 16]);
  await assert.rejects(() => computeLatentStats(vae, [x]), {
    name: "RangeError",
    message: "Cannot compute latent statistics as channel 0 is constant (std 0)",
  });
  x.dispose();
  disposeVae(vae);
});
