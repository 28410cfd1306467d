/**
 * One block of `deno task bench` on our engine: a fresh process at one
 * thread count builds the case's step, runs `warmup` untimed steps and times
 * `runs` training steps and `runs` sampling steps, then measures OpenBLAS's
 * sgemm peak at the same thread count. wan_bench.ts runs blocks as
 * subprocesses, alternating with PyTorch's, so that every block of either
 * side starts from the same state (a new process, a cold JIT, its own
 * warm-up) and the machine's load drifts over both sides alike.
 *
 * Usage (what wan_bench.ts runs): deno run -A tools/bench/_ours_block.ts '<OursBlockOptions as JSON>'
 * prints an {@link OursBlock} as JSON.
 *
 * References: TensorFlow.js `tf.memory` (live tensors); OpenBLAS `sgemm`.
 *
 * @module
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, type EngineInfo, initEngine } from "../../lib/engine/init_engine.ts";
import { getPreset } from "../../lib/model/model_presets.ts";
import { finetuneStepInputs } from "./_finetune_step_inputs.ts";
import { wanStepInputs } from "./_wan_step_inputs.ts";

/** The benchmark's cases: the `wan-bench` step, or the model-design ablation's fine-tuning step. */
export type BenchCase = "wan" | "finetune";

/** The cases and their defaults. */
export const BENCH_CASES = {
  wan: { preset: "wan-bench", batch: 4, latent: [4, 16, 16], channels: null },
  finetune: { preset: "wan-toy", batch: 8, latent: [3, 8, 8], channels: 16 },
} as const satisfies Record<
  BenchCase,
  { preset: string; batch: number; latent: readonly number[]; channels: number | null }
>;

/** What one block runs. */
export interface OursBlockOptions {
  case: BenchCase;
  preset: string;
  backend: BackendName;
  threads: number;
  batch: number;
  /** Latent frames, height, width. */
  latent: number[];
  /** Latent channels (finetune: the VAE's; wan: the preset's in_dim). */
  channels: number;
  runs: number;
  warmup: number;
  seed: number;
  /** Sampling steps keep the text side's K/V between calls (default true; false: recompute them, as PyTorch's reference). */
  textCache?: boolean;
}

/** Figures of one timed step, milliseconds. */
export interface StepTiming {
  wall_median: number;
  wall_min: number;
  cpu_median: number;
}

/** What one block measured. */
export interface OursBlock {
  threads: number;
  engine: EngineInfo;
  train: StepTiming;
  sample: StepTiming;
  /** Live tensors after set-up and warm-up and after every timed step; `stable` when all equal. */
  tensors: { setup: number; after_steps: number[]; stable: boolean };
  /** Loss of the last training step (finite when the step is sound). */
  last_loss: number;
  /** Best of a few 1024³ sgemm calls through the engine at this thread count; null off the blas backend. */
  sgemm_gflops: number | null;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Times `step` `warmup + runs` times; returns the figures and the live tensor count after every timed step. */
export function timeSteps(step: () => void, runs: number, warmup: number): { timing: StepTiming; tensors: number[] } {
  for (let i = 0; i < warmup; i++) step();
  const wall: number[] = [], cpu: number[] = [], tensors: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    tensors.push(tf.memory().numTensors);
  }
  return { timing: { wall_median: median(wall), wall_min: Math.min(...wall), cpu_median: median(cpu) }, tensors };
}

/** The case's step functions on the engine already initialised. */
export function caseStep(
  o: OursBlockOptions,
): { update(): { value: tf.Scalar; grads: Record<string, tf.Tensor> }; forward(): tf.Tensor; dispose(): void } {
  const preset = getPreset(o.preset);
  return o.case === "finetune"
    ? finetuneStepInputs(preset, {
      batch: o.batch,
      latent: o.latent,
      channels: o.channels,
      seed: o.seed,
      textCache: o.textCache,
    })
    : wanStepInputs(preset, { batch: o.batch, latent: o.latent, seed: o.seed, textCache: o.textCache });
}

/**
 * @param o the case, its sizes, the engine and its threads, runs and warm-up
 * @returns the block's timings, tensor counts, last loss and sgemm peak
 * @example
 * ```ts ignore
 * const b = await oursBlock({ case: "wan", preset: "wan-smoke", backend: "cpu", threads: 1, batch: 1,
 *   latent: [2, 4, 4], channels: 4, runs: 1, warmup: 0, seed: 0 });
 * ```
 */
export async function oursBlock(o: OursBlockOptions): Promise<OursBlock> {
  const engine = await initEngine({ backend: o.backend, threads: o.threads });
  const step = caseStep(o);
  let lastLoss = NaN;
  const trainStep = () => {
    const { value, grads } = step.update();
    tf.dispose(Object.values(grads));
    lastLoss = value.dataSync()[0];
    value.dispose();
  };
  const sampleStep = () => {
    const v = tf.tidy(() => step.forward());
    v.dataSync();
    v.dispose();
  };
  // Warm-up first (at least one sampling step, which fills a text cache), then count the live tensors.
  for (let i = 0; i < o.warmup; i++) trainStep();
  for (let i = 0; i < Math.max(o.warmup, 1); i++) sampleStep();
  const setup = tf.memory().numTensors;
  const train = timeSteps(trainStep, o.runs, 0);
  const sample = timeSteps(sampleStep, o.runs, 0);
  step.dispose();
  const after = [...train.tensors, ...sample.tensors];
  return {
    threads: engine.threads,
    engine,
    train: train.timing,
    sample: sample.timing,
    tensors: { setup, after_steps: after, stable: after.every((n) => n === setup) },
    last_loss: lastLoss,
    sgemm_gflops: engine.backend === "blas" ? sgemmPeak() : null,
  };
}

/** GFLOP/s of the best of 3 square 1024 products (after one untimed) through the engine. */
function sgemmPeak(n = 1024): number {
  const a = tf.randomUniform([n, n], -1, 1, "float32", 1);
  const b = tf.randomUniform([n, n], -1, 1, "float32", 2);
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const dt = performance.now() - t0;
    c.dispose();
    if (i > 0) best = Math.min(best, dt);
  }
  tf.dispose([a, b]);
  return (2 * n * n * n) / (best * 1e6);
}

if (import.meta.main) {
  const options = JSON.parse(Deno.args[0] ?? "") as OursBlockOptions;
  console.log(JSON.stringify(await oursBlock(options)));
}
