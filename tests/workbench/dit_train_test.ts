/**
 * The DiT phase's use of the EMA weights: with `train.emaDecay` > 0 the
 * trained model (what is validated, saved and sampled) is the EMA.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { DEFAULT_RUN_CONFIG, type RunConfig } from "../../lib/workbench/mod.ts";
import { ditTrain } from "../../lib/workbench/_dit_train.ts";
import { tensorSource } from "../../lib/workbench/_pipeline_data.ts";
import { runContext } from "./_fixtures.ts";

await initEngine({});

const W0 = [0.3, -0.2, 0.5, 0.1];

/** A constant-LR config (runs of 1, 2, 3 steps follow one trajectory) with the given EMA decay. */
function config(steps: number, emaDecay: number): RunConfig {
  return {
    ...DEFAULT_RUN_CONFIG,
    train: { ...DEFAULT_RUN_CONFIG.train, steps, microBatch: 2, warmupSteps: 0, schedule: "constant", lr: 0.05, emaDecay, valEvery: 0 },
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
