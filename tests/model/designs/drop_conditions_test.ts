import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { unconditionalCond } from "../../../lib/diffusion/mod.ts";
import { initEngine } from "../../../lib/engine/mod.ts";
import { designGuidance, dropConditions } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";

await initEngine({ backend: "cpu" });

Deno.test("dropConditions() drops text and reference at their rates, independently (20k samples within 3σ)", () => {
  const n = 20000;
  const cond = { context: tf.ones([n, 1, 1]), reference: tf.ones([n, 1, 1, 1, 1]) };
  const nullContext = tf.zeros([1, 1, 1]), nullReference = tf.zeros([1, 1, 1, 1, 1]);
  const before = tf.memory().numTensors;
  const { cond: out, dropped } = dropConditions(cond, {
    prng: new Prng(2025),
    pText: 0.05,
    pReference: 0.1,
    nullContext,
    nullReference,
  });
  const within = (k: number, p: number) => Math.abs(k / n - p) <= 3 * Math.sqrt((p * (1 - p)) / n);
  const text = dropped.text.filter(Boolean).length;
  const ref = dropped.reference.filter(Boolean).length;
  const both = dropped.text.filter((t, i) => t && dropped.reference[i]).length;
  assert.ok(within(text, 0.05), `text rate ${text / n}`);
  assert.ok(within(ref, 0.1), `reference rate ${ref / n}`);
  assert.ok(within(both, 0.005), `joint rate ${both / n}`);
  // The tensors follow the draws exactly.
  const c = out.context.dataSync(), r = out.reference.dataSync();
  for (let i = 0; i < n; i++) {
    assert.equal(c[i], dropped.text[i] ? 0 : 1);
    assert.equal(r[i], dropped.reference[i] ? 0 : 1);
  }
  assert.equal(tf.memory().numTensors, before + 2, "only the two returned tensors are new");
  tf.dispose([...Object.values(out), ...Object.values(cond), nullContext, nullReference]);
});

Deno.test("dropConditions() is deterministic per seed, keeps the pose, pads a shorter empty-prompt context", () => {
  const prng = new Prng(9);
  const cond = {
    context: tf.tensor(prng.normals(4 * 3 * 2), [4, 3, 2]),
    reference: tf.tensor(prng.normals(4 * 8), [4, 2, 1, 2, 2]),
    pose: tf.tensor(prng.normals(4 * 8), [4, 2, 1, 2, 2]),
  };
  const nullContext = tf.tensor([[[7, 8]]]); // one token: [1, 1, 2]
  const nullReference = tf.fill([1, 2, 1, 2, 2], -1);
  const run = (seed: number) =>
    dropConditions(cond, { prng: new Prng(seed), pText: 0.5, pReference: 0.5, nullContext, nullReference });
  const a = run(3), b = run(3), c = run(4);
  assert.deepEqual(a.dropped, b.dropped);
  assert.notDeepEqual(a.dropped, c.dropped);
  assert.deepEqual(a.dropped, { text: [true, false, false, false], reference: [true, false, false, true] });
  assert.deepEqual(a.cond.context.shape, [4, 3, 2]);
  const ctx = a.cond.context.arraySync() as number[][][];
  assert.deepEqual(ctx[0], [[7, 8], [0, 0], [0, 0]]); // the empty prompt, zero-padded as text_embedding would
  assert.deepEqual(ctx[1], (cond.context.arraySync() as number[][][])[1]);
  const ref = a.cond.reference.arraySync() as number[][][][][];
  assert.ok(ref[3].flat(3).every((v) => v === -1));
  assert.deepEqual(ref[2], (cond.reference.arraySync() as number[][][][][])[2]);
  assert.deepEqual(a.cond.pose.dataSync(), cond.pose.dataSync());
  assert.notEqual(a.cond.pose, cond.pose, "every returned tensor is the caller's own");
  for (const r of [a, b, c]) tf.dispose(Object.values(r.cond));
  tf.dispose([...Object.values(cond), nullContext, nullReference]);
});

Deno.test("dropConditions() consumes two draws per sample whatever the rates and without a reference", () => {
  const cond = { context: tf.ones([3, 1, 1]) };
  const prng = new Prng(5);
  const { dropped, cond: out } = dropConditions(cond, { prng, pText: 0, pReference: 0 });
  assert.deepEqual(dropped, { text: [false, false, false], reference: [false, false, false] });
  const ref = new Prng(5);
  for (let i = 0; i < 6; i++) ref.uniform();
  assert.equal(prng.uniform(), ref.uniform());
  tf.dispose([...Object.values(out), cond.context]);
});

Deno.test("dropConditions() errors name the missing or misshaped null condition", () => {
  const cond = { context: tf.ones([2, 3, 4]), reference: tf.ones([2, 4, 1, 2, 2]) };
  assert.throws(() => dropConditions(cond, { prng: new Prng(0), pText: 1 }), /options.nullContext is missing/);
  assert.throws(
    () =>
      dropConditions(cond, { prng: new Prng(0), pText: 0, pReference: 1, nullReference: tf.zeros([1, 4, 1, 4, 4]) }),
    /options.nullReference must be \[1 or 2, 4,1,2,2\]: received \[1,4,1,4,4\]/,
  );
  assert.throws(() => dropConditions(cond, { prng: new Prng(0), pText: 2 }), /pText must be in \[0, 1\]: received 2/);
  tf.dispose(Object.values(cond));
});

Deno.test("designGuidance() drops text and reference and keeps the pose, scale 2 by default", () => {
  const cond = { context: tf.ones([1, 3, 4]), reference: tf.ones([1, 4, 1, 2, 2]), pose: tf.ones([1, 8, 1, 2, 2]) };
  const nullCond = { context: tf.zeros([1, 1, 4]), reference: tf.zeros([1, 4, 1, 2, 2]) };
  const g = designGuidance(nullCond);
  assert.equal(g.scale, 2);
  const u = unconditionalCond(cond, g);
  assert.equal(u.context, nullCond.context);
  assert.equal(u.reference, nullCond.reference);
  assert.equal(u.pose, cond.pose);
  assert.equal(designGuidance(nullCond, { scale: 3.5 }).scale, 3.5);
  assert.throws(
    () => designGuidance({ context: nullCond.context } as typeof nullCond),
    /nullCond must hold context and reference/,
  );
  tf.dispose([...Object.values(cond), ...Object.values(nullCond)]);
});
