/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_train.ts [steps] [memorySteps]`:
 * a short wan-smoke flow-matching training run (trainLoop: AdamW, cosine
 * schedule with warm-up, clipping, EMA, checkpoint) on the cpu backend and on
 * webgpu with the same seed, then a longer run on webgpu alone that records
 * live tensors and bytes after every step (a per-step leak shows as growth).
 * Prints one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/mod.ts";
import { initWanParams, MODEL_PRESETS, type WanConfig, wanModelFn } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { trainLoop, type TrainLoopOptions } from "../../../lib/train/mod.ts";
import { emit, normal, perturb, readAll, worst } from "./_check_util.ts";

const smoke: WanConfig = MODEL_PRESETS["wan-smoke"];
type Batch = { x0: tf.Tensor; context: tf.Tensor };

/** Sample i of a 16-sample stream: seeded latents and text features. */
function dataSource(cfg: WanConfig, latent: number[]): TrainLoopOptions<Batch>["data"] {
  return {
    size: 16,
    batch(position, count) {
      const xs: tf.Tensor[] = [], cs: tf.Tensor[] = [];
      for (let i = 0; i < count; i++) {
        const r = new Prng(500 + ((position + i) % 16));
        xs.push(normal(r, [1, cfg.in_dim, ...latent]));
        cs.push(normal(r, [1, 3, cfg.text_dim]));
      }
      const batch = { x0: tf.concat(xs), context: tf.concat(cs) };
      tf.dispose([...xs, ...cs]);
      return batch;
    },
    dispose: (b) => tf.dispose([b.x0, b.context]),
  };
}

interface Setup {
  cfg: WanConfig;
  steps: number;
  latent: number[];
  microBatch: number;
  emaDecay: number;
  /** Record tf.memory() after every step. */
  track?: boolean;
}

async function train(backend: "cpu" | "webgpu", o: Setup) {
  const { cfg, steps, latent, track } = o;
  await initEngine({ backend });
  const dir = await Deno.makeTempDir({ prefix: "webgpu-train-" });
  const params = initWanParams(cfg, { prng: new Prng(9) });
  perturb(params, new Prng(10), 0.05);
  const model = wanModelFn({ cfg, params });
  const losses: number[] = [];
  const memory: { tensors: number; bytes: number; gpuBytes: number }[] = [];
  try {
    await trainLoop<Batch>({
      params,
      trainable: Object.keys(params),
      loss: (b, { prng }) => {
        const n = b.x0.shape[0];
        const sigma = Array.from({ length: n }, () => prng.uniform());
        const noise = normal(prng, b.x0.shape);
        const r = flowMatchingLoss(model, b.x0, { sigma, noise, cond: { context: b.context } });
        return { loss: r.loss, perSample: { loss: r.perSample, s: tf.tensor1d(sigma) } };
      },
      data: dataSource(cfg, latent),
      steps,
      microBatch: o.microBatch,
      accumulation: 2,
      lr: 2e-3,
      schedule: { kind: "cosine", warmupSteps: 2, minLr: 2e-4 },
      weightDecay: 0.01,
      clipNorm: 1,
      emaDecay: o.emaDecay,
      prng: new Prng(77),
      dir,
      name: "check",
      checkpointEvery: 1000,
      buckets: 2,
      onStep: ({ loss }) => {
        losses.push(loss);
        if (track) {
          const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
          memory.push({ tensors: m.numTensors, bytes: m.numBytes, gpuBytes: m.numBytesInGPU ?? 0 });
        }
      },
    }).then((r) => r.ema && tf.dispose(Object.values(r.ema)));
    const log = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
    return { losses, memory, gradNorms: log.map((r) => r.grad_norm as number), params: await readAll(params) };
  } finally {
    tf.dispose(Object.values(params));
    await Deno.remove(dir, { recursive: true });
  }
}

const steps = Number(Deno.args[0] ?? 5);
const memorySteps = Number(Deno.args[1] ?? 100);
const t0 = performance.now();
const short: Setup = { cfg: smoke, steps, latent: [2, 4, 4], microBatch: 2, emaDecay: 0.9 };
const cpu = await train("cpu", short);
const t1 = performance.now();
const gpu = await train("webgpu", short);
const t2 = performance.now();
// The leak check: a one-block wan-smoke on one 1×2×2 latent, 100 steps.
const tiny: Setup = {
  cfg: { ...smoke, num_layers: 1 },
  steps: memorySteps,
  latent: [1, 2, 2],
  microBatch: 1,
  emaDecay: 0,
  track: true,
};
const mem = memorySteps > 0 ? await train("webgpu", tiny) : { losses: [], memory: [] };
const normRel = cpu.gradNorms.map((g, i) => Math.abs(gpu.gradNorms[i] - g) / g);
const t3 = performance.now();
const rel = cpu.losses.map((l, i) => Math.abs(gpu.losses[i] - l) / Math.abs(l));
// Key biases are left out: softmax is invariant to them, so their gradient is rounding noise that
// AdamW's normalisation turns into ±lr steps on either backend; they do not change the loss.
const kept = (ps: Record<string, Float32Array>) =>
  Object.fromEntries(Object.entries(ps).filter(([n]) => !n.endsWith(".k.bias")));
const p = worst(kept(gpu.params), kept(cpu.params));
emit({
  lossesCpu: cpu.losses,
  lossesWebgpu: gpu.losses,
  maxLossRelErr: Math.max(...rel),
  gradNormsCpu: cpu.gradNorms,
  maxGradNormRelErr: Math.max(...normRel),
  paramRelErr: p.err,
  paramWorst: p.name,
  memory: mem.memory,
  memoryLosses: mem.losses,
  ms: { cpu: t1 - t0, webgpu: t2 - t1, memoryRun: t3 - t2 },
});
