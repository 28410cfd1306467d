import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";
import { lrAt } from "../../lib/train/lr_schedule.ts";

await initEngine({ backend: "cpu" });

Deno.test("AdamW.step() matches the hand-computed first update with decoupled decay", async () => {
  // p=1, g=0.5, lr=0.1, λ=0.01: m̂=0.5, v̂=0.25, update=0.5/(0.5+1e-8); p ← p(1−lr·λ) − lr·update
  const w = tf.variable(tf.tensor1d([1, -2]), true, "adamw_test_w");
  const opt = new AdamW({ w }, { lr: 0.1, weightDecay: 0.01 });
  const g = tf.tensor1d([0.5, 0.25]);
  opt.step({ w: g }, 0.1);
  const got = await w.data();
  const expect0 = 1 * (1 - 0.1 * 0.01) - 0.1 * (0.5 / (0.5 + 1e-8));
  const expect1 = -2 * (1 - 0.1 * 0.01) - 0.1 * (0.25 / (0.25 + 1e-8));
  assert.ok(Math.abs(got[0] - expect0) < 1e-6, `${got[0]} vs ${expect0}`);
  assert.ok(Math.abs(got[1] - expect1) < 1e-6, `${got[1]} vs ${expect1}`);
  assert.equal(opt.iterations, 1);
  opt.dispose();
  tf.dispose([w, g]);
});

Deno.test("AdamW.setState() restores moments so the next step equals an uninterrupted one", async () => {
  const mk = () => tf.variable(tf.tensor1d([0.3, 0.7]), true);
  const a = mk(), b = mk();
  const oa = new AdamW({ a }, { lr: 0.05 }), ob = new AdamW({ b }, { lr: 0.05 });
  const g1 = tf.tensor1d([0.1, -0.4]), g2 = tf.tensor1d([-0.2, 0.3]);
  oa.step({ a: g1 }, 0.05);
  ob.step({ b: g1 }, 0.05);
  const st = oa.getState();
  const c = tf.variable(tf.clone(a));
  const oc = new AdamW({ a: c }, { lr: 0.05 });
  oc.setState(st);
  ob.step({ b: g2 }, 0.05);
  oc.step({ a: g2 }, 0.05);
  assert.deepEqual(Array.from(await c.data()), Array.from(await b.data()));
  for (const o of [oa, ob, oc]) o.dispose();
  tf.dispose([a, b, c, g1, g2, ...Object.values(st.m), ...Object.values(st.v)]);
});

Deno.test("AdamW() rejects beta1 outside [0, 1)", () => {
  const w = tf.variable(tf.zeros([1]));
  assert.throws(() => new AdamW({ w }, { lr: 0.1, beta1: 1 }), /beta1 must be in \[0, 1\): received 1/);
  w.dispose();
});

Deno.test("lrAt() warms up linearly then follows a cosine to minLr", () => {
  const s = { kind: "cosine", warmupSteps: 10, minLr: 1e-4 } as const;
  assert.equal(lrAt(s, { lr: 1e-3, step: 0, totalSteps: 110 }), 1e-4);
  assert.equal(lrAt(s, { lr: 1e-3, step: 9, totalSteps: 110 }), 1e-3);
  assert.equal(lrAt(s, { lr: 1e-3, step: 10, totalSteps: 110 }), 1e-3);
  assert.ok(Math.abs(lrAt(s, { lr: 1e-3, step: 60, totalSteps: 110 }) - 5.5e-4) < 1e-12);
  assert.ok(Math.abs(lrAt(s, { lr: 1e-3, step: 110, totalSteps: 110 }) - 1e-4) < 1e-12);
  assert.equal(lrAt({ kind: "constant", warmupSteps: 0 }, { lr: 2e-3, step: 5, totalSteps: 10 }), 2e-3);
});

Deno.test("AdamW leaves no tensor behind once disposed", () => {
  const w = tf.variable(tf.zeros([3, 2]));
  const before = tf.memory().numTensors;
  const opt = new AdamW({ w }, { lr: 0.1 });
  opt.dispose();
  assert.equal(tf.memory().numTensors, before);
  w.dispose();
});
