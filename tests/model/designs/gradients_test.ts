import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initEngine } from "../../../lib/engine/mod.ts";
import {
  buildDesign,
  DESIGN_PRESETS,
  type DesignConfig,
  type DesignModel,
  designModelFn,
  resolveTrainable,
} from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { AdamW } from "../../../lib/train/mod.ts";
import { disposeParams, foundation, normal } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

function batch(seed: number) {
  const prng = new Prng(seed);
  return {
    x0: normal(prng, [2, 4, 2, 4, 4]),
    noise: normal(prng, [2, 4, 2, 4, 4]),
    cond: {
      context: normal(prng, [2, 3, 16]),
      reference: normal(prng, [2, 4, 1, 4, 6]),
      pose: normal(prng, [2, 12, 2, 4, 4]),
    },
  };
}

/** One loss evaluation under the tape; returns the named gradients of exactly `trainable`. */
function grads(design: DesignConfig, model: DesignModel, trainable: string[]) {
  const { x0, noise, cond } = batch(3);
  const fn = designModelFn(design, model);
  const vars = trainable.map((n) => model.params[n]);
  const { value, grads } = tf.variableGrads(() => {
    const { loss, perSample } = flowMatchingLoss(fn, x0, { sigma: [0.3, 0.8], noise, cond });
    perSample.dispose();
    return loss;
  }, vars);
  tf.dispose([x0, noise, ...Object.values(cond)]);
  const byName: Record<string, tf.Tensor> = {};
  trainable.forEach((n) => {
    const g = grads[model.params[n].name];
    if (g) byName[n] = g;
  });
  return { loss: value, grads: byName, count: Object.keys(grads).length };
}

for (const [presetName, preset] of Object.entries(DESIGN_PRESETS)) {
  Deno.test(`every trainable parameter of "${presetName}" receives a finite gradient`, () => {
    const base = foundation();
    const model = buildDesign(base, preset.design, { prng: new Prng(1), scope: preset.scope });
    const trainable = resolveTrainable(preset.design, Object.keys(model.params), preset.scope);
    const { loss, grads: g, count } = grads(preset.design, model, trainable);
    assert.equal(count, trainable.length, "the tape returned gradients for other variables");
    assert.deepEqual(Object.keys(g), trainable, "a trainable parameter is not connected to the loss");
    for (const [n, t] of Object.entries(g)) assert.ok(t.dataSync().every(Number.isFinite), n);
    // At step 0 the pose embedding's gradient is exactly 0 (it flows through the zero pose_proj), pose_proj's is not.
    assert.ok(g["pose_patch_embedding.weight"].dataSync().every((v) => v === 0));
    assert.ok(g["pose_proj.weight"].dataSync().some((v) => v !== 0));
    tf.dispose([loss, ...Object.values(g)]);
    disposeParams(model.params);
    disposeParams(base.params);
  });
}

const NARROW: DesignConfig[] = [
  { kind: "light-reference-net", poses: ["skeleton", "hands", "body"], blocks: 2, inject: [0, 2], dim: 16 },
  { kind: "light-reference-net", poses: ["skeleton", "hands", "body"], blocks: 1, inject: [1], dim: 16 },
];
for (const design of NARROW) {
  Deno.test(
    `every used parameter of a narrow ${design.kind} with ${
      (design as { blocks: number }).blocks
    } block(s) receives a gradient`,
    () => {
      const base = foundation();
      const model = buildDesign(base, design, { prng: new Prng(1) });
      const trainable = resolveTrainable(design, Object.keys(model.params), "full");
      const { loss, grads: g } = grads(design, model, trainable);
      assert.deepEqual(Object.keys(g), trainable);
      assert.equal(trainable.includes("reference_net.text_proj.weight"), (design as { blocks: number }).blocks > 1);
      tf.dispose([loss, ...Object.values(g)]);
      disposeParams(model.params);
      disposeParams(base.params);
    },
  );
}

Deno.test("part fine-tuning: only the trainable list gets gradients and optimizer state; frozen weights stay put", () => {
  const base = foundation();
  const { design } = DESIGN_PRESETS["part-finetune"];
  const model = buildDesign(base, design, { prng: new Prng(1) });
  const trainable = resolveTrainable(design, Object.keys(model.params), "part");
  const frozen = Object.keys(model.params).filter((n) => !trainable.includes(n));
  assert.ok(frozen.includes("blocks.0.ffn.0.weight") && frozen.includes("blocks.2.cross_attn.q.weight"));
  const before = Object.fromEntries(Object.entries(model.params).map(([n, p]) => [n, p.dataSync().slice()]));
  const opt = new AdamW(Object.fromEntries(trainable.map((n) => [n, model.params[n]])), { lr: 1e-3, weightDecay: 0 });
  const { loss, grads: g } = grads(design, model, trainable);
  assert.deepEqual(Object.keys(g), trainable);
  opt.step(g, 1e-3);
  const state = opt.getState();
  assert.deepEqual(Object.keys(state.m), trainable, "optimizer state only for trainable parameters");
  tf.dispose([...Object.values(state.m), ...Object.values(state.v)]);
  for (const n of frozen) assert.deepEqual(model.params[n].dataSync(), before[n], `frozen ${n} changed`);
  for (const n of ["pose_proj.weight", "ref_patch_embedding.weight", "blocks.1.self_attn.v.weight"]) {
    assert.ok(model.params[n].dataSync().some((v, i) => v !== before[n][i]), `${n} did not train`);
  }
  // A frozen weight would have had a gradient: freezing is a choice, not a disconnection.
  const frozenGrad = grads(design, model, ["blocks.0.ffn.0.weight"]);
  assert.ok(frozenGrad.grads["blocks.0.ffn.0.weight"].dataSync().some((v) => v !== 0));
  tf.dispose([loss, frozenGrad.loss, ...Object.values(g), ...Object.values(frozenGrad.grads)]);
  opt.dispose();
  disposeParams(model.params);
  disposeParams(base.params);
});
