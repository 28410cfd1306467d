/**
 * Accounting of the ablation's four model designs (and LoRA) on one shared
 * configuration: parameters, trainable parameters, the peak tensor memory of
 * ONE real training step (forward, flow-matching loss, backward, AdamW
 * update) and its time.
 *
 *   deno run -A lib/model/cli/variants.ts --json [--preset wan-toy] [--frames 9 --height 32 --width 32]
 *     [--batch 2] [--memory-budget 8GB] [--designs reference-net,part-finetune] [--timed 3] [--seed 0] [--backend auto]
 *
 * Latents are those of the toy VAE (4× temporal and spatial compression, the
 * preset's in_dim channels): x [B, C, (F−1)/4+1, H/4, W/4], a one-frame
 * reference latent of the same size, k = |poses| pose latents.
 *
 * `peak_bytes` is TensorFlow.js's engine accounting: the maximum over the
 * step's kernels of the bytes held by live tensors (`tf.profile(...).peakBytes`),
 * minus the bytes alive before the design was built; it covers the weights,
 * the inputs, the activations kept for the backward pass, the gradients and
 * AdamW's moments (created inside the profiled step). `train_step_ms` is the
 * median wall time of `--timed` further, unprofiled steps. `predicted_bytes` is
 * the floor `predictTrainingBytes` gives before anything is built. With
 * `--memory-budget`, a design whose predicted floor exceeds the budget is not
 * built, and one whose measured peak exceeds it is reported out of memory
 * (status "out-of-memory", the message names both figures).
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation of model designs;
 * TensorFlow.js `tf.profile` (peakBytes).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { flowMatchingLoss } from "../../diffusion/mod.ts";
import { type BackendName, initEngine } from "../../engine/mod.ts";
import { Prng } from "../../random/mod.ts";
import { AdamW } from "../../train/mod.ts";
import { initWanParams } from "../init_wan_params.ts";
import { getPreset } from "../model_presets.ts";
import type { WanConfig } from "../wan_config.ts";
import { buildDesign } from "../designs/build_design.ts";
import { checkMemoryBudget, MemoryBudgetError } from "../designs/check_memory_budget.ts";
import { countDesignParams } from "../designs/count_design_params.ts";
import { designModelFn } from "../designs/design_model_fn.ts";
import { DESIGN_PRESETS, getDesignPreset } from "../designs/design_presets.ts";
import { parseByteSize } from "../designs/parse_byte_size.ts";
import { predictTrainingBytes } from "../designs/predict_training_bytes.ts";
import { resolveTrainable } from "../designs/resolve_trainable.ts";

const USAGE =
  "usage: variants.ts [--json] [--preset NAME] [--frames F --height H --width W] [--batch B] [--memory-budget SIZE] [--designs a,b] [--timed N] [--seed S] [--backend NAME]";
/** Temporal and spatial compression of the toy VAE. */
const COMPRESSION = 4;

/** One row of the table: a design's accounting. */
export interface VariantRow {
  design: string;
  total_params: number;
  trainable_params: number;
  /** Measured peak tensor bytes of one training step (null when not run). */
  peak_bytes: number | null;
  /** Median wall time of a training step (null when not run). */
  train_step_ms: number | null;
  /** Weights + gradients + AdamW moments in float32, before building anything. */
  predicted_bytes: number;
  status: "ok" | "out-of-memory";
  /** Why the design does not fit (out-of-memory rows). */
  message?: string;
  /** Loss of the measured step. */
  loss: number | null;
  preset: string;
  /** Shape of the video latents [B, C, F', H', W']. */
  latents: number[];
  backend: string;
}

interface Options {
  json: boolean;
  preset: string;
  frames: number;
  height: number;
  width: number;
  batch: number;
  budget?: number;
  designs: string[];
  timed: number;
  seed: number;
  backend: string;
}

/**
 * @param args command-line arguments
 * @returns the rows (also printed to stdout)
 * @example
 * ```ts ignore
 * import { main } from "./variants.ts";
 * const rows = await main(["--json", "--preset", "wan-smoke", "--frames", "5", "--height", "16", "--width", "16"]);
 * ```
 */
export async function main(args: string[]): Promise<VariantRow[]> {
  const o = parseArgs(args);
  const cfg = getPreset(o.preset);
  const latents = latentShape(cfg, o);
  const engine = await initEngine({ backend: o.backend as BackendName | "auto" });
  const rows: VariantRow[] = [];
  for (const name of o.designs) {
    const { design, scope } = getDesignPreset(name);
    const counts = countDesignParams(cfg, design, { scope });
    const predicted = predictTrainingBytes({ totalParams: counts.total, trainableParams: counts.trainable });
    const row: VariantRow = {
      design: name,
      total_params: counts.total,
      trainable_params: counts.trainable,
      peak_bytes: null,
      train_step_ms: null,
      predicted_bytes: predicted,
      status: "ok",
      loss: null,
      preset: o.preset,
      latents,
      backend: engine.backend,
    };
    rows.push(row);
    try {
      if (o.budget !== undefined) checkMemoryBudget(name, o.budget, { predictedBytes: predicted });
      const measured = await measure(cfg, name, latents, o);
      Object.assign(row, measured);
      if (o.budget !== undefined) checkMemoryBudget(name, o.budget, { peakBytes: measured.peak_bytes });
    } catch (e) {
      if (!(e instanceof MemoryBudgetError)) throw e;
      row.status = "out-of-memory";
      row.message = e.message;
      console.error(`variants: ${e.message}`);
    }
  }
  console.log(o.json ? JSON.stringify(rows, null, 1) : table(rows));
  return rows;
}

/** Builds the design on a fresh foundation and runs one profiled and `timed` plain training steps. */
async function measure(
  cfg: WanConfig,
  name: string,
  latents: number[],
  o: Options,
): Promise<{ peak_bytes: number; train_step_ms: number; loss: number }> {
  const { design, scope } = getDesignPreset(name);
  const startBytes = tf.memory().numBytes;
  const startTensors = tf.memory().numTensors;
  const prng = new Prng(o.seed);
  // In a tidy: the tensors the variables were made from are released (the variables stay).
  const foundation = { cfg, params: tf.tidy(() => initWanParams(cfg, { prng: prng.fork(1) })) };
  const model = buildDesign(foundation, design, { prng: prng.fork(2), shareFoundation: true, scope });
  const trainable = resolveTrainable(design, Object.keys(model.params), scope);
  const vars = Object.fromEntries(trainable.map((n) => [n, model.params[n]]));
  const data = prng.fork(3);
  const [b, c, f, h, w] = latents;
  const normal = (shape: number[]) => tf.tensor(data.normals(shape.reduce((x, y) => x * y, 1)), shape);
  const x0 = normal(latents), noise = normal(latents);
  const cond: Record<string, tf.Tensor> = {
    context: normal([b, cfg.text_len, cfg.text_dim]),
    reference: normal([b, c, 1, h, w]),
  };
  if (design.poses.length > 0) cond.pose = normal([b, design.poses.length * c, f, h, w]);
  const sigma = Array.from({ length: b }, () => data.uniform());
  const fn = designModelFn(design, model);
  let opt: AdamW | undefined;
  // The loss is read with await data(): webgpu (a GPU picked by --backend auto) has no synchronous read.
  const step = async (): Promise<number> => {
    const { value, grads } = tf.variableGrads(() => {
      const { loss, perSample } = flowMatchingLoss(fn, x0, { sigma, noise, cond });
      perSample.dispose();
      return loss;
    }, Object.values(vars));
    const named: Record<string, tf.Tensor> = {};
    for (const [n, v] of Object.entries(vars)) named[n] = grads[v.name];
    opt!.step(named, 1e-4);
    const loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  let loss = NaN;
  try {
    const profile = await tf.profile(async () => {
      // AdamW's constructor leaves behind the zero tensors its moments are made from; the tidy releases them.
      tf.tidy(() => {
        opt = new AdamW(vars, { lr: 1e-4, weightDecay: 0.01 });
      });
      loss = await step();
      return null as unknown as tf.Tensor;
    });
    const times: number[] = [];
    for (let i = 0; i < o.timed; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    times.sort((p, q) => p - q);
    const ms = times.length ? times[Math.floor((times.length - 1) / 2)] : NaN;
    return { peak_bytes: profile.peakBytes - startBytes, train_step_ms: Math.round(ms * 10) / 10, loss };
  } finally {
    opt?.dispose();
    tf.dispose([x0, noise, ...Object.values(cond), ...Object.values(model.params)]);
    const leaked = tf.memory().numTensors - startTensors;
    if (leaked !== 0) console.error(`variants: ${name} left ${leaked} tensors behind`);
  }
}

function latentShape(cfg: WanConfig, o: Options): number[] {
  const [pt, ph, pw] = cfg.patch_size;
  if ((o.frames - 1) % COMPRESSION !== 0) {
    throw new RangeError(`Cannot size the latents as frames must be 4k+1 for the toy VAE: received ${o.frames}`);
  }
  for (const [key, v, p] of [["height", o.height, ph], ["width", o.width, pw]] as const) {
    if (v % (COMPRESSION * p) !== 0) {
      throw new RangeError(`Cannot size the latents as ${key} must be a multiple of ${COMPRESSION * p}: received ${v}`);
    }
  }
  const f = (o.frames - 1) / COMPRESSION + 1;
  if (f % pt !== 0) throw new RangeError(`Cannot size the latents as ${f} latent frames are not divisible by ${pt}`);
  return [o.batch, cfg.in_dim, f, o.height / COMPRESSION, o.width / COMPRESSION];
}

function table(rows: VariantRow[]): string {
  const mb = (v: number | null) => v === null ? "-" : `${(v / 1e6).toFixed(2)} MB`;
  const head = ["design", "total", "trainable", "peak", "predicted floor", "step ms", "status"];
  const body = rows.map((r) => [
    r.design,
    r.total_params.toLocaleString("en-US"),
    r.trainable_params.toLocaleString("en-US"),
    mb(r.peak_bytes),
    mb(r.predicted_bytes),
    r.train_step_ms === null ? "-" : String(r.train_step_ms),
    r.status,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const r0 = rows[0];
  const title = r0 ? `${r0.preset}, latents [${r0.latents}], backend ${r0.backend}` : "";
  return [title, line(head), ...body.map(line)].join("\n");
}

function parseArgs(args: string[]): Options {
  const o: Options = {
    json: false,
    preset: "wan-toy",
    frames: 9,
    height: 32,
    width: 32,
    batch: 2,
    designs: Object.keys(DESIGN_PRESETS),
    timed: 3,
    seed: 0,
    backend: "auto",
  };
  const int = (key: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      throw new RangeError(`Cannot use --${key} as it must be an integer >= ${min}: received ${v}`);
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes("=") ? args[i].split(/=(.*)/s) : [args[i], undefined];
    const value = () => inline ?? args[++i];
    switch (flag) {
      case "--json":
        o.json = true;
        break;
      case "--preset":
        o.preset = value();
        break;
      case "--frames":
        o.frames = int("frames", value(), 1);
        break;
      case "--height":
        o.height = int("height", value(), 1);
        break;
      case "--width":
        o.width = int("width", value(), 1);
        break;
      case "--batch":
        o.batch = int("batch", value(), 1);
        break;
      case "--timed":
        o.timed = int("timed", value(), 0);
        break;
      case "--seed":
        o.seed = int("seed", value(), 0);
        break;
      case "--memory-budget":
        o.budget = parseByteSize(value());
        break;
      case "--designs":
        o.designs = value().split(",").map((s) => s.trim()).filter(Boolean);
        for (const d of o.designs) getDesignPreset(d);
        break;
      case "--backend":
        o.backend = value();
        break;
      default:
        throw new RangeError(`Unknown argument "${args[i]}": ${USAGE}`);
    }
  }
  return o;
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`variants: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
