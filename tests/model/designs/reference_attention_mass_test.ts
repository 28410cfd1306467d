import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { buildDesign, referenceAttentionMass } from "../../../lib/model/designs/mod.ts";
import { initWanParams, MODEL_PRESETS } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";

await tf.setBackend("cpu");
const cfg = MODEL_PRESETS["wan-smoke"];
const concat = { kind: "concat", shiftedRope: true, frameShift: false, poses: [] } as const;
const inputs = () => ({
  x: tf.randomNormal([2, 4, 2, 4, 4], 0, 1, "float32", 1),
  t: [300, 700],
  context: tf.randomNormal([2, 3, 16], 0, 1, "float32", 2),
  reference: tf.randomNormal([2, 4, 1, 4, 4], 0, 1, "float32", 3),
});

Deno.test("referenceAttentionMass() is Lref/(L+Lref) in every block when queries and keys are zero (attention spread evenly)", () => {
  const model = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, concat, { prng: new Prng(1) });
  for (const [name, v] of Object.entries(model.params)) {
    if (/self_attn\.(q|k)\./.test(name)) v.assign(tf.zerosLike(v));
  }
  const m = referenceAttentionMass(model, inputs());
  // Video 2×(4/2)×(4/2) = 8 tokens, reference 1×2×2 = 4 tokens.
  assert.equal(m.uniform, 4 / 12);
  assert.equal(m.perBlock.length, cfg.num_layers);
  for (const v of m.perBlock) assert.ok(Math.abs(v - 4 / 12) < 1e-6, `block mass ${v}`);
});

Deno.test("referenceAttentionMass() is a probability that follows the reference tokens' content", () => {
  const model = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, concat, { prng: new Prng(1) });
  const before = referenceAttentionMass(model, inputs()).perBlock[0];
  // Block 0 sees the reference tokens' embeddings directly: another reference moves the share, which stays a probability.
  assert.ok(before > 0 && before < 1, `mass ${before}`);
  const i = inputs();
  const same = referenceAttentionMass(model, { ...i, reference: tf.slice(i.x, [0, 0, 0, 0, 0], [2, 4, 1, 4, 4]) }).perBlock[0];
  assert.notEqual(same, before);
});

Deno.test("referenceAttentionMass() refuses a reference-net design or inputs without a reference", () => {
  const params = initWanParams(cfg, { prng: new Prng(0) });
  const rn = buildDesign({ cfg, params }, { kind: "reference-net", poses: [] }, { prng: new Prng(1) });
  assert.throws(() => referenceAttentionMass(rn, inputs()), /design must be concat: received reference-net/);
  const model = buildDesign({ cfg, params }, concat, { prng: new Prng(1) });
  const { reference: _, ...noRef } = inputs();
  assert.throws(() => referenceAttentionMass(model, noRef), /without inputs.reference/);
});
