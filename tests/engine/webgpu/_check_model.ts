/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_model.ts`:
 * the wan-smoke DiT's forward output and the flow-matching loss's gradient of
 * every parameter, on the cpu backend and on webgpu, with their worst
 * relative differences, printed as one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initWanParams, MODEL_PRESETS, wanModelFn } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { emit, normal, perturb, readAll, worst } from "./_check_util.ts";

const cfg = MODEL_PRESETS["wan-smoke"];

async function run(backend: "cpu" | "webgpu") {
  const info = await initEngine({ backend });
  const prng = new Prng(2025);
  const params = initWanParams(cfg, { prng: prng.fork(1) });
  perturb(params, prng.fork(2), 0.05);
  const data = prng.fork(3);
  // Odd sizes on purpose: F = 3 latent frames, 4×6 latents (2×3 patches), context of 5 tokens.
  const x0 = normal(data, [2, cfg.in_dim, 3, 4, 6]);
  const noise = normal(data, [2, cfg.in_dim, 3, 4, 6]);
  const context = normal(data, [2, 5, cfg.text_dim]);
  const model = wanModelFn({ cfg, params });
  const sigma = [0.3, 0.85];
  const t0 = performance.now();
  const out = model(x0, tf.tensor1d([300, 850]), { context });
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
    ms: performance.now() - t0,
  };
  tf.dispose([out, value, x0, noise, context, ...Object.values(grads), ...Object.values(params)]);
  return { info, result, tensors: tf.memory().numTensors };
}

const cpu = await run("cpu");
const gpu = await run("webgpu");
const g = worst(gpu.result.grads, cpu.result.grads);
emit({
  adapter: gpu.info.adapter,
  forwardRelErr: worst({ out: gpu.result.out }, { out: cpu.result.out }).err,
  lossCpu: cpu.result.loss,
  lossWebgpu: gpu.result.loss,
  gradRelErr: g.err,
  gradWorst: g.name,
  gradCount: g.count,
  paramCount: Object.keys(cpu.result.grads).length,
  ms: { cpu: cpu.result.ms, webgpu: gpu.result.ms },
  leftoverTensors: gpu.tensors,
});
