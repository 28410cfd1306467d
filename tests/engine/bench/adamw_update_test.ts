/**
 * adamWUpdate (lib/engine/adamw_update.ts), the one-pass AdamW step that the
 * benchmark found is the largest cost left in a training step after the
 * model's fused ops: a hand-computed first step, and three steps on blas (one
 * kernel) equal to lib/train's AdamW (composed ops) on cpu.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { adamWUpdate } from "../../../lib/engine/adamw_update.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { AdamW } from "../../../lib/train/adamw.ts";
import { BLAS_SKIP } from "../_compare.ts";

await initEngine({ backend: "cpu" });

Deno.test("adamWUpdate() moves each weight by lr·sign(g) on the first step, after decoupled decay", () => {
  // Step 1: m̂ = g, v̂ = g², so the Adam step is g/(|g| + ε) ≈ ±1.
  const r = adamWUpdate(tf.tensor([1, -2, 3]), { grad: tf.tensor([0.5, -4, 0]), m: tf.zeros([3]), v: tf.zeros([3]) }, {
    lr: 0.1,
    step: 1,
    weightDecay: 0.5,
  });
  const p = r.param.dataSync(), m = r.m.dataSync(), v = r.v.dataSync();
  const want = [1 * 0.95 - 0.1, -2 * 0.95 + 0.1, 3 * 0.95];
  want.forEach((w, i) => assert.ok(Math.abs(p[i] - w) < 1e-6, `p[${i}] ${p[i]} vs ${w}`));
  [0.05, -0.4, 0].forEach((w, i) => assert.ok(Math.abs(m[i] - w) < 1e-7));
  [0.00025, 0.016, 0].forEach((w, i) => assert.ok(Math.abs(v[i] - w) < 1e-9));
  assert.throws(() =>
    adamWUpdate(tf.ones([2]), { grad: tf.ones([3]), m: tf.ones([2]), v: tf.ones([2]) }, {
      lr: 1,
      step: 1,
    }), /grad must have shape \[2\]: received \[3\]/);
  assert.throws(() =>
    adamWUpdate(tf.ones([2]), { grad: tf.ones([2]), m: tf.ones([2]), v: tf.ones([2]) }, {
      lr: 1,
      step: 0,
    }), /step must be an integer >= 1: received 0/);
});

/** Three AdamW steps of a [7, 5] weight and a [5] bias: lib/train's AdamW, or adamWUpdate with the same state. */
function threeSteps(fused: boolean): Float32Array[] {
  const prng = new Prng(21);
  const w = tf.tidy(() => tf.variable(tf.tensor(prng.normals(35), [7, 5]), true));
  const b = tf.tidy(() => tf.variable(tf.tensor(prng.normals(5), [5]), true));
  const grads = [0, 1, 2].map(() => ({ w: tf.tensor(prng.normals(35), [7, 5]), b: tf.tensor(prng.normals(5), [5]) }));
  const noDecay = (n: string) => n === "b";
  if (!fused) {
    const opt = new AdamW({ w, b }, { lr: 0.01, weightDecay: 0.1, noDecay });
    grads.forEach((g, i) => opt.step(g, 0.01 * (i + 1)));
    opt.dispose();
  } else {
    const moments = (t: tf.Tensor): { m: tf.Tensor; v: tf.Tensor } => ({ m: tf.zerosLike(t), v: tf.zerosLike(t) });
    const state = { w: moments(w), b: moments(b) };
    grads.forEach((g, i) => {
      for (const [name, p] of [["w", w], ["b", b]] as const) {
        const s = state[name];
        const r = adamWUpdate(p, { grad: g[name], m: s.m, v: s.v }, {
          lr: 0.01 * (i + 1),
          step: i + 1,
          weightDecay: noDecay(name) ? 0 : 0.1,
        });
        tf.dispose([s.m, s.v]);
        [s.m, s.v] = [r.m, r.v];
        p.assign(r.param);
        r.param.dispose();
      }
    });
    tf.dispose([state.w.m, state.w.v, state.b.m, state.b.v]);
  }
  const out = [w, b].map((t) => t.dataSync() as Float32Array);
  tf.dispose([w, b, ...grads.flatMap((g) => [g.w, g.b])]);
  return out;
}

Deno.test({
  name:
    "adamWUpdate() on blas (one kernel) equals lib/train's AdamW on cpu over three steps with decay and a no-decay bias",
  ignore: BLAS_SKIP != null,
  fn: async () => {
    const want = threeSteps(false);
    await tf.setBackend("blas");
    let got: Float32Array[];
    try {
      const before = tf.memory().numTensors;
      const info = await tf.profile(() => {
        got = threeSteps(true);
        return [];
      });
      assert.ok(info.kernels.some((k) => k.name === "BlasAdamWUpdate"), "the fused kernel did not run");
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
    } finally {
      await tf.setBackend("cpu");
    }
    got!.forEach((g, t) =>
      g.forEach((v, i) => assert.ok(Math.abs(v - want[t][i]) <= 1e-6 * (1 + Math.abs(want[t][i])), `${t}[${i}]`))
    );
    // And the composed fallback on cpu is the same computation.
    threeSteps(true).forEach((g, t) => g.forEach((v, i) => assert.ok(Math.abs(v - want[t][i]) <= 1e-6)));
  },
});
