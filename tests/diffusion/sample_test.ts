import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  classifierFreeGuidance,
  type Cond,
  flowSigmas,
  initStepsTaken,
  sample,
  type SampleStepInfo,
  unconditionalCond,
} from "../../lib/diffusion/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

await initEngine({ backend: "cpu" });

const NONE = { kind: "none" } as const;

Deno.test("classifierFreeGuidance() computes v_u + scale·(v_c − v_u)", () => {
  const vc = tf.tensor([3, -1, 0.5]), vu = tf.tensor([1, 1, 0.5]);
  assert.deepStrictEqual(Array.from(classifierFreeGuidance(vc, vu, { scale: 5 }).dataSync()), [11, -9, 0.5]);
  assert.deepStrictEqual(Array.from(classifierFreeGuidance(vc, vu, { scale: 1 }).dataSync()), [3, -1, 0.5]);
  assert.deepStrictEqual(Array.from(classifierFreeGuidance(vc, vu, { scale: 0 }).dataSync()), [1, 1, 0.5]);
  assert.deepStrictEqual(Array.from(classifierFreeGuidance(vc, vu, { scale: -0.5 }).dataSync()), [0, 2, 0.5]);
  assert.throws(() => classifierFreeGuidance(vc, tf.zeros([2]), { scale: 2 }), /one shape: received \[3\] and \[2\]/);
  assert.throws(() => classifierFreeGuidance(vc, vu, { scale: NaN }), /scale must be finite: received NaN/);
});

Deno.test("unconditionalCond() replaces dropped entries by their null value, removes the others, keeps the rest", () => {
  const context = tf.ones([1, 2]), reference = tf.ones([1, 3]), pose = tf.ones([1, 4]), empty = tf.zeros([1, 2]);
  const cond = { context, reference, pose };
  const u = unconditionalCond(cond, { drop: ["context", "reference"], nullCond: { context: empty } });
  assert.deepStrictEqual(Object.keys(u).sort(), ["context", "pose"]);
  assert.strictEqual(u.context, empty);
  assert.strictEqual(u.pose, pose, "kept entries are shared, not copied");
  assert.throws(
    () => unconditionalCond(cond, { drop: ["text"] }),
    /Cannot drop "text".*expected one of context, reference, pose/,
  );
  assert.throws(
    () => unconditionalCond(cond, { drop: ["pose"], nullCond: { context: empty } }),
    /nullCond.context.*not in drop \[pose\]/,
  );
});

/** A model with a constant velocity per branch that records what it was called with. */
function recordingModel(vCond: number, vUncond: number) {
  const calls: { t: number[]; keys: string[]; context?: number }[] = [];
  const model = (x: tf.Tensor, t: tf.Tensor, cond: Cond) => {
    calls.push({ t: Array.from(t.dataSync()), keys: Object.keys(cond).sort(), context: cond.context?.dataSync()[0] });
    return tf.fill(x.shape, cond.context && cond.context.dataSync()[0] === 1 ? vCond : vUncond);
  };
  return { model, calls };
}

Deno.test("sample() evaluates both branches per step under guidance and feeds the guided velocity to the solver", () => {
  const { model, calls } = recordingModel(2, 1);
  const noise = tf.tensor([0.5, -0.5], [2, 1, 1, 1, 1]);
  const context = tf.ones([2, 1]), pose = tf.ones([2, 1]), nullContext = tf.zeros([2, 1]);
  const before = tf.memory().numTensors;
  const x = sample(model, noise, {
    sampler: { solver: "euler", steps: 3, shift: 3, guidance: { kind: "cfg", scale: 3, drop: ["context"] } },
    cond: { context, pose },
    guide: { nullCond: { context: nullContext } },
  });
  // Euler with a constant v = 1 + 3·(2 − 1) = 4 integrates exactly: x − σ_0·4.
  const s0 = flowSigmas(3, { shift: 3 }).sigmas[0];
  const got = x.dataSync();
  assert.ok(Math.abs(got[0] - (0.5 - 4 * s0)) < 1e-5 && Math.abs(got[1] - (-0.5 - 4 * s0)) < 1e-5, `${got}`);
  assert.strictEqual(calls.length, 6);
  assert.deepStrictEqual(calls.map((c) => c.context), [1, 0, 1, 0, 1, 0]);
  calls.forEach((c) => assert.deepStrictEqual(c.keys, ["context", "pose"]));
  assert.strictEqual(tf.memory().numTensors, before + 1, "only the result is new");
  assert.ok(!noise.isDisposed, "the caller's noise is left alone");
  tf.dispose([x, noise, context, pose, nullContext]);
});

Deno.test("sample() under autoguidance evaluates the weak model with its own cond and steps with v_weak + scale·(v − v_weak)", () => {
  const main = recordingModel(2, 1), weak = recordingModel(0.5, -7);
  const noise = tf.tensor([0.25], [1, 1, 1, 1, 1]);
  const context = tf.ones([1, 1]), weakContext = tf.ones([1, 1]);
  const before = tf.memory().numTensors;
  /** Two Euler steps of the main model guided at 2.5 by `model` on `cond`. */
  const auto = { kind: "autoguidance", scale: 2.5, guide: "weak", caption: "same" } as const;
  const guided = (model: typeof weak.model, cond: Cond) =>
    sample(main.model, noise, { sampler: { solver: "euler", steps: 2, shift: 1, guidance: auto }, cond: { context }, guide: { model, cond } });
  const x = guided(weak.model, { context: weakContext });
  // Constant velocities integrate exactly under Euler: v = 0.5 + 2.5·(2 − 0.5) = 4.25 from σ_0 to 0.
  const s0 = flowSigmas(2, { shift: 1 }).sigmas[0];
  assert.ok(Math.abs(x.dataSync()[0] - (0.25 - 4.25 * s0)) < 1e-5, `${x.dataSync()[0]}`);
  assert.strictEqual(main.calls.length, 2, "the main model only takes the conditional branch");
  assert.strictEqual(weak.calls.length, 2, "the weak model takes the other branch, once per step");
  assert.deepStrictEqual(weak.calls.map((c) => c.t), main.calls.map((c) => c.t), "both see the same t");
  assert.strictEqual(tf.memory().numTensors, before + 1, "only the result is new");
  // Its null conditioning (the weak model's empty caption) guides with a weak unconditional model.
  const uncond = recordingModel(0.5, -7), nullContext = tf.zeros([1, 1]);
  const y = guided(uncond.model, { context: nullContext });
  assert.ok(Math.abs(y.dataSync()[0] - (0.25 - (-7 + 2.5 * 9) * s0)) < 1e-4, `${y.dataSync()[0]}`);
  assert.deepStrictEqual(uncond.calls.map((c) => c.context), [0, 0]);
  // With cfg, the main model's own unconditional branch adds its term: v = 2 + 1.5·(2 − 0.5) + 2·(2 − 1) = 6.25.
  const both = recordingModel(0.5, 0.5), mainCalls = main.calls.length;
  const z = sample(main.model, noise, {
    sampler: { solver: "euler", steps: 2, shift: 1, guidance: { ...auto, cfg: 3 } },
    cond: { context },
    guide: { model: both.model, cond: { context: weakContext }, uncond: { context: nullContext } },
  });
  assert.ok(Math.abs(z.dataSync()[0] - (0.25 - 6.25 * s0)) < 1e-5, `${z.dataSync()[0]}`);
  assert.deepStrictEqual(main.calls.slice(mainCalls).map((c) => c.context), [1, 0, 1, 0], "the main model: conditional, then unconditional");
  assert.strictEqual(both.calls.length, 2);
  z.dispose();
  tf.dispose([x, y, noise, context, weakContext, nullContext]);
});

Deno.test("sample() with a guidance interval guides only the steps starting at a σ inside it", () => {
  const { model, calls } = recordingModel(2, 1);
  const noise = tf.tensor([0.5], [1, 1, 1, 1, 1]);
  const context = tf.ones([1, 1]), nullContext = tf.zeros([1, 1]);
  const before = tf.memory().numTensors;
  const x = sample(model, noise, {
    sampler: { solver: "euler", steps: 4, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] }, interval: { min: 0.3, max: 0.8 } },
    cond: { context },
    guide: { nullCond: { context: nullContext } },
  });
  // σ = 0.999·(1, 0.75, 0.5, 0.25, 0): steps 1 and 2 start inside [0.3, 0.8] and take v = 1 + 3·(2 − 1) = 4, the others v = 2.
  const { sigmas } = flowSigmas(4, { shift: 1 });
  const v = [2, 4, 4, 2];
  const expected = v.reduce((acc, vi, i) => acc - vi * (sigmas[i] - sigmas[i + 1]), 0.5);
  assert.ok(Math.abs(x.dataSync()[0] - expected) < 1e-5, `${x.dataSync()[0]} vs ${expected}`);
  assert.deepStrictEqual(calls.map((c) => c.context), [1, 1, 0, 1, 0, 1], "the unconditional branch only inside the interval");
  assert.strictEqual(tf.memory().numTensors, before + 1);
  for (const interval of [{ min: 0.5, max: 0.2 }, { min: -0.1, max: 1 }, { min: 0, max: NaN }]) {
    assert.throws(
      () => sample(model, noise, { sampler: { solver: "euler", steps: 2, shift: 1, guidance: { kind: "cfg", scale: 2, drop: ["context"] }, interval }, cond: { context } }),
      /guidance interval .*expected finite 0 <= min <= max/,
    );
  }
  assert.strictEqual(tf.memory().numTensors, before + 1, "a refused interval leaks nothing");
  tf.dispose([x, noise, context, nullContext]);
});

Deno.test("sample() skips the unconditional branch when the guidance scale is 1 or guidance is omitted", () => {
  const { model, calls } = recordingModel(2, 1);
  const noise = tf.zeros([1, 1, 1, 1, 1]);
  const context = tf.ones([1, 1]);
  tf.dispose(
    sample(model, noise, { sampler: { solver: "unipc", steps: 4, shift: 1, guidance: { kind: "cfg", scale: 1, drop: ["context"] } }, cond: { context } }),
  );
  assert.strictEqual(calls.length, 4);
  tf.dispose(sample(model, noise, { sampler: { solver: "unipc", steps: 4, shift: 1, guidance: NONE }, cond: { context } }));
  assert.strictEqual(calls.length, 8);
  tf.dispose([noise, context]);
});

Deno.test("sample() reports every step and passes t = 1000σ, or Wan's truncated integer t on request", () => {
  const { model, calls } = recordingModel(1, 1);
  const noise = tf.zeros([1, 1, 1, 1, 1]);
  const infos: Omit<SampleStepInfo, "x">[] = [];
  const { sigmas, timesteps } = flowSigmas(3, { shift: 5 });
  tf.dispose(sample(model, noise, {
    sampler: { solver: "euler", steps: 3, shift: 5, guidance: NONE },
    cond: {},
    onStep: ({ x, ...info }) => {
      assert.deepStrictEqual(x.shape, [1, 1, 1, 1, 1]);
      infos.push(info);
    },
  }));
  assert.deepStrictEqual(infos.map((i) => i.step), [0, 1, 2]);
  assert.deepStrictEqual(infos.map((i) => [i.sigma, i.sigmaNext]), [[sigmas[0], sigmas[1]], [sigmas[1], sigmas[2]], [
    sigmas[2],
    0,
  ]]);
  calls.forEach((c, i) => assert.strictEqual(c.t[0], Math.fround(timesteps[i])));
  calls.length = 0;
  tf.dispose(sample(model, noise, { sampler: { solver: "euler", steps: 3, shift: 5, guidance: NONE }, cond: {}, integerTimesteps: true }));
  assert.deepStrictEqual(calls.map((c) => c.t[0]), Array.from(timesteps, Math.trunc));
  assert.deepStrictEqual(calls.map((c) => c.t[0]), [999, 908, 713]); // 5σ/(1 + 4σ) at σ = 0.999, 0.666, 0.333
  tf.dispose(noise);
});

Deno.test("sample() rejects a model of the wrong shape, an unknown solver and bad steps without leaking", () => {
  const noise = tf.zeros([1, 2, 1, 1, 1]);
  const before = tf.memory().numTensors;
  assert.throws(
    () => sample((x) => tf.reshape(x, [2]), noise, { sampler: { solver: "euler", steps: 2, shift: 1, guidance: NONE }, cond: {} }),
    /model must return the sample's shape \[1,2,1,1,1\]: received \[2\]/,
  );
  assert.strictEqual(tf.memory().numTensors, before);
  assert.throws(
    () => sample((x) => x, noise, { sampler: { solver: "heun" as "euler", steps: 2, shift: 1, guidance: NONE }, cond: {} }),
    /solver must be "euler" or "unipc": received "heun"/,
  );
  assert.throws(
    () => sample((x) => x, noise, { sampler: { solver: "unipc", steps: 0, shift: 1, guidance: NONE }, cond: {} }),
    /steps must be an integer >= 1: received 0/,
  );
  noise.dispose();
});

Deno.test("sample() with init starts from (1 − σ_b)·x0 + σ_b·noise at σ_b = σ[steps − ⌊strength·steps⌋] and takes the rest", () => {
  const { model, calls } = recordingModel(1, 1); // v = 1 everywhere
  const x0 = tf.fill([1, 1, 1, 1, 1], 2), noise = tf.fill([1, 1, 1, 1, 1], -1);
  const steps: number[] = [];
  const before = tf.memory().numTensors;
  const x = sample(model, noise, {
    sampler: { solver: "euler", steps: 4, shift: 1, guidance: NONE, init: { strength: 0.5 } },
    cond: {},
    x0,
    onStep: (info) => steps.push(info.step),
  });
  // σ = 0.999·(1 − i/4): begin 2 at σ_2 = 0.4995; x = 2·0.5005 − 0.4995 = 0.5015, then two Euler steps of v = 1
  // down to 0: 0.5015 − 0.4995 = 0.002.
  assert.ok(Math.abs(x.dataSync()[0] - 0.002) < 1e-6, `x = ${x.dataSync()[0]}`);
  assert.deepStrictEqual(steps, [2, 3]);
  assert.ok(Math.abs(calls[0].t[0] - 499.5) < 1e-3 && Math.abs(calls[1].t[0] - 249.75) < 1e-3, JSON.stringify(calls));
  x.dispose();
  assert.strictEqual(tf.memory().numTensors, before);
  tf.dispose([x0, noise]);
});

Deno.test("sample() from data lands on the data point for its exact velocity, with either solver", () => {
  // Data concentrated at c: the exact velocity is v = (x − c)/σ, whatever the start.
  const c = 0.7;
  const model = (x: tf.Tensor, t: tf.Tensor) => tf.div(tf.sub(x, c), tf.reshape(tf.div(t, 1000), [-1, 1, 1, 1, 1]));
  const x0 = tf.tensor([-1, 3], [2, 1, 1, 1, 1]), noise = tf.tensor([0.4, -2], [2, 1, 1, 1, 1]);
  for (const solver of ["euler", "unipc"] as const) {
    const x = sample(model, noise, { sampler: { solver, steps: 10, shift: 3, guidance: NONE, init: { strength: 0.6 } }, cond: {}, x0 });
    for (const v of x.dataSync()) assert.ok(Math.abs(v - c) < 1e-5, `${solver}: ${v}`);
    x.dispose();
  }
  tf.dispose([x0, noise]);
});

Deno.test("initStepsTaken() is ⌊strength·steps⌋ without falling short through rounding", () => {
  assert.equal(initStepsTaken(0.85, 20), 17);
  assert.equal(initStepsTaken(0.57, 100), 57); // 0.57·100 = 56.99999999999999 in floating point
  assert.equal(initStepsTaken(0.14, 100), 14); // 0.14·100 = 14.000000000000002
  assert.equal(initStepsTaken(1, 20), 20);
  assert.equal(initStepsTaken(0.04, 20), 0);
});

Deno.test("sample() rejects a strength outside (0, 1], one that takes no step, and data of another shape", () => {
  const noise = tf.zeros([1, 2, 1, 1, 1]), x0 = tf.zeros([1, 2, 1, 1, 1]), wrong = tf.zeros([2, 1, 1, 1, 1]);
  const before = tf.memory().numTensors;
  const run = ({ x0, strength }: { x0: tf.Tensor; strength: number }) =>
    sample((x) => x, noise, { sampler: { solver: "unipc", steps: 20, shift: 1, guidance: NONE, init: { strength } }, cond: {}, x0 });
  assert.throws(() => run({ x0, strength: 0 }), /strength 0: expected a number in \(0, 1\]/);
  assert.throws(() => run({ x0, strength: 1.5 }), /strength 1.5: expected a number in \(0, 1\]/);
  assert.throws(() => run({ x0, strength: 0.04 }), /strength 0.04 and 20 steps: it takes .* = 0 steps \(expected strength >= 0.05\)/);
  assert.throws(() => run({ x0: wrong, strength: 0.5 }), /data of shape \[2,1,1,1,1\]: expected the noise's shape \[1,2,1,1,1\]/);
  assert.strictEqual(tf.memory().numTensors, before);
  tf.dispose([noise, x0, wrong]);
});

Deno.test("a tiny seeded guided UniPC run is deterministic and keeps its stored sum", () => {
  const prng = new Prng(42);
  const shape = [1, 2, 2, 2, 2];
  const w = tf.tensor(prng.normals(16), shape);
  const noise = tf.tensor(prng.normals(16), shape);
  const context = tf.tensor(prng.normals(16), shape);
  // A small nonlinear "model": v = tanh(w·x + context·t/1000) − 0.3·x (context dropped → 0).
  const model = (x: tf.Tensor, t: tf.Tensor, cond: Cond) =>
    tf.tidy(() => {
      const c = cond.context ? tf.mul(cond.context, tf.div(t, 1000)) : tf.zeros(shape);
      return tf.sub(tf.tanh(tf.add(tf.mul(w, x), c)), tf.mul(x, 0.3));
    });
  const run = () => {
    const x = sample(model, noise, {
      sampler: { solver: "unipc", steps: 8, shift: 3, guidance: { kind: "cfg", scale: 4, drop: ["context"] } },
      cond: { context },
    });
    const values = Array.from(x.dataSync());
    x.dispose();
    return values;
  };
  const a = run(), b = run();
  assert.deepStrictEqual(a, b);
  const sum = a.reduce((s, v) => s + v, 0), abs = a.reduce((s, v) => s + Math.abs(v), 0);
  assert.ok(Math.abs(sum - EXPECTED_SUM) < 1e-4, `sum ${sum} abs ${abs}`);
  assert.ok(Math.abs(abs - EXPECTED_ABS) < 1e-4, `abs sum ${abs}`);
  tf.dispose([w, noise, context]);
});

const EXPECTED_SUM = -11.183755666017532;
const EXPECTED_ABS = 27.974137872457504;
