/**
 * Times one VAE forward (encode + decode of the posterior mean) and one
 * training step's forward + backward (`tf.variableGrads` of `vaeLoss`) for a
 * preset and batch shape on a chosen backend. A benchmark, not a test.
 *
 *     deno run -A lib/vae/bench/vae_step_bench.ts [--backend cpu|wasm|blas|auto]
 *       [--preset vae-toy] [--shape 2,3,9,64,64] [--repeats 1] [--threads 1]
 *
 * Prints one JSON line per measurement: { preset, shape, backend, threads, what, ms }.
 * The first repeat includes kernel warm-up; take the last one for steady state.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, initEngine } from "../../engine/mod.ts";
import { Prng } from "../../random/mod.ts";
import { initVaeParams, VAE_PRESETS, type VaePresetName, vaeDecode, vaeEncode, vaeLoss } from "../mod.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}

const presetName = arg("preset", "vae-toy");
if (!(presetName in VAE_PRESETS)) {
  throw new RangeError(`Unknown preset "${presetName}": expected one of ${Object.keys(VAE_PRESETS).join(", ")}`);
}
const shape = arg("shape", "2,3,9,64,64").split(",").map(Number);
const repeats = Number(arg("repeats", "1"));
const engine = await initEngine({
  backend: arg("backend", "cpu") as BackendName | "auto",
  threads: Number(arg("threads", "1")),
});
const config = VAE_PRESETS[presetName as VaePresetName];
const vae = { config, params: initVaeParams(config, { prng: new Prng(0) }) };
const prng = new Prng(1);
const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
for (let i = 0; i < data.length; i++) data[i] = 2 * prng.uniform() - 1;
const video = tf.tensor(data, shape);

function report(what: string, ms: number) {
  console.log(JSON.stringify({ preset: presetName, shape, backend: engine.backend, threads: engine.threads, what, ms: Math.round(ms) }));
}

for (let r = 0; r < repeats; r++) {
  let t0 = performance.now();
  const out = tf.tidy(() => vaeDecode(vae, vaeEncode(vae, video).mean));
  await out.data();
  out.dispose();
  report("forward (encode + decode)", performance.now() - t0);

  t0 = performance.now();
  const { value, grads } = tf.variableGrads(() => vaeLoss(vae, video, { prng, klWeight: 1e-6 }).loss);
  await value.data();
  for (const g of Object.values(grads)) await g.data();
  tf.dispose([value, ...Object.values(grads)]);
  report("forward + backward (vaeLoss)", performance.now() - t0);
}
