import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import {
  buildDesign,
  DESIGN_PRESETS,
  type DesignConfig,
  designForward,
  designModelFn,
  patchEmbed,
  shiftedRopePositions,
  wanForward,
} from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { CFG, disposeParams, foundation, maxAbsDiff, normal } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const POSES = ["skeleton", "hands", "body"] as const;
const DESIGNS: Record<string, DesignConfig> = {
  "concat": { kind: "concat", shiftedRope: true, frameShift: false, poses: POSES },
  "concat-unshifted": { kind: "concat", shiftedRope: false, frameShift: false, poses: POSES },
  "concat-frame-shift": { kind: "concat", shiftedRope: true, frameShift: true, poses: POSES },
  "reference-net": { kind: "reference-net", poses: POSES },
  "light-reference-net": { kind: "light-reference-net", poses: POSES, blocks: 2, inject: [0, 2] },
  "light-reference-net-narrow": { kind: "light-reference-net", poses: POSES, blocks: 2, inject: [1, 2], dim: 16 },
};

/** Video latents 2 × 4 × 2 × 4 × 6 (grid 2 × 2 × 3), reference 8 × 4 (grid 1 × 4 × 2: H' ≠ H, W' ≠ W). */
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

Deno.test("at step 0 every design reproduces the foundation exactly with the reference branch absent (pose_proj is zero)", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  const expected = wanForward(base, { x, t, context });
  for (const [name, design] of Object.entries(DESIGNS)) {
    const model = buildDesign(base, design, { prng: new Prng(1) });
    const v = designModelFn(design, model)(x, t, { context, pose });
    assert.deepEqual(Array.from(v.dataSync()), Array.from(expected.dataSync()), name);
    // The pose branch adds exactly nothing: another pose gives the same output.
    const v2 = designModelFn(design, model)(x, t, { context, pose: tf.mul(pose, -3) });
    assert.equal(maxAbsDiff(v, v2), 0, name);
    tf.dispose([v, v2]);
    disposeParams(model.params);
  }
  tf.dispose([x, t, context, reference, pose, expected]);
  disposeParams(base.params);
});

Deno.test("at step 0 the concat design equals the foundation with the reference embedded by its own patch embedding and appended", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  for (const name of ["concat", "concat-unshifted", "concat-frame-shift"]) {
    const design = DESIGNS[name] as Extract<DesignConfig, { kind: "concat" }>;
    const model = buildDesign(base, design, { prng: new Prng(1) });
    const v = designForward(model, { x, t, context, reference, pose });
    const expected = tf.tidy(() => {
      const { tokens, grid } = patchEmbed(base.params, reference); // the foundation's patch_embedding
      const positions = shiftedRopePositions({ video: [2, 2, 3], reference: grid }, design);
      return wanForward(base, { x, t, context }, { extraTokens: { tokens, positions } });
    });
    assert.deepEqual(Array.from(v.dataSync()), Array.from(expected.dataSync()), name);
    const without = wanForward(base, { x, t, context });
    assert.ok(maxAbsDiff(v, without) > 1e-3, `${name}: the reference must reach the video tokens through attention`);
    tf.dispose([v, expected, without]);
    disposeParams(model.params);
  }
  tf.dispose([x, t, context, reference, pose]);
  disposeParams(base.params);
});

Deno.test("shifted, unshifted and frame-shifted RoPE give different outputs", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  const outs = ["concat", "concat-unshifted", "concat-frame-shift"].map((name) => {
    const model = buildDesign(base, DESIGNS[name], { prng: new Prng(1) });
    const v = designForward(model, { x, t, context, reference, pose });
    disposeParams(model.params);
    return v;
  });
  assert.ok(maxAbsDiff(outs[0], outs[1]) > 1e-4);
  assert.ok(maxAbsDiff(outs[0], outs[2]) > 1e-4);
  tf.dispose([x, t, context, reference, pose, ...outs]);
  disposeParams(base.params);
});

Deno.test("every design maps [B, C, F, H, W] to the same shape and uses a reference of another aspect ratio", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  const wide = normal(new Prng(3), [2, 4, 1, 2, 10]); // grid 1 × 1 × 5
  for (const [name, design] of Object.entries(DESIGNS)) {
    const model = buildDesign(base, design, { prng: new Prng(1) });
    const before = tf.memory().numTensors;
    const without = designForward(model, { x, t, context, pose });
    for (const ref of [reference, wide]) {
      const v = designForward(model, { x, t, context, reference: ref, pose });
      assert.deepEqual(v.shape, [2, 4, 2, 4, 6], name);
      assert.ok(v.dataSync().every(Number.isFinite), name);
      assert.ok(maxAbsDiff(v, without) > 1e-3, `${name}: the reference does not reach the output`);
      v.dispose();
    }
    without.dispose();
    assert.equal(tf.memory().numTensors, before, `${name} leaks tensors`);
    disposeParams(model.params);
  }
  tf.dispose([x, t, context, reference, pose, wide]);
  disposeParams(base.params);
});

Deno.test("a design without poses takes no cond.pose; one with poses requires it with k·C channels", () => {
  const base = foundation();
  const { x, t, context, reference, pose } = inputs();
  const none: DesignConfig = { kind: "concat", shiftedRope: true, frameShift: false, poses: [] };
  const model = buildDesign(base, none, { prng: new Prng(1) });
  assert.equal(model.params["pose_proj.weight"], undefined);
  const fn = designModelFn(none, model);
  tf.dispose(fn(x, t, { context, reference }));
  assert.throws(() => fn(x, t, { context, pose }), /the concat design has no poses: received \[2,12,2,4,6\]/);
  assert.throws(
    () => fn(x, t, { context, reference, mask: pose }),
    /with conditions mask: expected only context, reference, pose/,
  );
  const two = buildDesign(base, { ...none, poses: ["body", "hands"] }, { prng: new Prng(1) });
  const fn2 = designModelFn({ ...none, poses: ["body", "hands"] }, two);
  assert.throws(() => fn2(x, t, { context }), /without cond.pose: expected \[2, 8, 2, 4, 6\] \(body, hands\)/);
  assert.throws(
    () => fn2(x, t, { context, pose }),
    /cond.pose as it must be \[2, 8, 2, 4, 6\].*received \[2,12,2,4,6\]/,
  );
  assert.throws(
    () => fn2(x, t, { context, pose: tf.zeros([2, 8, 2, 4, 6]), reference: tf.zeros([2, 4, 1, 3, 4]) }),
    /cond.reference as it must be \[2, 4, F', H', W'\] with F', H', W' divisible by \(1, 2, 2\): received \[2,4,1,3,4\]/,
  );
  tf.dispose([x, t, context, reference, pose]);
  disposeParams(model.params);
  disposeParams(two.params);
  disposeParams(base.params);
});

// Sums of the output of each design for the seeded inputs, with every zero-initialised
// parameter (pose_proj) replaced by seeded values so that every branch contributes.
const STORED: Record<string, { sum: number; abs: number }> = {
  "concat": { sum: -0.942620, abs: 201.6896 },
  "concat-unshifted": { sum: -0.114538, abs: 200.8601 },
  "concat-frame-shift": { sum: 0.138566, abs: 202.2290 },
  "reference-net": { sum: 0.169731, abs: 200.8511 },
  "light-reference-net": { sum: -1.210353, abs: 201.0138 },
  "light-reference-net-narrow": { sum: -3.530602, abs: 201.7186 },
};

function seededRun(name: string): { sum: number; abs: number } {
  const base = foundation();
  const model = buildDesign(base, DESIGNS[name], { prng: new Prng(11) });
  const prng = new Prng(12);
  for (const key of ["pose_proj.weight", "pose_proj.bias"]) {
    const p = model.params[key];
    p.assign(tf.tidy(() => tf.mul(normal(prng, p.shape), 0.05)));
  }
  const { x, t, context, reference, pose } = inputs();
  const v = designForward(model, { x, t, context, reference, pose });
  const data = v.dataSync();
  let sum = 0, abs = 0;
  for (const value of data) {
    sum += value;
    abs += Math.abs(value);
  }
  tf.dispose([v, x, t, context, reference, pose]);
  disposeParams(model.params);
  disposeParams(base.params);
  return { sum, abs };
}

for (const name of Object.keys(DESIGNS)) {
  Deno.test(`designForward() of the seeded "${name}" design matches its stored sums and is deterministic`, () => {
    const a = seededRun(name), b = seededRun(name);
    assert.deepEqual(a, b);
    const s = STORED[name];
    assert.ok(Math.abs(a.sum - s.sum) < 1e-3 * Math.max(1, Math.abs(s.sum)), `sum ${a.sum} vs stored ${s.sum}`);
    assert.ok(Math.abs(a.abs - s.abs) < 1e-4 * s.abs, `abs sum ${a.abs} vs stored ${s.abs}`);
  });
}

Deno.test("the design presets all run on the test foundation (3 blocks)", () => {
  const base = foundation(CFG);
  const { x, t, context, reference, pose } = inputs();
  for (const preset of Object.values(DESIGN_PRESETS)) {
    const model = buildDesign(base, preset.design, { prng: new Prng(1) });
    const v = designModelFn(preset.design, model)(x, t, { context, reference, pose });
    assert.deepEqual(v.shape, x.shape);
    v.dispose();
    disposeParams(model.params);
  }
  tf.dispose([x, t, context, reference, pose]);
  disposeParams(base.params);
});
