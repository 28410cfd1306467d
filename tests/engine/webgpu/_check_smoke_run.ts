/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_smoke_run.ts`:
 * the smoke experiment's pipeline (runPipeline: clips → VAE training and
 * latent statistics → text encoder + wan-smoke DiT flow matching with
 * validation → Euler sampling → decode → PSNR/SSIM/flicker, checkpoints and
 * artifacts written) end to end on the cpu backend and on webgpu, then an
 * `animate` run (the reference-net design fine-tuned from the cpu run's
 * foundation, CFG 2) on both. Sizes are cut so that both backends fit in about
 * a minute on lavapipe. Prints the per-step losses, gradient norms,
 * validation losses and final metrics of each backend as one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { presetDesign, type ResolvedRun, resolveRuns, taskDefaults } from "../../../lib/workbench/mod.ts";
import { runPipeline } from "../../../lib/workbench/run_pipeline.ts";
import { readJsonl } from "../../../lib/train/mod.ts";
import smoke from "../../../experiments/smoke.ts";
import { emit } from "./_check_util.ts";
import { as, runContext } from "../../workbench/_fixtures.ts";

const ctx = (dir: string, label: string) => runContext(dir, label, "webgpu-smoke");

/** The smoke experiment's first run (lr 1e-3), smaller: 16×16 pixels, 3 VAE and 4 DiT steps. */
function pretrainRun(): ResolvedRun {
  const [run] = resolveRuns("smoke", smoke);
  const c = as(run.config, "pretrain");
  Object.assign(c.data, { frames: 5, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 2 });
  Object.assign(c.vae, { steps: 3, microBatch: 2 });
  Object.assign(c.train, {
    steps: 4,
    microBatch: 2,
    schedule: { kind: "constant", warmupSteps: 1 },
    checkpointEvery: 2,
    valEvery: 2,
    valSigmas: [0.3, 0.7],
  });
  Object.assign(c.sample, { steps: 2 });
  return run;
}

/** The reference-net design (CFG 2, all three poses) fine-tuned from a foundation folder. */
function animateRun(foundation: string): ResolvedRun {
  const run = pretrainRun();
  const p = as(run.config, "pretrain");
  const c = {
    ...taskDefaults("animate"),
    seed: p.seed,
    engine: p.engine,
    data: p.data,
    vae: { ...p.vae, checkpoint: `${foundation}/vae`, steps: 0 },
    model: { preset: p.model.preset, checkpoint: `${foundation}/dit`, design: presetDesign("reference-net"), memoryBudget: null },
    diffusion: p.diffusion,
    train: { ...p.train, steps: 2, valEvery: 1 },
    sample: { ...p.sample, guidance: { kind: "cfg", scale: 2, drop: ["context", "reference"] } },
  } as const;
  return { ...run, id: "animate", config: c };
}

async function runOn(backend: "cpu" | "webgpu", run: ResolvedRun, dir: string) {
  await initEngine({ backend });
  const t0 = performance.now();
  const out = await runPipeline(run, ctx(dir, `${backend} ${run.config.task}`));
  const ms = performance.now() - t0;
  if (out.interrupted) throw new Error(`${backend} ${run.config.task} run was interrupted`);
  const log = ((await readJsonl(`${dir}/metrics.jsonl`)) ?? []).filter((r) => r !== null) as Record<string, unknown>[];
  const of = (phase: string, key: string) =>
    log.filter((r) => r.phase === phase && typeof r[key] === "number").map((r) => [r.step, r[key]] as [number, number]);
  const files: string[] = [];
  for (const f of ["vae/vae.safetensors", "dit/config.json", "samples/generated.safetensors"]) {
    try {
      await Deno.stat(`${dir}/${f}`);
      files.push(f);
    } catch { /* absent */ }
  }
  return {
    backend: tf.getBackend(),
    ms,
    metrics: out.metrics,
    vaeLoss: of("vae", "loss"),
    ditLoss: of("dit", "loss"),
    ditGradNorm: of("dit", "grad_norm"),
    valLoss: of("dit", "val_loss"),
    files,
  };
}

const root = await Deno.makeTempDir({ prefix: "webgpu-smoke-" });
try {
  const pretrain = {
    cpu: await runOn("cpu", pretrainRun(), `${root}/cpu`),
    webgpu: await runOn("webgpu", pretrainRun(), `${root}/webgpu`),
  };
  const withAnimate = Deno.args[0] !== "--no-animate";
  const animate = withAnimate
    ? {
      cpu: await runOn("cpu", animateRun(`${root}/cpu`), `${root}/animate-cpu`),
      webgpu: await runOn("webgpu", animateRun(`${root}/cpu`), `${root}/animate-webgpu`),
    }
    : null;
  emit({ pretrain, animate });
} finally {
  await Deno.remove(root, { recursive: true });
}
