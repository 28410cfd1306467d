/**
 * Conformance of FlowUniPCSolver and the guided sampling loop with Wan-2.1's
 * official FlowUniPCMultistepScheduler, through the fixture built by
 * tests/fixtures/diffusion/build_unipc_fixture.py (see it for provenance).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { type Cond, flowSigmas, FlowUniPCSolver, sample, type Solver } from "../../lib/diffusion/mod.ts";
import { readSafetensors } from "../../lib/io/mod.ts";

await initEngine({ backend: "cpu" });

const fixture = await readSafetensors(new URL("../fixtures/diffusion/wan_unipc.safetensors", import.meta.url).pathname);
const T = fixture.tensors;
const cases: { steps: number; shift: number; guidance: number }[] = JSON.parse(fixture.metadata.cases);
const shape = T.noise.shape;

/** The builder's toy models: v_c = a·x + b·tanh(x)·t/1000 + c, v_u = 0.5·x − 0.3·sin(x)·t/1000. */
function toyModel() {
  const [a, b, c] = ["a", "b", "c"].map((k) => tf.tensor(T[k].data, shape));
  const model = (x: tf.Tensor, t: tf.Tensor, cond: Cond) =>
    tf.tidy(() => {
      const time = tf.div(t, 1000);
      return cond.text
        ? tf.add(tf.add(tf.mul(a, x), tf.mul(tf.mul(b, tf.tanh(x)), time)), c)
        : tf.sub(tf.mul(x, 0.5), tf.mul(tf.mul(tf.sin(x), 0.3), time));
    });
  return { model, dispose: () => tf.dispose([a, b, c]) };
}

/** Worst |ours − Wan| / max(1, |Wan|) over every step of case k. */
function runCase(k: number, solver: "unipc" | Solver = "unipc"): number {
  const { steps, shift, guidance } = cases[k];
  const { model, dispose } = toyModel();
  const noise = tf.tensor(T.noise.data, shape);
  const text = tf.scalar(1);
  const expected = T[`case${k}.trajectory`].data;
  let worst = 0;
  const out = sample(model, noise, {
    sampler: { solver: "unipc", steps, shift, guidance: { kind: "cfg", scale: guidance, drop: ["text"] } },
    solver: typeof solver === "string" ? undefined : solver,
    cond: { text },
    integerTimesteps: true,
    onStep: ({ step, x }) => {
      const got = x.dataSync();
      for (let j = 0; j < got.length; j++) {
        const e = expected[step * got.length + j];
        worst = Math.max(worst, Math.abs(got[j] - e) / Math.max(1, Math.abs(e)));
      }
    },
  });
  tf.dispose([out, noise, text]);
  dispose();
  return worst;
}

Deno.test("flowSigmas() reproduces Wan's float32 sigmas and int64 timesteps bit for bit", () => {
  cases.forEach(({ steps, shift }, k) => {
    const { sigmas, timesteps } = flowSigmas(steps, { shift });
    assert.deepStrictEqual(Array.from(sigmas), Array.from(T[`case${k}.sigmas`].data), `case ${k} sigmas`);
    assert.deepStrictEqual(
      Array.from(timesteps, Math.trunc),
      Array.from(T[`case${k}.timesteps`].data),
      `case ${k} timesteps`,
    );
  });
});

Deno.test("sample() with UniPC follows Wan's FlowUniPCMultistepScheduler trajectory step by step", () => {
  assert.strictEqual(cases.length, 6);
  cases.forEach((c, k) => {
    const worst = runCase(k);
    assert.ok(worst < 5e-6, `case ${k} ${JSON.stringify(c)}: worst relative deviation ${worst}`);
  });
});

Deno.test("the fixture tells a solver without its corrector from Wan's UniPC", () => {
  // Case 4 (10 steps, shift 5, guidance 5): skipping UniC must show up far above the float32 noise floor.
  const worst = runCase(4, new FlowUniPCSolver({ disableCorrector: [0, 1, 2, 3, 4, 5, 6, 7, 8] }));
  assert.ok(worst > 1e-3, `a corrector-free run should deviate: ${worst}`);
});
