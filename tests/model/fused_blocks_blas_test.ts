/**
 * lib/model's building blocks take the engine's fused kernels on the blas
 * backend (fused matmul + bias, LayerNorm, RMSNorm, modulation, RoPE, GELU,
 * attention) and the composed tf ops elsewhere: these tests hold the fused
 * path to the official fixtures and to the composed path's gradients.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { flowMatchingLoss } from "../../lib/diffusion/flow_matching_loss.ts";
import { loadWanCheckpoint, MODEL_PRESETS, wanForward, wanModelFn, wanParamShapes } from "../../lib/model/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { CASES, CONFORMANCE_TOL, FIXTURES, readExpected, readInputs, relErr } from "./_fixtures.ts";
import { BLAS_SKIP } from "../engine/_compare.ts";

if (BLAS_SKIP) console.warn(`blas model tests skipped: ${BLAS_SKIP}`);
await initEngine({ backend: "cpu" });
const ignore = BLAS_SKIP != null;

/** Runs `fn` with the blas backend active, then returns to cpu. */
async function onBlas<T>(fn: () => T | Promise<T>): Promise<T> {
  await tf.setBackend("blas");
  try {
    return await fn();
  } finally {
    await tf.setBackend("cpu");
  }
}

for (const name of CASES) {
  Deno.test({
    name:
      `wanForward() on blas (fused kernels) matches the official WanModel to ${CONFORMANCE_TOL.toExponential()} on the "${name}" fixture`,
    ignore,
    fn: () =>
      onBlas(async () => {
        const model = await loadWanCheckpoint(`${FIXTURES}${name}`, { trainable: false });
        const { x, t, context } = await readInputs(name);
        const expected = await readExpected(name);
        const out = wanForward(model, { x, t, context });
        const err = relErr(out.dataSync(), expected.data);
        assert.ok(err < CONFORMANCE_TOL, `relative error ${err}`);
        tf.dispose([x, context, out, ...Object.values(model.params)]);
      }),
  });
}

/**
 * Tolerance of the fused gradients against the composed ones on cpu: the
 * largest measured relative error is 2.4e-6 (blocks.1.self_attn.q.weight).
 */
const GRAD_TOL = 1e-5;

/** Seeded parameters of wan-smoke far from the zero-initialised head, so every gradient is non-trivial. */
function randomParams(prng: Prng): Record<string, Float32Array> {
  const values: Record<string, Float32Array> = {};
  for (const [name, shape] of wanParamShapes(MODEL_PRESETS["wan-smoke"])) {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = prng.normals(n);
    const fanIn = shape.length >= 2 ? n / shape[0] : 1;
    const norm = /norm/.test(name) && name.endsWith(".weight");
    for (let i = 0; i < n; i++) v[i] = norm ? 1 + 0.2 * v[i] : v[i] / Math.sqrt(fanIn);
    values[name] = v;
  }
  return values;
}

/** Loss and every parameter's gradient of one flow-matching step on the active backend. */
function lossAndGrads(values: Record<string, Float32Array>, seed: number): Record<string, Float32Array> {
  const cfg = MODEL_PRESETS["wan-smoke"];
  const shapes = new Map(wanParamShapes(cfg));
  const params: Record<string, tf.Variable> = {};
  for (const [name, v] of Object.entries(values)) params[name] = tf.variable(tf.tensor(v, shapes.get(name)!), true);
  const prng = new Prng(seed);
  const shape = [2, cfg.in_dim, 2, 4, 6];
  const size = shape.reduce((a, b) => a * b, 1);
  const x0 = tf.tensor(prng.normals(size), shape), noise = tf.tensor(prng.normals(size), shape);
  const context = tf.tensor(prng.normals(2 * 5 * cfg.text_dim), [2, 5, cfg.text_dim]);
  const names = Object.keys(params);
  const { value, grads } = tf.variableGrads(
    () => flowMatchingLoss(wanModelFn({ cfg, params }), x0, { sigma: [0.3, 0.8], noise, cond: { context } }).loss,
    names.map((n) => params[n]),
  );
  const out: Record<string, Float32Array> = { loss: value.dataSync() as Float32Array };
  for (const n of names) out[n] = grads[params[n].name].dataSync() as Float32Array;
  tf.dispose([value, ...Object.values(grads), x0, noise, context, ...Object.values(params)]);
  return out;
}

Deno.test({
  name: "a training step's loss and every gradient on blas (fused kernels) equal the composed ops on cpu",
  ignore,
  fn: async () => {
    const values = randomParams(new Prng(7));
    const want = lossAndGrads(values, 8);
    let kernels: string[] = [];
    const got = await onBlas(async () => {
      let r: Record<string, Float32Array> = {};
      const info = await tf.profile(() => {
        r = lossAndGrads(values, 8);
        return [];
      });
      kernels = info.kernels.map((k) => k.name);
      return r;
    });
    const expected = [
      ["WorkbenchFusedLinear", "BatchMatMul"], // Linear forward (bias inside sgemm), its input/weight gradients
      ["BlasModulatedNorm", "BlasModulatedNormGrad"],
      ["BlasGatedResidual", "BlasGatedResidualGrad"],
      ["BlasRotatePairs", "BlasRotatePairsGrad"],
      ["BlasSimdAttention", "BlasSimdAttentionGrad"],
      ["BlasSimdGeluTanh", "BlasSimdGeluTanhGrad"],
    ].flat();
    for (const k of expected) assert.ok(kernels.includes(k), `${k} did not run on blas`);
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const [name, w] of Object.entries(want)) {
      assert.ok(w.some((v) => v !== 0), `${name}: the reference gradient is all zeros`);
      const err = relErr(got[name], w);
      assert.ok(err < GRAD_TOL, `${name}: relative error ${err}`);
    }
  },
});
