/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_model.ts`:
 * the Wan DiT's forward output and the flow-matching loss's gradient of every
 * parameter, on the cpu backend and on webgpu, with their worst relative
 * differences, printed as one JSON line. Two sizes: wan-smoke (odd latent
 * sizes) and wan-bench on a small latent (its 256-wide weights take the
 * pre-transposed matmul path).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type EngineInfo, initEngine } from "../../../lib/engine/mod.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initWanParams, MODEL_PRESETS, type PresetName, wanModelFn } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { emit, normal, perturb, readAll, worst } from "./_check_util.ts";

/** Per preset: batch, latent [F, H, W] and context length. Odd sizes on purpose for wan-smoke (2×3 patches). */
const CASES: Record<string, { preset: PresetName; batch: number; latent: number[]; contextLen: number }> = {
  "wan-smoke": { preset: "wan-smoke", batch: 2, latent: [3, 4, 6], contextLen: 5 },
  "wan-bench": { preset: "wan-bench", batch: 2, latent: [2, 4, 4], contextLen: 7 },
};

async function run(backend: "cpu" | "webgpu", c: (typeof CASES)[string]) {
  const info = await initEngine({ backend });
  const cfg = MODEL_PRESETS[c.preset];
  const prng = new Prng(2025);
  const params = tf.tidy(() => initWanParams(cfg, { prng: prng.fork(1) }));
  perturb(params, prng.fork(2), 0.05); // the zero-initialised head too
  const data = prng.fork(3);
  const shape = [c.batch, cfg.in_dim, ...c.latent];
  const x0 = normal(data, shape);
  const noise = normal(data, shape);
  const context = normal(data, [c.batch, c.contextLen, cfg.text_dim]);
  const model = wanModelFn({ cfg, params });
  const sigma = Array.from({ length: c.batch }, (_, i) => 0.3 + 0.55 * i / Math.max(1, c.batch - 1));
  const t = tf.tensor1d(sigma.map((s) => 1000 * s));
  const out = model(x0, t, { context });
  const names = Object.keys(params).sort();
  const { value, grads } = tf.variableGrads(
    () => flowMatchingLoss(model, x0, { sigma, noise, cond: { context } }).loss,
    names.map((n) => params[n]),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const n of names) byName[n] = grads[params[n].name];
  const result = {
    out: (await out.data()) as Float32Array,
    loss: (await value.data())[0],
    grads: await readAll(byName),
    params: names.length,
  };
  tf.dispose([out, value, x0, noise, context, t, ...Object.values(grads), ...Object.values(params)]);
  return { info, result };
}

const models: Record<string, unknown> = {};
let adapter: EngineInfo["adapter"];
for (const [name, c] of Object.entries(CASES)) {
  const cpu = await run("cpu", c);
  const gpu = await run("webgpu", c);
  adapter = gpu.info.adapter;
  const g = worst(gpu.result.grads, cpu.result.grads);
  models[name] = {
    forwardRelErr: worst({ out: gpu.result.out }, { out: cpu.result.out }).err,
    lossCpu: cpu.result.loss,
    lossWebgpu: gpu.result.loss,
    gradRelErr: g.err,
    gradWorst: g.name,
    gradCount: g.count,
    paramCount: cpu.result.params,
  };
}
emit({ adapter, models });
