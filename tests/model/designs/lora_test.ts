import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initEngine } from "../../../lib/engine/mod.ts";
import {
  buildDesign,
  checkLoraConfig,
  countDesignParams,
  DESIGN_PRESETS,
  type DesignConfig,
  type DesignModel,
  designModelFn,
  type FinetuneScope,
  type LoraConfig,
  mergeLora,
  resolveTrainable,
  unmergeLora,
  wanForward,
} from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { AdamW } from "../../../lib/train/mod.ts";
import { CFG, disposeParams, foundation, maxAbsDiff, normal } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const DESIGN: DesignConfig = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "hands", "body"] };
const LORA: LoraConfig = { rank: 4, alpha: 8, targets: ["self_attn.q", "self_attn.k", "self_attn.v", "self_attn.o"] };
const SCOPE: FinetuneScope = { lora: LORA };

function inputs(seed = 7) {
  const prng = new Prng(seed);
  return {
    x: normal(prng, [2, 4, 2, 4, 6]),
    t: tf.tensor1d([150, 820]),
    context: normal(prng, [2, 3, 16]),
    reference: normal(prng, [2, 4, 1, 8, 4]),
    pose: normal(prng, [2, 12, 2, 4, 6]),
  };
}

/** Gives every B random values (a LoRA after some training). */
function trainB(model: DesignModel, seed: number): void {
  const prng = new Prng(seed);
  for (const [n, p] of Object.entries(model.params)) {
    if (n.endsWith(".lora_B.weight")) (p as tf.Variable).assign(tf.tidy(() => tf.mul(normal(prng, p.shape), 0.05)));
  }
}

Deno.test("a LoRA design adds A [r, in] and B [out, r] on each target of each block, A drawn and B zero", () => {
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: SCOPE });
  const adapters = Object.keys(model.params).filter((n) => n.includes(".lora_"));
  assert.equal(adapters.length, CFG.num_layers * 4 * 2);
  assert.deepEqual(model.params["blocks.2.self_attn.o.lora_A.weight"].shape, [4, 32]);
  assert.deepEqual(model.params["blocks.2.self_attn.o.lora_B.weight"].shape, [32, 4]);
  assert.ok(model.params["blocks.0.self_attn.q.lora_B.weight"].dataSync().every((v) => v === 0));
  const a = model.params["blocks.0.self_attn.q.lora_A.weight"].dataSync();
  assert.ok(a.some((v) => v !== 0) && a.every((v) => Math.abs(v) <= 1 / Math.sqrt(32)), "Kaiming-uniform ±1/√in");
  assert.deepEqual(model.lora, LORA);
  // The condition layers are drawn before the adapters: the same values as the part fine-tune's.
  const part = buildDesign(base, DESIGN, { prng: new Prng(1) });
  assert.deepEqual(model.params["ref_patch_embedding.bias"].dataSync(), part.params["ref_patch_embedding.bias"].dataSync());
  const gauss = buildDesign(base, DESIGN, { prng: new Prng(1), scope: { lora: { ...LORA, init: "gaussian" } } });
  assert.ok(gauss.params["blocks.0.self_attn.q.lora_A.weight"].dataSync().some((v) => Math.abs(v) > 1 / Math.sqrt(32)));
  for (const m of [model, part, gauss]) disposeParams(m.params);
  disposeParams(base.params);
});

Deno.test("at step 0 a LoRA design equals the foundation bit for bit (reference absent) and the design without adapters (reference present)", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: SCOPE });
  const plain = buildDesign(base, DESIGN, { prng: new Prng(1) });
  const expected = wanForward(base, { x, t, context });
  const v = designModelFn(DESIGN, model)(x, t, { context, pose });
  assert.deepEqual(Array.from(v.dataSync()), Array.from(expected.dataSync()));
  const withRef = designModelFn(DESIGN, model)(x, t, { context, pose, reference });
  const plainRef = designModelFn(DESIGN, plain)(x, t, { context, pose, reference });
  assert.deepEqual(Array.from(withRef.dataSync()), Array.from(plainRef.dataSync()));
  tf.dispose([x, t, context, reference, pose, expected, v, withRef, plainRef]);
  for (const m of [model, plain, base]) disposeParams(m.params);
});

Deno.test("LoRA fine-tuning: gradients reach only A, B and the condition layers; the foundation stays put", () => {
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: SCOPE });
  const trainable = resolveTrainable(DESIGN, Object.keys(model.params), SCOPE);
  const expected = Object.keys(model.params).filter((n) =>
    /\.lora_[AB]\.weight$/.test(n) || /^(pose_patch_embedding|pose_proj|ref_patch_embedding)\./.test(n)
  );
  assert.deepEqual(trainable, expected);
  assert.ok(!trainable.some((n) => /^blocks\.\d+\.self_attn\.[qkvo]\.(weight|bias)$/.test(n)), "no foundation weight trains");
  const step = () => {
    const { x, t, context, reference, pose } = inputs(3);
    const noise = normal(new Prng(4), x.shape);
    const fn = designModelFn(DESIGN, model);
    const vars = trainable.map((n) => model.params[n]);
    const { value, grads } = tf.variableGrads(() => {
      const { loss, perSample } = flowMatchingLoss(fn, x, { sigma: [0.3, 0.8], noise, cond: { context, reference, pose } });
      perSample.dispose();
      return loss;
    }, vars);
    tf.dispose([x, t, noise, context, reference, pose, value]);
    assert.equal(Object.keys(grads).length, trainable.length, "the tape returned gradients for other variables");
    return Object.fromEntries(trainable.map((n) => [n, grads[model.params[n].name]]));
  };
  const g = step();
  for (const [n, t] of Object.entries(g)) assert.ok(t.dataSync().every(Number.isFinite), n);
  // B = 0 at step 0: A's gradient (through B) is exactly zero, B's is not.
  assert.ok(g["blocks.1.self_attn.v.lora_A.weight"].dataSync().every((v) => v === 0));
  assert.ok(g["blocks.1.self_attn.v.lora_B.weight"].dataSync().some((v) => v !== 0));
  const frozen = Object.keys(model.params).filter((n) => !trainable.includes(n));
  const before = Object.fromEntries(frozen.map((n) => [n, model.params[n].dataSync().slice()]));
  const opt = new AdamW(Object.fromEntries(trainable.map((n) => [n, model.params[n]])), { lr: 1e-3, weightDecay: 0 });
  opt.step(g, 1e-3);
  tf.dispose(Object.values(g));
  for (const n of frozen) assert.deepEqual(model.params[n].dataSync(), before[n], `frozen ${n} changed`);
  assert.ok(model.params["blocks.0.self_attn.q.lora_B.weight"].dataSync().some((v) => v !== 0), "B did not train");
  // Once B has moved, A's gradient is no longer zero.
  const g2 = step();
  assert.ok(g2["blocks.1.self_attn.v.lora_A.weight"].dataSync().some((v) => v !== 0));
  tf.dispose(Object.values(g2));
  opt.dispose();
  disposeParams(model.params);
  disposeParams(base.params);
});

Deno.test("merged and unmerged LoRA give the same outputs (1e-5), and unmerging the merge gives the weights back", () => {
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: SCOPE });
  trainB(model, 5);
  const { x, t, context, reference, pose } = inputs();
  const unmerged = designModelFn(DESIGN, model)(x, t, { context, pose, reference });
  const merged = mergeLora(model.params, LORA);
  assert.ok(!Object.keys(merged).some((n) => n.includes(".lora_")));
  assert.deepEqual(Object.keys(merged), Object.keys(buildDesign(base, DESIGN, { prng: new Prng(1) }).params));
  const fromMerged = designModelFn(DESIGN, { cfg: CFG, params: merged })(x, t, { context, pose, reference });
  assert.ok(maxAbsDiff(unmerged, fromMerged) <= 1e-5, `max |Δ| ${maxAbsDiff(unmerged, fromMerged)}`);
  // The merged weight moved by (α/r)·B·A; the foundation's weight is back after unmerging.
  const name = "blocks.1.self_attn.k.weight";
  assert.ok(maxAbsDiff(merged[name], model.params[name]) > 1e-4);
  const back = unmergeLora(merged, model.params, LORA);
  assert.deepEqual(Object.keys(back).sort(), Object.keys(model.params).sort());
  for (const n of Object.keys(model.params)) assert.ok(maxAbsDiff(back[n], model.params[n]) <= 1e-6, n);
  assert.throws(() => unmergeLora(model.params, model.params, LORA), /already hold the adapter/);
  tf.dispose([x, t, context, reference, pose, unmerged, fromMerged]);
  disposeParams(model.params);
  disposeParams(base.params);
});

Deno.test("LoRA's rank and α are range-checked with the value received and what was expected", () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ ...LORA, rank: 0 }, /rank must be an integer >= 1: received 0/],
    [{ ...LORA, rank: 2.5 }, /rank must be an integer >= 1: received 2.5/],
    [{ ...LORA, alpha: 0 }, /alpha must be a finite number > 0: received 0/],
    [{ ...LORA, alpha: -1 }, /alpha must be a finite number > 0: received -1/],
    [{ ...LORA, alpha: "8" }, /alpha must be a finite number > 0: received "8"/],
    [{ ...LORA, targets: [] }, /targets must be a non-empty list/],
    [{ ...LORA, targets: ["self_attn.q", "attn.x"] }, /targets must hold names from self_attn.q, .*: received "attn.x"/],
    [{ ...LORA, targets: ["ffn.0", "ffn.0"] }, /lists "ffn.0" twice/],
    [{ ...LORA, init: "zeros" }, /init must be "kaiming" or "gaussian": received "zeros"/],
    [{ ...LORA, dropout: 0.1 }, /has no field "dropout"/],
  ];
  for (const [lora, re] of bad) assert.throws(() => checkLoraConfig(lora as LoraConfig), re);
  // The rank is bounded by the smaller side of every targeted weight (wan-smoke: dim 32, ffn 64).
  checkLoraConfig({ rank: 32, alpha: 1, targets: ["ffn.0"] }, CFG);
  assert.throws(
    () => checkLoraConfig({ rank: 33, alpha: 1, targets: ["ffn.0"] }, CFG),
    /rank must be <= 32 \(the smaller side of ffn.0's \[64, 32\] weight\): received 33/,
  );
  const base = foundation();
  assert.throws(() => buildDesign(base, DESIGN, { prng: new Prng(1), scope: { lora: { ...LORA, rank: 40 } } }), /rank must be <= 32/);
  disposeParams(base.params);
});

Deno.test("a LoRA scope needs its adapters: resolving or running without them says how to get them", () => {
  const base = foundation();
  const plain = buildDesign(base, DESIGN, { prng: new Prng(1) });
  assert.throws(() => resolveTrainable(DESIGN, Object.keys(plain.params), SCOPE), /no adapter on self_attn.q .*build the design with this scope/);
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: SCOPE });
  const { x, t, context, reference, pose } = inputs();
  assert.throws(() => designModelFn(DESIGN, { cfg: CFG, params: model.params })(x, t, { context, pose }), /hold LoRA adapters .* no lora configuration/);
  assert.throws(() => mergeLora(model.params, { ...LORA, targets: ["self_attn.q"] }), /self_attn.k is not a target of this LoRA/);
  assert.throws(() => resolveTrainable(DESIGN, Object.keys(model.params), { lora: { ...LORA, targets: ["self_attn.q"] } }), /is not on one of its targets/);
  tf.dispose([x, t, context, reference, pose]);
  for (const m of [plain, model, base]) disposeParams(m.params);
});

Deno.test("the lora preset trains clearly fewer parameters than part fine-tuning on wan-toy", () => {
  const cfg = { ...CFG, dim: 128, ffn_dim: 512, num_heads: 4, num_layers: 4, text_dim: 64, freq_dim: 64 };
  const { design, scope } = DESIGN_PRESETS.lora;
  const lora = countDesignParams(cfg, design, { scope });
  const part = countDesignParams(cfg, DESIGN_PRESETS["part-finetune"].design, { scope: "part" });
  const adapters = 4 * 4 * 8 * (128 + 128);
  assert.equal(lora.total, part.total + adapters);
  assert.ok(lora.trainable < part.trainable / 3, `${lora.trainable} vs ${part.trainable}`);
});
