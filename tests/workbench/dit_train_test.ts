/**
 * The DiT phase: with `train.emaDecay` > 0 the trained model (what is
 * validated, saved and sampled) is the EMA; `train.maskWeight` weights the
 * character's latents in the training loss; the validation loss reports the
 * character's error beside the unweighted one.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { type PretrainRunConfig, RUN_DEFAULTS } from "../../lib/workbench/mod.ts";
import { ditTrain, validationLoss } from "../../lib/workbench/_dit_train.ts";
import { stream, tensorSource } from "../../lib/workbench/_pipeline_data.ts";
import { runContext } from "./_fixtures.ts";

await initEngine({});

const W0 = [0.3, -0.2, 0.5, 0.1];

/** A constant-LR config (runs of 1, 2, 3 steps follow one trajectory) with the given EMA decay. */
function config(steps: number, emaDecay: number): PretrainRunConfig {
  const d = RUN_DEFAULTS.pretrain;
  return {
    ...d,
    train: { ...d.train, steps, microBatch: 2, schedule: { kind: "constant", warmupSteps: 0 }, lr: 0.05, emaDecay, valEvery: 0 },
  };
}

/** Trains v = w·x (per channel) on 4 fixed latents; returns w afterwards. */
async function train(steps: number, emaDecay: number, shouldStop = () => false): Promise<{ w: number[]; interrupted: boolean; step: number }> {
  const w = tf.variable(tf.tensor(W0, [1, 4, 1, 1, 1]), true, `w${Math.random()}`); // (1, C, 1, 1, 1)
  const latents = tf.tensor(Array.from({ length: 4 * 4 * 2 }, (_, i) => Math.sin(i)), [4, 4, 1, 1, 2]); // (N, C, F, H, W)
  const dir = await Deno.makeTempDir();
  const res = await ditTrain(config(steps, emaDecay), { ...runContext(dir, "t"), shouldStop }, {
    params: { w },
    trainable: ["w"],
    model: (x) => tf.mul(x, w),
    cond: () => ({}),
    data: tensorSource({ latents }, 0) as never,
  });
  const out = Array.from(await w.data());
  tf.dispose([w, latents]);
  await Deno.remove(dir, { recursive: true });
  return { w: out, interrupted: res.interrupted, step: res.step };
}

Deno.test("ditTrain() with emaDecay 0.5 leaves the EMA of the weights after each step in the params", async () => {
  const raw: number[][] = [];
  for (const steps of [1, 2, 3]) raw.push((await train(steps, 0)).w);
  // The raw weights move (otherwise the EMA would equal them trivially).
  assert.ok(raw[2].some((v, i) => Math.abs(v - W0[i]) > 1e-3), `w3 ${raw[2]}`);
  // e0 = w0; e_k = 0.5·e_{k−1} + 0.5·w_k.
  let e = [...W0];
  for (const wk of raw) e = e.map((v, i) => 0.5 * v + 0.5 * wk[i]);
  const got = (await train(3, 0.5)).w;
  got.forEach((v, i) => assert.ok(Math.abs(v - e[i]) < 1e-6, `w[${i}] ${v} vs EMA ${e[i]} (raw ${raw[2][i]})`));
});

Deno.test("ditTrain() interrupted keeps the raw weights in the params (the EMA stays in the checkpoint)", async () => {
  let calls = 0;
  const got = await train(3, 0.5, () => ++calls > 1);
  assert.equal(got.interrupted, true);
  assert.ok(got.step >= 1 && got.step < 3, `stopped at step ${got.step}`);
  const raw = (await train(got.step, 0)).w;
  got.w.forEach((v, i) => assert.ok(Math.abs(v - raw[i]) < 1e-7, `w[${i}] ${v} vs raw ${raw[i]}`));
});

/** One step of v = w·x on 4 fixed latents with the given mask weight and latent mask; returns the logged step record. */
async function firstStep(maskWeight: number, mask: tf.Tensor | null): Promise<Record<string, number>> {
  const w = tf.variable(tf.tensor(W0, [1, 4, 1, 1, 1]), true, `w${Math.random()}`); // (1, C, 1, 1, 1)
  const latents = tf.tensor(Array.from({ length: 4 * 4 * 2 }, (_, i) => Math.sin(i)), [4, 4, 1, 1, 2]); // (N, C, F, H, W)
  const dir = await Deno.makeTempDir();
  const cfg = config(1, 0);
  try {
    await ditTrain({ ...cfg, train: { ...cfg.train, maskWeight } }, runContext(dir, "t"), {
      params: { w },
      trainable: ["w"],
      model: (x) => tf.mul(x, w),
      cond: () => ({}),
      data: tensorSource(mask ? { latents, mask } : { latents }, 0) as never,
    });
    const lines = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
    return lines.find((r) => r.step === 1);
  } finally {
    tf.dispose([w, latents]);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ditTrain() with maskWeight λ weighs masked latents 1 + λ and the rest 1 in the training loss", async () => {
  const plain = await firstStep(0, null);
  const ones = tf.ones([4, 1, 1, 1, 2]), zeros = tf.zeros([4, 1, 1, 1, 2]);
  // Same seed, same σ and noise: a mask over everything scales the loss by 1 + λ, an empty mask leaves it.
  const all = await firstStep(10, ones);
  const none = await firstStep(10, zeros);
  assert.ok(Math.abs(all.loss - 11 * plain.loss) < 1e-5 * all.loss, `${all.loss} vs 11 × ${plain.loss}`);
  assert.ok(Math.abs(none.loss - plain.loss) < 1e-6, `${none.loss} vs ${plain.loss}`);
  // The loss-by-timestep buckets stay unweighted.
  for (const k of Object.keys(plain).filter((k) => k.startsWith("loss_s"))) assert.equal(all[k], plain[k], k);
  // Half the positions masked: between the two.
  const half = tf.tensor([1, 0, 1, 0, 1, 0, 1, 0], [4, 1, 1, 1, 2]);
  const mid = await firstStep(10, half);
  assert.ok(mid.loss > plain.loss && mid.loss < all.loss, `${mid.loss} not in (${plain.loss}, ${all.loss})`);
  await assert.rejects(() => firstStep(10, null), /train.maskWeight is 10 but the batch has no character mask/);
  tf.dispose([ones, zeros, half]);
});

Deno.test("validationLoss() reports val_loss_character, the error over the masked latents only", async () => {
  const latents = tf.tensor(Array.from({ length: 2 * 2 * 1 * 1 * 2 }, (_, i) => Math.cos(i)), [2, 2, 1, 1, 2]); // (N, C, F, H, W)
  const model = (x: tf.Tensor) => tf.mul(x, 0.5);
  const cfg = { ...RUN_DEFAULTS.pretrain, train: { ...RUN_DEFAULTS.pretrain.train, valSigmas: [0.5] } };
  const plain = await validationLoss(cfg, model, { latents, cond: () => ({}) })(0);
  assert.equal(plain.val_loss_character, undefined);
  const ones = tf.ones([2, 1, 1, 1, 2]);
  const all = await validationLoss(cfg, model, { latents, cond: () => ({}), mask: ones })(0);
  assert.equal(all.val_loss, plain.val_loss);
  assert.ok(Math.abs(all.val_loss_character - plain.val_loss) < 1e-6, `${all.val_loss_character} vs ${plain.val_loss}`);
  // Only position w = 0 of each clip: the mean of the squared errors there, from the same noise.
  const first = tf.tensor([1, 0, 1, 0], [2, 1, 1, 1, 2]);
  const got = (await validationLoss(cfg, model, { latents, cond: () => ({}), mask: first })(0)).val_loss_character;
  const noise = tf.tensor(stream(cfg.seed, "val-0").normals(latents.size), latents.shape);
  const err = tf.tidy(() => {
    const xt = tf.add(tf.mul(latents, 0.5), tf.mul(noise, 0.5));
    return tf.squaredDifference(model(xt), tf.sub(noise, latents)).dataSync(); // (N, C, 1, 1, 2) flat
  });
  const atW0 = Array.from(err).filter((_, i) => i % 2 === 0);
  const expected = atW0.reduce((a, b) => a + b, 0) / atW0.length;
  assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
  tf.dispose([latents, ones, first, noise]);
});

Deno.test("validationLoss() uses the same noise levels at every shift: runs at shift 1 and 3 are compared on the same inputs", async () => {
  const latents = tf.tensor(Array.from({ length: 2 * 2 * 1 * 1 * 2 }, (_, i) => Math.sin(i + 1)), [2, 2, 1, 1, 2]); // (N, C, F, H, W)
  // A model that sees its input: the loss depends on the noise level it is given.
  const model = (x: tf.Tensor) => tf.mul(x, 0.5);
  const at = (shift: number) => ({
    ...RUN_DEFAULTS.pretrain,
    diffusion: { ...RUN_DEFAULTS.pretrain.diffusion, shift },
    train: { ...RUN_DEFAULTS.pretrain.train, valSigmas: [0.2, 0.6] },
  });
  const one = await validationLoss(at(1), model, { latents, cond: () => ({}) })(0);
  const three = await validationLoss(at(3), model, { latents, cond: () => ({}) })(0);
  assert.deepEqual(three, one);
  // By hand at σ = 0.2 (not shift 3's 0.4286): mean((0.5·(0.8·x0 + 0.2·ε) − (ε − x0))²) with the stream's noise.
  const noise = tf.tensor(stream(RUN_DEFAULTS.pretrain.seed, "val-0").normals(latents.size), latents.shape);
  const expected = tf.tidy(() => tf.mean(tf.squaredDifference(model(tf.add(tf.mul(latents, 0.8), tf.mul(noise, 0.2))), tf.sub(noise, latents))).dataSync()[0]);
  assert.ok(Math.abs(one["val_loss_s0.2"] - expected) < 1e-6, `${one["val_loss_s0.2"]} vs ${expected}`);
  tf.dispose([latents, noise]);
});
