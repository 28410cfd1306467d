/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_designs.ts`:
 * each conditioning design of lib/model/designs (concat with shifted RoPE and
 * poses, Reference Net, light Reference Net) on a three-block wan-smoke:
 * output and the flow-matching loss's gradient of every parameter, on the
 * cpu backend and on webgpu, printed as one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initWanParams, MODEL_PRESETS, type WanConfig } from "../../../lib/model/mod.ts";
import { buildDesign, DESIGN_PRESETS, designModelFn, type DesignPresetName } from "../../../lib/model/designs/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { emit, normal, perturb, readAll, worst } from "./_check_util.ts";

const cfg: WanConfig = { ...MODEL_PRESETS["wan-smoke"], num_layers: 3 };

async function run(backend: "cpu" | "webgpu", name: DesignPresetName) {
  await initEngine({ backend });
  const { design } = DESIGN_PRESETS[name];
  const params = tf.tidy(() => initWanParams(cfg, { prng: new Prng(1) }));
  const model = buildDesign({ cfg, params }, design, { prng: new Prng(2), shareFoundation: true });
  perturb(model.params, new Prng(3), 0.05); // zero-initialised layers (head, pose_proj) get gradients too
  const fn = designModelFn(design, model);
  const data = new Prng(4);
  const c = cfg.in_dim;
  const x0 = normal(data, [2, c, 2, 4, 4]);
  const noise = normal(data, [2, c, 2, 4, 4]);
  const cond = {
    context: normal(data, [2, 3, cfg.text_dim]),
    reference: normal(data, [2, c, 1, 4, 4]),
    pose: normal(data, [2, design.poses.length * c, 2, 4, 4]),
  };
  const names = Object.keys(model.params).sort();
  const { value, grads } = tf.variableGrads(
    () => flowMatchingLoss(fn, x0, { sigma: [0.4, 0.9], noise, cond }).loss,
    names.map((n) => model.params[n]),
  );
  const byName: Record<string, tf.Tensor> = {};
  // Parameters the loss does not reach (a reference net's unused last-block layers) get no gradient.
  for (const n of names) if (grads[model.params[n].name]) byName[n] = grads[model.params[n].name];
  const out = {
    loss: (await value.data())[0],
    grads: await readAll(byName),
    noGrad: names.length - Object.keys(byName).length,
  };
  tf.dispose([value, x0, noise, ...Object.values(cond), ...Object.values(grads), ...Object.values(model.params)]);
  return out;
}

const results: Record<
  string,
  { lossRelErr: number; gradRelErr: number; gradWorst: string; gradCount: number; noGrad: [number, number] }
> = {};
const seen = new Set<string>();
for (const name of Object.keys(DESIGN_PRESETS) as DesignPresetName[]) {
  // Presets that differ only in what trains (full/part fine-tuning) run the same forward and backward.
  const key = JSON.stringify(DESIGN_PRESETS[name].design);
  if (seen.has(key)) continue;
  seen.add(key);
  const cpu = await run("cpu", name);
  const gpu = await run("webgpu", name);
  const g = worst(gpu.grads, cpu.grads);
  results[name] = {
    lossRelErr: Math.abs(gpu.loss - cpu.loss) / Math.abs(cpu.loss),
    gradRelErr: g.err,
    gradWorst: g.name,
    gradCount: g.count,
    noGrad: [cpu.noGrad, gpu.noGrad],
  };
}
emit({ designs: results });
