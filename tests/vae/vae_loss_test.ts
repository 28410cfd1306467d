import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { vaeDecode, vaeEncode, vaeLoss, vaeSample } from "../../lib/vae/mod.ts";
import { disposeVae, randomClip, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

Deno.test("vaeLoss() KL is the mean of ½(μ² + σ² − 1 − log σ²) over latent elements", () => {
  const vae = smokeVae();
  // With conv1 (the moments conv) zeroed, every latent position has μ = bias[0:4], log σ² = bias[4:8].
  vae.params["conv1.weight"].assign(tf.zeros([8, 8, 1, 1, 1]));
  vae.params["conv1.bias"].assign(tf.tensor([1, 0, 0, 2, 0, 0, Math.log(2), 0]));
  // per channel: ½(1 + 1 − 1) = 0.5, 0, ½(2 − 1 − ln 2) = 0.1534264, ½·4 = 2 → mean 0.6633566
  const x = randomClip([1, 3, 5, 16, 16]);
  const { loss, recon, kl } = vaeLoss(vae, x, { prng: new Prng(0), klWeight: 0.25 });
  assert.ok(Math.abs(kl.dataSync()[0] - 0.6633566) < 1e-6, `kl = ${kl.dataSync()[0]}`);
  assert.ok(Math.abs(loss.dataSync()[0] - (recon.dataSync()[0] + 0.25 * 0.6633566)) < 1e-6);
  tf.dispose([x, loss, recon, kl]);
  disposeVae(vae);
});

Deno.test("vaeLoss() recon is the L1 (default) or squared error of decode(sample(encode(x))) with the same draws", () => {
  const vae = smokeVae();
  const x = randomClip([1, 3, 5, 16, 16]);
  const post = vaeEncode(vae, x);
  const z = vaeSample(post, { prng: new Prng(4) });
  const decoded = vaeDecode(vae, z);
  const l1 = tf.tidy(() => tf.mean(tf.abs(tf.sub(decoded, x))).dataSync()[0]);
  const l2 = tf.tidy(() => tf.mean(tf.square(tf.sub(decoded, x))).dataSync()[0]);
  const a = vaeLoss(vae, x, { prng: new Prng(4), klWeight: 0 });
  const b = vaeLoss(vae, x, { prng: new Prng(4), klWeight: 0, reconstruction: "mse" });
  assert.ok(Math.abs(a.recon.dataSync()[0] - l1) < 1e-6);
  assert.ok(Math.abs(b.recon.dataSync()[0] - l2) < 1e-6);
  assert.equal(a.loss.dataSync()[0], a.recon.dataSync()[0]);
  tf.dispose([x, post.mean, post.logvar, z, decoded, a.loss, a.recon, a.kl, b.loss, b.recon, b.kl]);
  disposeVae(vae);
});

Deno.test("vaeLoss() is deterministic for a seed and differs for another seed", () => {
  const vae = smokeVae();
  const x = randomClip([1, 3, 5, 16, 16]);
  const run = (seed: number) => {
    const r = vaeLoss(vae, x, { prng: new Prng(seed), klWeight: 1e-6 });
    const v = r.loss.dataSync()[0];
    tf.dispose([r.loss, r.recon, r.kl]);
    return v;
  };
  assert.equal(run(5), run(5));
  assert.notEqual(run(5), run(6));
  x.dispose();
  disposeVae(vae);
});

Deno.test("vaeLoss() gradients reach every parameter (attention q/k/v once its zero-initialised projection is not zero)", () => {
  const vae = smokeVae();
  const x = randomClip([1, 3, 5, 16, 16]);
  const grads = () => {
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => vaeLoss(vae, x, { prng: new Prng(1), klWeight: 1e-3 }).loss);
    const absMax: Record<string, number> = {};
    for (const [name, v] of Object.entries(vae.params)) {
      const g = grads[v.name]; // variableGrads keys gradients by tf variable name
      assert.ok(g, `no gradient for ${name}`);
      const data = g.dataSync() as Float32Array;
      assert.ok(data.every(Number.isFinite), `non-finite gradient for ${name}`);
      absMax[name] = data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    }
    tf.dispose([value, ...Object.values(grads)]);
    assert.equal(tf.memory().numTensors, before, "variableGrads of vaeLoss leaked tensors");
    return absMax;
  };
  const names = Object.keys(vae.params);
  // Wan zero-initialises the attention output projection, so nothing upstream of it inside the block learns at step 0.
  const blocked = (n: string) => /middle\.1\.(norm\.gamma|to_qkv\.(weight|bias))$/.test(n);
  const first = grads();
  for (const n of names) {
    if (blocked(n)) assert.equal(first[n], 0, `${n} should have no gradient while proj.weight is 0`);
    else assert.ok(first[n] > 0, `${n} has a zero gradient`);
  }
  const prng = new Prng(2);
  for (const n of ["encoder.middle.1.proj.weight", "decoder.middle.1.proj.weight"]) {
    const v = vae.params[n];
    v.assign(tf.tensor(prng.normals(v.size), v.shape));
  }
  const second = grads();
  for (const n of names) assert.ok(second[n] > 0, `${n} has a zero gradient`);
  x.dispose();
  disposeVae(vae);
});

Deno.test("vaeLoss() rejects a negative KL weight and an unknown reconstruction kind", () => {
  const vae = smokeVae();
  const x = tf.zeros([1, 3, 1, 16, 16]);
  assert.throws(() => vaeLoss(vae, x, { prng: new Prng(0), klWeight: -1 }), {
    name: "RangeError",
    message: "Cannot compute the VAE loss as klWeight must be >= 0 and finite: received -1",
  });
  assert.throws(() => vaeLoss(vae, x, { prng: new Prng(0), klWeight: 0, reconstruction: "l2" as "mse" }), {
    name: "RangeError",
    message: 'Cannot compute the VAE loss as reconstruction must be "l1" or "mse": received "l2"',
  });
  x.dispose();
  disposeVae(vae);
});

Deno.test("vaeLoss() with a per-pixel weight is Σ w·|err| / (3·Σ w), all-ones equals the unweighted mean", () => {
  const vae = smokeVae();
  const x = randomClip([2, 3, 5, 16, 16]);
  const post = vaeEncode(vae, x);
  const z = vaeSample(post, { prng: new Prng(9) });
  const decoded = vaeDecode(vae, z);
  // Weight 1 + 4·mask with the mask on the left half of the frame of clip 0 only.
  const maskData = new Float32Array(2 * 5 * 16 * 16);
  for (let t = 0; t < 5; t++) for (let y = 0; y < 16; y++) for (let c = 0; c < 8; c++) maskData[(t * 16 + y) * 16 + c] = 1;
  const weight = tf.add(tf.mul(tf.tensor5d(maskData, [2, 1, 5, 16, 16]), 4), 1);
  const err = tf.abs(tf.sub(decoded, x)).dataSync(); // (2, 3, 5, 16, 16)
  const w = weight.dataSync(); // (2, 1, 5, 16, 16)
  let num = 0, den = 0;
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 5 * 256; p++) num += w[b * 1280 + p] * err[(b * 3 + c) * 1280 + p];
    }
    for (let p = 0; p < 1280; p++) den += 3 * w[b * 1280 + p];
  }
  // Σ w = 2·1280 + 4·(5·16·8) = 5120, times 3 channels
  assert.equal(den, 3 * 5120);
  const weighted = vaeLoss(vae, x, { prng: new Prng(9), klWeight: 0, weight });
  assert.ok(Math.abs(weighted.recon.dataSync()[0] - num / den) < 1e-6, `${weighted.recon.dataSync()[0]} vs ${num / den}`);
  const ones = tf.ones([2, 1, 5, 16, 16]);
  const plain = vaeLoss(vae, x, { prng: new Prng(9), klWeight: 0 });
  const unit = vaeLoss(vae, x, { prng: new Prng(9), klWeight: 0, weight: ones });
  assert.ok(Math.abs(unit.recon.dataSync()[0] - plain.recon.dataSync()[0]) < 1e-6);
  assert.throws(() => vaeLoss(vae, x, { prng: new Prng(0), klWeight: 0, weight: tf.ones([2, 3, 5, 16, 16]) }), {
    name: "RangeError",
    message: "Cannot weight the VAE loss as weight must have shape [2, 1, 5, 16, 16]: received [2, 3, 5, 16, 16]",
  });
  tf.dispose([x, post.mean, post.logvar, z, decoded, weight, ones]);
  tf.dispose([weighted.loss, weighted.recon, weighted.kl, plain.loss, plain.recon, plain.kl, unit.loss, unit.recon, unit.kl]);
  disposeVae(vae);
});
