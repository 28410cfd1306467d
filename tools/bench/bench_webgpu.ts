/**
 * The `wan-bench` step figures on the webgpu backend (whatever adapter Deno
 * finds; a software one such as lavapipe is accepted here, where the figures
 * only show that it runs):
 * - `train_step_ms`: forward, flow-matching MSE, backward and an AdamW update
 *   of every parameter;
 * - `sample_step_ms`: one forward without gradients;
 * each the median of `runs` steps after `warmup` steps, with batch 4 of
 * latents [16, 4, 16, 16] and context [4, 16, 64] by default. Every step ends
 * with an asynchronous read (the GPU work is finished when it is timed), and
 * the pre-flight estimate of the largest tensors is checked against the
 * device's binding limit first. `--backend cpu` (or blas, wasm) runs the same
 * steps for comparison.
 *
 * Usage:
 *   deno run --unstable-webgpu -A tools/bench/bench_webgpu.ts [--json] [--backend webgpu]
 *       [--runs 3] [--warmup 1] [--preset wan-bench] [--batch 4] [--frames 4] [--height 16] [--width 16]
 *
 * This is a benchmark, not a test: nothing here asserts a time.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py`; Lipman et al. 2023
 * §4.1 (flow matching); Loshchilov & Hutter 2019 (AdamW); the blas
 * benchmark's step definitions (tools/bench/wan_bench.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, BACKENDS, type EngineInfo, initEngine } from "../../lib/engine/init_engine.ts";
import { countParams } from "../../lib/model/count_params.ts";
import { getPreset } from "../../lib/model/model_presets.ts";
import { wanStepInputs } from "./_wan_step_inputs.ts";
import { type BufferEstimate, preflightWan } from "../../lib/model/preflight_wan.ts";

/** Options of {@link benchWebGpu}. */
export interface BenchWebGpuOptions {
  /** Default "webgpu". */
  backend?: BackendName;
  /** Default "wan-bench". */
  preset?: string;
  /** Default 4. */
  batch?: number;
  /** Latent frames, height, width (default [4, 16, 16]). */
  latent?: [number, number, number];
  /** Timed steps (default 3). */
  runs?: number;
  /** Untimed steps first (default 1; the first webgpu step also compiles the shaders). */
  warmup?: number;
  /** Seed of the parameters and inputs (default 0). */
  seed?: number;
}

/** What {@link benchWebGpu} returns. */
export interface BenchWebGpuReport {
  preset: string;
  params: number;
  batch: number;
  latent: number[];
  context: number[];
  tokens: number;
  engine: EngineInfo;
  runs: number;
  warmup: number;
  train_step_ms: number;
  sample_step_ms: number;
  /** The first (warm-up) training step, shader compilation included. */
  first_train_step_ms: number;
  last_loss: number;
  /** Live tensors after every timed step equal those after set-up. */
  tensors_stable: boolean;
  /** The largest estimated tensors (the first is what bounds the batch/resolution on webgpu). */
  largest_buffers: BufferEstimate[];
  load_average: { start: number[]; end: number[] };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * @param options backend, preset, sizes, runs
 * @returns the step medians, the adapter and the pre-flight estimate
 * @example
 * ```ts ignore
 * const r = await benchWebGpu({ runs: 3 });
 * console.log(r.engine.adapter?.description, r.train_step_ms, r.sample_step_ms);
 * ```
 */
export async function benchWebGpu(options: BenchWebGpuOptions = {}): Promise<BenchWebGpuReport> {
  const preset = options.preset ?? "wan-bench";
  const cfg = getPreset(preset);
  const batch = options.batch ?? 4;
  const latentFhw = options.latent ?? [4, 16, 16];
  const runs = options.runs ?? 3;
  const warmup = options.warmup ?? 1;
  for (const [k, v, min] of [["batch", batch, 1], ["runs", runs, 1], ["warmup", warmup, 0]] as const) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`Cannot run the benchmark as ${k} must be an integer >= ${min}: received ${v}`);
    }
  }
  const loadStart = Deno.loadavg();
  const backend = options.backend ?? "webgpu";
  const engine = await initEngine({ backend });
  const limit = engine.adapter?.limits.maxStorageBufferBindingSize;
  const largest = preflightWan(cfg, { batch, latent: latentFhw, limit }).slice(0, 3);

  const latent = [cfg.in_dim, ...latentFhw];
  const inputs = wanStepInputs(cfg, { batch, latent: latentFhw, seed: options.seed ?? 0 });
  let lastLoss = NaN;

  const trainStep = async () => {
    const { value, grads } = inputs.update();
    tf.dispose(Object.values(grads));
    await inputs.firstParam().data(); // the update has run
    lastLoss = (await value.data())[0];
    value.dispose();
  };
  const sampleStep = async () => {
    const v = tf.tidy(() => inputs.forward());
    await v.data();
    v.dispose();
  };
  const time = async (step: () => Promise<void>) => {
    const ms: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      await step();
      ms.push(performance.now() - t0);
      if (i >= warmup) counts.push(tf.memory().numTensors);
    }
    return ms;
  };
  const setup = tf.memory().numTensors;
  const counts: number[] = [];
  const train = await time(trainStep);
  const sample = await time(sampleStep);
  inputs.dispose();
  return {
    preset,
    params: countParams(cfg),
    batch,
    latent,
    context: [batch, cfg.text_len, cfg.text_dim],
    tokens: (latentFhw[0] / cfg.patch_size[0]) * (latentFhw[1] / cfg.patch_size[1]) *
      (latentFhw[2] / cfg.patch_size[2]),
    engine,
    runs,
    warmup,
    train_step_ms: median(train.slice(warmup)),
    sample_step_ms: median(sample.slice(warmup)),
    first_train_step_ms: train[0],
    last_loss: lastLoss,
    tensors_stable: counts.every((n) => n === setup),
    largest_buffers: largest,
    load_average: { start: loadStart, end: Deno.loadavg() },
  };
}

function parseArgs(args: string[]): BenchWebGpuOptions & { json: boolean } {
  const o: BenchWebGpuOptions & { json: boolean } = { json: false };
  const latent: [number, number, number] = [4, 16, 16];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") {
      o.json = true;
      continue;
    }
    const v = args[++i];
    if (v === undefined) throw new RangeError(`Missing value after ${a}`);
    const int = () => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new RangeError(`${a} must be an integer: received ${v}`);
      return n;
    };
    if (a === "--backend") {
      if (!(BACKENDS as readonly string[]).includes(v)) {
        throw new RangeError(`Unknown backend "${v}": expected one of ${BACKENDS.join(", ")}`);
      }
      o.backend = v as BackendName;
    } else if (a === "--preset") o.preset = v;
    else if (a === "--runs") o.runs = int();
    else if (a === "--warmup") o.warmup = int();
    else if (a === "--batch") o.batch = int();
    else if (a === "--frames") latent[0] = int();
    else if (a === "--height") latent[1] = int();
    else if (a === "--width") latent[2] = int();
    else throw new RangeError(`Unknown argument ${a}: see the usage in tools/bench/bench_webgpu.ts`);
  }
  o.latent = latent;
  return o;
}

if (import.meta.main) {
  try {
    const { json, ...options } = parseArgs(Deno.args);
    const r = await benchWebGpu(options);
    if (json) console.log(JSON.stringify(r));
    else {
      const a = r.engine.adapter;
      console.log(
        `backend ${r.engine.backend}${a ? ` on ${a.description || a.vendor}${a.software ? " (software)" : ""}` : ""}`,
      );
      console.log(`${r.preset}: ${r.params} parameters, batch ${r.batch} of latents [${r.latent}], ${r.tokens} tokens`);
      console.log(`train_step_ms  ${r.train_step_ms.toFixed(1)}   (first step ${r.first_train_step_ms.toFixed(0)} ms)`);
      console.log(`sample_step_ms ${r.sample_step_ms.toFixed(1)}   (medians of ${r.runs} after ${r.warmup} warm-up)`);
      console.log(`last loss ${r.last_loss.toFixed(4)}; tensors stable: ${r.tensors_stable}`);
      console.log(
        `largest tensor: ${r.largest_buffers[0].name} [${r.largest_buffers[0].shape}], ${
          r.largest_buffers[0].bytes
        } bytes`,
      );
      console.log(`load average ${r.load_average.start.map((v) => v.toFixed(1)).join(" ")}`);
    }
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
