import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { FlowEulerSolver, flowSigmas, FlowUniPCSolver, sample, type SolverName } from "../../lib/diffusion/mod.ts";
import { gaussian, maxAbsDiff } from "./_gaussian.ts";

await initEngine({ backend: "cpu" });

Deno.test("flowSigmas() starts at 1 − 1/N, spaces linearly, shifts, and ends at 0", () => {
  const a = flowSigmas(2);
  const top = Math.fround(0.999);
  assert.deepStrictEqual(Array.from(a.sigmas), [top, Math.fround(top / 2), 0]);
  assert.ok(Math.abs(a.timesteps[0] - 999) < 1e-4 && Math.abs(a.timesteps[1] - 499.5) < 1e-4);
  // shift 3: 3·0.999/(1 + 2·0.999) = 0.99966644…, 3·0.4995/(1 + 2·0.4995) = 0.74962481…
  const b = flowSigmas(2, { shift: 3 });
  assert.ok(Math.abs(b.sigmas[0] - 0.9996664) < 1e-6 && Math.abs(b.sigmas[1] - 0.7496248) < 1e-6);
  assert.strictEqual(b.sigmas[2], 0);
  assert.strictEqual(Math.trunc(b.timesteps[1]), 749);
  const c = flowSigmas(4, { numTrainTimesteps: 10 }); // σ_max = 0.9, step 0.225
  [0.9, 0.675, 0.45, 0.225, 0].forEach((v, i) =>
    assert.ok(Math.abs(c.sigmas[i] - v) < 1e-7, `σ_${i} = ${c.sigmas[i]}`)
  );
  assert.throws(() => flowSigmas(0), /steps must be an integer >= 1: received 0/);
  assert.throws(() => flowSigmas(3, { shift: -2 }), /shift must be a finite number > 0: received -2/);
});

Deno.test("FlowEulerSolver.step() moves x by (σ_next − σ)·v and refuses steps past the end", () => {
  const solver = new FlowEulerSolver();
  solver.setTimesteps(2, { shift: 1 });
  const x = tf.tensor([1, -2], [1, 2]);
  const v = tf.tensor([2, 4], [1, 2]);
  const x1 = solver.step(v, x); // σ: 0.999 → 0.4995
  const d = Math.fround(0.999) / 2 - Math.fround(0.999);
  const got = x1.dataSync();
  assert.ok(Math.abs(got[0] - (1 + 2 * d)) < 1e-6 && Math.abs(got[1] - (-2 + 4 * d)) < 1e-6);
  const x2 = solver.step(v, x1);
  assert.throws(() => solver.step(v, x2), /all 2 steps are done/);
  tf.dispose([x, v, x1, x2]);
});

Deno.test("every solver lands exactly on a point mass, where x0 = x − σv is exact at each step", () => {
  // Data concentrated at μ: v = (x − μ)/σ.
  const mu = tf.tensor([0.5, -1.5, 2], [1, 1, 1, 1, 3]);
  const model = (x: tf.Tensor, t: tf.Tensor) =>
    tf.tidy(() => tf.div(tf.sub(x, mu), tf.reshape(tf.div(t, 1000), [-1, 1, 1, 1, 1])));
  const noise = tf.tensor([1, 0.3, -0.7], [1, 1, 1, 1, 3]);
  for (const solver of ["euler", "unipc"] as SolverName[]) {
    for (const steps of [1, 2, 7]) {
      const x = sample(model, noise, { sampler: { solver, steps, shift: 5, guidance: { kind: "none" } }, cond: {} });
      assert.ok(maxAbsDiff(x, mu) < 1e-5, `${solver} ${steps} steps: ${maxAbsDiff(x, mu)}`);
      x.dispose();
    }
  }
  tf.dispose([mu, noise]);
});

Deno.test("on Gaussian data both solvers converge to the exact transported point; UniPC at a higher order", () => {
  const shape = [2, 1, 1, 1, 3];
  const g = gaussian([0.5, -1, 2, 0.3, 0, 1.5], [0.5, 1.2, 0.3, 2, 0.4, 0.8], shape);
  const noise = tf.tensor([0.3, -1.1, 0.7, 1.9, -0.4, 0.05], shape);
  const exact = g.transport(noise, flowSigmas(1).sigmas[0]);
  const error = (solver: SolverName, steps: number) => {
    const x = sample(g.model, noise, { sampler: { solver, steps, shift: 1, guidance: { kind: "none" } }, cond: {} });
    const e = maxAbsDiff(x, exact);
    x.dispose();
    return e;
  };
  const before = tf.memory().numTensors;
  const euler500 = error("euler", 500), euler1000 = error("euler", 1000);
  assert.ok(euler1000 < 1e-2, `Euler 1000 steps: ${euler1000}`);
  assert.ok(euler500 / euler1000 > 1.8 && euler500 / euler1000 < 2.2, `Euler is first order: ${euler500 / euler1000}`);
  const euler10 = error("euler", 10), unipc10 = error("unipc", 10);
  assert.ok(unipc10 < euler10 / 10, `UniPC 10 steps ${unipc10} vs Euler ${euler10}`);
  const unipc50 = error("unipc", 50), unipc200 = error("unipc", 200);
  assert.ok(unipc200 < 1e-4, `UniPC 200 steps: ${unipc200}`);
  assert.ok(unipc50 / unipc200 > 8, `UniPC converges at order ≥ 1.5: ${unipc50 / unipc200}`);
  assert.strictEqual(tf.memory().numTensors, before, "no tensors leak across runs");
  tf.dispose([g.mu, g.sd, noise, exact]);
});

Deno.test("FlowUniPCSolver keeps only its history and frees it on dispose()", () => {
  const solver = new FlowUniPCSolver();
  solver.setTimesteps(6, { shift: 3 });
  const before = tf.memory().numTensors;
  let x = tf.ones([1, 2]);
  for (let i = 0; i < 6; i++) {
    const v = tf.mul(x, 0.3);
    const next = solver.step(v, x);
    tf.dispose([v, x]);
    x = next;
  }
  assert.strictEqual(solver.stepIndex, 6);
  assert.strictEqual(tf.memory().numTensors, before + 1 + 3, "result + two x0 predictions + last sample");
  solver.dispose();
  assert.strictEqual(tf.memory().numTensors, before + 1);
  assert.strictEqual(solver.stepIndex, 0);
  x.dispose();
});

Deno.test("FlowUniPCSolver after setBeginIndex() takes a first-order step: Euler's from that σ", () => {
  const unipc = new FlowUniPCSolver(), euler = new FlowEulerSolver();
  unipc.setTimesteps(6, { shift: 3 });
  euler.setTimesteps(6, { shift: 3 });
  const x = tf.tensor([0.5, -1.5, 2], [1, 3]);
  const v = tf.tensor([1, 0.25, -2], [1, 3]);
  // Two steps build a history a second-order step would use; setBeginIndex must drop it.
  const a = unipc.step(v, x), b = unipc.step(tf.mul(v, 3), a);
  unipc.setBeginIndex(3);
  euler.setBeginIndex(3);
  assert.strictEqual(unipc.stepIndex, 3);
  const u = unipc.step(v, x), e = euler.step(v, x);
  // First-order UniPC (x0-prediction DDIM) is x·σ_t/σ_s + m·(1 − σ_t/σ_s) with m = x − σ_s·v: the Euler step.
  assert.ok(maxAbsDiff(u, e) < 1e-6, `UniPC ${u.dataSync()} vs Euler ${e.dataSync()}`);
  assert.strictEqual(unipc.stepIndex, 4);
  assert.throws(() => unipc.setBeginIndex(6), /Cannot begin the UniPC solver at step 6: expected an integer in 0\.\.5/);
  assert.throws(() => euler.setBeginIndex(-1), /Cannot begin the Euler solver at step -1: expected an integer in 0\.\.5/);
  assert.throws(() => new FlowEulerSolver().setBeginIndex(0), /in 0\.\.-1 \(call setTimesteps first\)/);
  unipc.dispose();
  tf.dispose([x, v, a, b, u, e]);
});
