/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_pipeline.ts`:
 * the rest of what the workbench runs, on the cpu backend and on webgpu —
 * the vae-smoke VAE loss and its gradient of every parameter, the sampler
 * (Euler and UniPC, with classifier-free guidance) on a perturbed wan-smoke,
 * and the tensor metrics (FID through a params feature network, LPIPS) —
 * with worst relative differences, printed as one JSON line. The cpu
 * reference has TF.js's ResizeNearestNeighborGrad batch-offset bug corrected
 * (see _cpu_resize_grad_fix.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { sample } from "../../../lib/diffusion/mod.ts";
import { featureNetworkFromParams, fid, lpips, type Video } from "../../../lib/eval/mod.ts";
import { initWanParams, MODEL_PRESETS, wanModelFn } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { initVaeParams, VAE_PRESETS, vaeDecode, vaeEncode, vaeLoss } from "../../../lib/vae/mod.ts";
import { emit, normal, perturb, readAll, worst } from "./_check_util.ts";
import { fixCpuResizeNearestNeighborGrad } from "./_cpu_resize_grad_fix.ts";

async function vae() {
  const config = VAE_PRESETS["vae-smoke"];
  const params = initVaeParams(config, { prng: new Prng(4) });
  const v = { config, params };
  const video = tf.tidy(() => tf.tanh(normal(new Prng(5), [1, 3, 5, 16, 16])));
  const names = Object.keys(params).sort();
  const { value, grads } = tf.variableGrads(
    () => vaeLoss(v, video, { prng: new Prng(6), klWeight: 1e-3 }).loss,
    names.map((n) => params[n]),
  );
  const byName: Record<string, tf.Tensor> = {};
  for (const n of names) byName[n] = grads[params[n].name];
  const decoded = tf.tidy(() => vaeDecode(v, vaeEncode(v, video).mean));
  const out = {
    loss: (await value.data())[0],
    decoded: (await decoded.data()) as Float32Array,
    grads: await readAll(byName),
  };
  tf.dispose([video, value, decoded, ...Object.values(grads), ...Object.values(params)]);
  return out;
}

async function sampler() {
  const cfg = MODEL_PRESETS["wan-smoke"];
  const params = initWanParams(cfg, { prng: new Prng(7) });
  perturb(params, new Prng(8), 0.05);
  const model = wanModelFn({ cfg, params });
  const noise = normal(new Prng(9), [2, cfg.in_dim, 2, 4, 4]);
  const context = normal(new Prng(10), [2, 4, cfg.text_dim]);
  const empty = tf.zeros([2, 4, cfg.text_dim]);
  const out: Record<string, Float32Array> = {};
  for (const solver of ["euler", "unipc"] as const) {
    const z = sample(model, noise, {
      sampler: { solver, steps: 4, shift: 3, guidance: { kind: "cfg", scale: 4, drop: ["context"] } },
      cond: { context },
      guide: { nullCond: { context: empty } },
    });
    out[solver] = (await z.data()) as Float32Array;
    z.dispose();
  }
  tf.dispose([noise, context, empty, ...Object.values(params)]);
  return out;
}

function randomVideo(seed: number, shape: Video["shape"]): Video {
  const prng = new Prng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = prng.uniform();
  return { data, shape };
}

async function metrics() {
  const prng = new Prng(11);
  const w1 = normal(prng, [3, 3, 3, 8], 0.3), w2 = normal(prng, [3, 3, 8, 6], 0.3);
  const layers = (x: tf.Tensor4D) => {
    const a = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 2, "same"));
    const b = tf.relu(tf.conv2d(a, w2 as tf.Tensor4D, 1, "same"));
    return [a, b] as tf.Tensor4D[];
  };
  const network = featureNetworkFromParams(
    { w1, w2 },
    (p, x) =>
      tf.mean(
        tf.relu(
          tf.conv2d(
            tf.relu(tf.conv2d(x as tf.Tensor4D, p.w1 as tf.Tensor4D, 2, "same")),
            p.w2 as tf.Tensor4D,
            1,
            "same",
          ),
        ),
        [1, 2],
      ),
    { name: "tiny-conv", kind: "image", inputSize: [12, 12], normalize: "minus1to1" },
  );
  const a = randomVideo(12, [3, 2, 10, 14, 3]), b = randomVideo(13, [3, 2, 10, 14, 3]);
  const out = {
    fid: await fid(a, b, { network }),
    lpips: await lpips(a, b, {
      extractor: { layers, weights: [new Float32Array(8).fill(0.5), new Float32Array(6).fill(1)] },
    }),
  };
  tf.dispose([w1, w2]);
  return out;
}

async function all(backend: "cpu" | "webgpu") {
  await initEngine({ backend });
  return { vae: await vae(), sampler: await sampler(), metrics: await metrics() };
}

fixCpuResizeNearestNeighborGrad();
const t0 = performance.now();
const cpu = await all("cpu");
const t1 = performance.now();
const gpu = await all("webgpu");
const t2 = performance.now();
const vg = worst(gpu.vae.grads, cpu.vae.grads);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
emit({
  vae: {
    lossRelErr: rel(gpu.vae.loss, cpu.vae.loss),
    decodedRelErr: worst({ d: gpu.vae.decoded }, { d: cpu.vae.decoded }).err,
    gradRelErr: vg.err,
    gradWorst: vg.name,
    gradCount: vg.count,
  },
  sampler: {
    euler: worst({ s: gpu.sampler.euler }, { s: cpu.sampler.euler }).err,
    unipc: worst({ s: gpu.sampler.unipc }, { s: cpu.sampler.unipc }).err,
  },
  metrics: {
    cpu: cpu.metrics,
    webgpu: gpu.metrics,
    fidRelErr: rel(gpu.metrics.fid, cpu.metrics.fid),
    lpipsRelErr: rel(gpu.metrics.lpips, cpu.metrics.lpips),
  },
  ms: { cpu: t1 - t0, webgpu: t2 - t1 },
});
