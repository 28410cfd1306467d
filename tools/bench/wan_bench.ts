/**
 * `deno task bench`: one training step and one sampling step of the Wan DiT
 * at the `wan-bench` size on our engine, side by side with the same step in
 * PyTorch (tools/bench/wan_step_torch.py), with the ratios ours / torch.
 *
 * - train step: forward, flow-matching MSE (lib/diffusion flowMatchingLoss),
 *   backward and an AdamW update (lib/train) of every parameter;
 * - sample step: one forward without gradients.
 * Each is the median of `runs` steps after `warmup` steps, as wall time and as
 * process CPU time: on a shared machine other processes inflate wall time but
 * not CPU time, so ratios are reported on both. PyTorch runs with 1 and then
 * 2 intra-op threads (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set to match)
 * and each reference figure is the better of the two.
 *
 * Usage:
 *   deno run -A tools/bench/wan_bench.ts [--json] [--profile] [--backend blas]
 *       [--threads 1] [--runs 10] [--warmup 3] [--preset wan-bench] [--batch 4]
 *       [--frames 4] [--height 16] [--width 16] [--torch-threads 1,2] [--no-torch]
 *
 * This is a benchmark, not a test: nothing here asserts a time.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (the DiT);
 * Lipman et al. 2023 §4.1 (flow matching); Loshchilov & Hutter 2019 (AdamW);
 * TensorFlow.js `tf.profile` (per-kernel times, via profileKernels).
 *
 * @module
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, BACKENDS, type EngineInfo, initEngine } from "../../lib/engine/init_engine.ts";
import { type KernelTime, profileKernels } from "../../lib/engine/profile_kernels.ts";
import { countParams } from "../../lib/model/count_params.ts";
import { getPreset } from "../../lib/model/model_presets.ts";
import type { WanConfig } from "../../lib/model/wan_config.ts";
import { wanStepInputs } from "./_wan_step_inputs.ts";

/** Options of {@link wanBench}; every field has the `deno task bench` default. */
export interface WanBenchOptions {
  /** Model preset (default "wan-bench"). */
  preset?: string;
  /** Engine backend (default "blas"). */
  backend?: BackendName;
  /** Engine threads (default 1). */
  threads?: number;
  /** Batch size (default 4). */
  batch?: number;
  /** Latent frames, height, width (default [4, 16, 16]). */
  latent?: [number, number, number];
  /** Timed steps; the medians are over these (default 10). */
  runs?: number;
  /** Untimed steps first (default 3). */
  warmup?: number;
  /** PyTorch intra-op thread counts to try (default [1, 2]); empty: no PyTorch reference. */
  torchThreads?: number[];
  /** Also profile both steps per kernel (profileKernels). */
  profile?: boolean;
  /** Seed of the parameters and inputs (default 0). */
  seed?: number;
}

/** Medians of one step, milliseconds. */
export interface StepTiming {
  wall_median: number;
  wall_min: number;
  cpu_median: number;
}

/** One PyTorch reference run (one thread count). */
export interface TorchRun {
  torch: string;
  threads: number;
  params: number;
  train_step: StepTiming;
  sample_step: StepTiming;
}

/** What {@link wanBench} returns (and `--json` prints). */
export interface WanBenchReport {
  preset: string;
  config: WanConfig;
  params: number;
  batch: number;
  /** Latent shape of one sample [C, F, H, W]. */
  latent: number[];
  context: number[];
  tokens: number;
  backend: string;
  threads: number;
  engine: EngineInfo;
  runs: number;
  warmup: number;
  /** Live tensors after set-up and after every timed step; `stable` when all equal. */
  tensors: { setup: number; after_steps: number[]; stable: boolean };
  /** Loss of the last training step (finite when the step is sound). */
  last_loss: number;
  train_step_ms: number;
  sample_step_ms: number;
  train_step_cpu_ms: number;
  sample_step_cpu_ms: number;
  train: StepTiming;
  sample: StepTiming;
  /** PyTorch runs by thread count; null when PyTorch is unavailable or not asked for. */
  torch: TorchRun[] | null;
  /** Why there is no PyTorch reference. */
  torch_note?: string;
  /** Best of the PyTorch runs (wall and CPU medians each the lowest over thread counts). */
  torch_train_step_ms: number | null;
  torch_sample_step_ms: number | null;
  torch_train_step_cpu_ms: number | null;
  torch_sample_step_cpu_ms: number | null;
  /** Ours / torch, on wall medians. */
  train_ratio: number | null;
  sample_ratio: number | null;
  /** Ours / torch, on CPU-time medians. */
  train_ratio_cpu: number | null;
  sample_ratio_cpu: number | null;
  /** 1, 5, 15-minute load averages at the start and the end. */
  load_average: { start: number[]; end: number[] };
  /** Per-kernel times per step (with `profile`). */
  profile?: { train: KernelTime[]; sample: KernelTime[]; train_table: string; sample_table: string };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`Cannot run the benchmark as ${name} must be an integer >= ${min}: received ${v}`);
  }
}

/**
 * Times `step` `warmup + runs` times; returns the medians and the live tensor
 * count after every timed step.
 */
function timeSteps(step: () => void, runs: number, warmup: number): { timing: StepTiming; tensors: number[] } {
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

/**
 * Runs the benchmark.
 * @param options preset, backend, sizes, runs and the PyTorch thread counts
 * @returns timings, ratios and the conditions they were measured under
 * @example
 * ```ts
 * import { wanBench } from "./wan_bench.ts";
 * const r = await wanBench({ preset: "wan-smoke", backend: "cpu", runs: 1, warmup: 0, torchThreads: [] });
 * console.log(r.train_step_ms > 0, r.tensors.stable); // true true
 * ```
 */
export async function wanBench(options: WanBenchOptions = {}): Promise<WanBenchReport> {
  const presetName = options.preset ?? "wan-bench";
  const cfg = getPreset(presetName);
  const batch = options.batch ?? 4;
  const [frames, height, width] = options.latent ?? [4, 16, 16];
  const runs = options.runs ?? 10;
  const warmup = options.warmup ?? 3;
  checkCount("batch", batch, 1);
  checkCount("runs", runs, 1);
  checkCount("warmup", warmup, 0);
  for (const [k, v] of [["frames", frames], ["height", height], ["width", width]] as const) checkCount(k, v, 1);
  const torchThreads = options.torchThreads ?? [1, 2];
  torchThreads.forEach((n) => checkCount("each PyTorch thread count", n, 1));
  const loadStart = Deno.loadavg();
  const engine = await initEngine({ backend: options.backend ?? "blas", threads: options.threads ?? 1 });

  const latent = [cfg.in_dim, frames, height, width];
  const step = wanStepInputs(cfg, { batch, latent: [frames, height, width], seed: options.seed ?? 0 });
  const { update } = step;
  let lastLoss = NaN;

  const trainStep = () => {
    const { value, grads } = update();
    tf.dispose(Object.values(grads));
    lastLoss = value.dataSync()[0];
    value.dispose();
  };
  const sampleStep = () => {
    const v = tf.tidy(() => step.forward());
    v.dataSync();
    v.dispose();
  };

  const setup = tf.memory().numTensors;
  const train = timeSteps(trainStep, runs, warmup);
  const sample = timeSteps(sampleStep, runs, warmup);
  const afterSteps = [...train.tensors, ...sample.tensors];

  let profile: WanBenchReport["profile"];
  if (options.profile) {
    const pt = await profileKernels(() => {
      const { value, grads } = update();
      return [value, ...Object.values(grads)];
    }, { warmup: 1, runs: 2 });
    const ps = await profileKernels(() => step.forward(), { warmup: 1, runs: 2 });
    profile = { train: pt.kernels, sample: ps.kernels, train_table: pt.table(30), sample_table: ps.table(20) };
  }
  step.dispose();

  const torchRuns: TorchRun[] = [];
  let torchNote: string | undefined;
  for (const n of torchThreads) {
    const r = await torchReference(cfg, {
      threads: n,
      batch,
      latent: [frames, height, width],
      runs,
      warmup,
      coreType: engine.blas?.coreType,
    });
    if (typeof r === "string") {
      torchNote = r;
      break;
    }
    torchRuns.push(r);
  }
  if (torchThreads.length === 0) torchNote = "not asked for (--no-torch)";
  const best = (pick: (r: TorchRun) => number) => torchRuns.length ? Math.min(...torchRuns.map(pick)) : null;
  const torchTrain = best((r) => r.train_step.wall_median);
  const torchSample = best((r) => r.sample_step.wall_median);
  const torchTrainCpu = best((r) => r.train_step.cpu_median);
  const torchSampleCpu = best((r) => r.sample_step.cpu_median);
  const ratio = (ours: number, ref: number | null) => (ref ? ours / ref : null);
  return {
    preset: presetName,
    config: cfg,
    params: countParams(cfg),
    batch,
    latent,
    context: [batch, cfg.text_len, cfg.text_dim],
    tokens: (frames / cfg.patch_size[0]) * (height / cfg.patch_size[1]) * (width / cfg.patch_size[2]),
    backend: engine.backend,
    threads: engine.threads,
    engine,
    runs,
    warmup,
    tensors: { setup, after_steps: afterSteps, stable: afterSteps.every((n) => n === setup) },
    last_loss: lastLoss,
    train_step_ms: train.timing.wall_median,
    sample_step_ms: sample.timing.wall_median,
    train_step_cpu_ms: train.timing.cpu_median,
    sample_step_cpu_ms: sample.timing.cpu_median,
    train: train.timing,
    sample: sample.timing,
    torch: torchRuns.length ? torchRuns : null,
    ...(torchNote && torchRuns.length === 0 ? { torch_note: torchNote } : {}),
    torch_train_step_ms: torchTrain,
    torch_sample_step_ms: torchSample,
    torch_train_step_cpu_ms: torchTrainCpu,
    torch_sample_step_cpu_ms: torchSampleCpu,
    train_ratio: ratio(train.timing.wall_median, torchTrain),
    sample_ratio: ratio(sample.timing.wall_median, torchSample),
    train_ratio_cpu: ratio(train.timing.cpu_median, torchTrainCpu),
    sample_ratio_cpu: ratio(sample.timing.cpu_median, torchSampleCpu),
    load_average: { start: loadStart, end: Deno.loadavg() },
    ...(profile ? { profile } : {}),
  };
}

/** The PyTorch step for one thread count, or why it could not run. */
async function torchReference(
  cfg: WanConfig,
  o: {
    threads: number;
    batch: number;
    latent: [number, number, number];
    runs: number;
    warmup: number;
    coreType?: string;
  },
): Promise<TorchRun | string> {
  const script = new URL("./wan_step_torch.py", import.meta.url).pathname;
  const n = String(o.threads);
  // OpenBLAS (which Debian's torch calls for sgemm) sizes its own pool from these, not from torch.
  const env: Record<string, string> = { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  if (o.coreType) env.OPENBLAS_CORETYPE = o.coreType;
  const args = [
    script,
    ...["--threads", n, "--batch", String(o.batch), "--runs", String(o.runs), "--warmup", String(o.warmup)],
    ...["--frames", String(o.latent[0]), "--height", String(o.latent[1]), "--width", String(o.latent[2])],
    ...["--config", JSON.stringify(cfg), "--json"],
  ];
  try {
    const r = await new Deno.Command("/usr/bin/python3", { args, env, stdout: "piped", stderr: "piped" }).output();
    if (!r.success) {
      const err = new TextDecoder().decode(r.stderr).trim().split("\n").at(-1);
      return `PyTorch reference failed (${o.threads} thread(s)): ${err}`;
    }
    return JSON.parse(new TextDecoder().decode(r.stdout)) as TorchRun;
  } catch (e) {
    return `PyTorch reference unavailable: ${(e as Error).message}`;
  }
}

/** Parses the command line into options (throws RangeError naming the bad flag). */
function parseArgs(argv: string[]): WanBenchOptions & { json: boolean } {
  const value = (flag: string): string | undefined => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const v = argv[i].includes("=") ? argv[i].slice(flag.length + 1) : argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new RangeError(`Cannot parse ${flag}: expected a value after it`);
    return v;
  };
  const int = (flag: string): number | undefined => {
    const v = value(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new RangeError(`Cannot parse ${flag} as an integer: received "${v}"`);
    return n;
  };
  const backend = value("--backend");
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new RangeError(`Unknown --backend "${backend}": expected one of ${BACKENDS.join(", ")}`);
  }
  const torchThreads = argv.includes("--no-torch") ? [] : value("--torch-threads")?.split(",").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n)) throw new RangeError(`Cannot parse --torch-threads: received "${s}"`);
    return n;
  });
  const [frames, height, width] = [int("--frames") ?? 4, int("--height") ?? 16, int("--width") ?? 16];
  return {
    json: argv.includes("--json"),
    profile: argv.includes("--profile"),
    backend: backend as BackendName | undefined,
    threads: int("--threads"),
    runs: int("--runs"),
    warmup: int("--warmup"),
    preset: value("--preset"),
    batch: int("--batch"),
    seed: int("--seed"),
    latent: [frames, height, width],
    torchThreads,
  };
}

function summary(r: WanBenchReport): string {
  const f = (v: number | null) => (v == null ? "—" : v.toFixed(1));
  const x = (v: number | null) => (v == null ? "—" : `${v.toFixed(2)}×`);
  const lines = [
    `${r.preset}: ${
      r.params.toLocaleString("en")
    } parameters, batch ${r.batch} × [${r.latent}] (${r.tokens} tokens), ` +
    `context [${r.context}]; backend ${r.backend}, ${r.threads} thread(s); median of ${r.runs} after ${r.warmup}`,
    `                 ours wall (cpu) ms    torch wall (cpu) ms    ratio wall (cpu)`,
    `train step   ${f(r.train_step_ms).padStart(12)} (${f(r.train_step_cpu_ms)})  ${
      f(r.torch_train_step_ms).padStart(12)
    } (${f(r.torch_train_step_cpu_ms)})  ${x(r.train_ratio).padStart(10)} (${x(r.train_ratio_cpu)})`,
    `sample step  ${f(r.sample_step_ms).padStart(12)} (${f(r.sample_step_cpu_ms)})  ${
      f(r.torch_sample_step_ms).padStart(12)
    } (${f(r.torch_sample_step_cpu_ms)})  ${x(r.sample_ratio).padStart(10)} (${x(r.sample_ratio_cpu)})`,
    `tensors: ${r.tensors.setup} after set-up, ${r.tensors.stable ? "stable" : "NOT stable"} over the steps; ` +
    `load average ${r.load_average.start.map((v) => v.toFixed(2)).join(" ")} → ${
      r.load_average.end.map((v) => v.toFixed(2)).join(" ")
    }`,
  ];
  for (const t of r.torch ?? []) {
    lines.push(
      `  torch ${t.torch}, ${t.threads} thread(s): train ${f(t.train_step.wall_median)} (${
        f(t.train_step.cpu_median)
      }), sample ${f(t.sample_step.wall_median)} (${f(t.sample_step.cpu_median)})`,
    );
  }
  if (r.torch_note) lines.push(`  ${r.torch_note}`);
  return lines.join("\n");
}

if (import.meta.main) {
  const { json, ...options } = parseArgs(Deno.args);
  const report = await wanBench(options);
  if (report.profile) {
    const text = `== train step\n${report.profile.train_table}\n\n== sample step\n${report.profile.sample_table}\n`;
    if (json) console.error(text);
    else console.log(text);
  }
  if (json) {
    const { profile, ...rest } = report;
    console.log(
      JSON.stringify(profile ? { ...rest, profile: { train: profile.train, sample: profile.sample } } : rest, null, 2),
    );
  } else console.log(summary(report));
}
