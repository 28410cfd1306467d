/**
 * Each task's defaults: the base its recipes and experiments override, and
 * the key set a config of that task is checked against (a key absent here is
 * unknown or belongs to another task).
 */
import type { SamplerConfig } from "../diffusion/mod.ts";
import type { DataConfig, Task, TaskConfig, TrainConfig, TrainingSamplerConfig, VaeConfig } from "./run_config.ts";
import { presetDesign } from "./model_design.ts";

const ENGINE = { backend: "auto", threads: 1 } as const;
const DATA: DataConfig = { frames: 5, height: 32, width: 32, trainClips: 32, valClips: 4, evalClips: 4, source: { kind: "synthetic" } };
const VAE: VaeConfig = {
  preset: "vae-smoke",
  steps: 40,
  lr: 2e-3,
  microBatch: 4,
  klWeight: 1e-4,
  schedule: { kind: "constant", warmupSteps: 5 },
  maskWeight: 0,
  checkpointEvery: 10,
  checkpoint: null,
  init: null,
};
const TRAIN: TrainConfig = {
  steps: 40,
  microBatch: 4,
  accumulation: 1,
  lr: 1e-3,
  weightDecay: 0.01,
  schedule: { kind: "constant", warmupSteps: 5 },
  clipNorm: 1,
  maskWeight: 0,
  emaDecay: 0,
  checkpointEvery: 10,
  valEvery: 10,
  valSigmas: [0.1, 0.3, 0.5, 0.7, 0.9],
  buckets: 5,
};
const SAMPLE: TrainingSamplerConfig = { solver: "euler", steps: 8, guidance: { kind: "none" }, interval: null, init: null };
const DIFFUSION = { timesteps: { kind: "uniform" }, shift: 1 } as const;
const METRICS = ["psnr", "ssim", "flicker"] as const;

/** The defaults of every task. */
export const RUN_DEFAULTS: { readonly [T in Task]: TaskConfig<T> } = {
  vae: { task: "vae", seed: 0, engine: { ...ENGINE }, data: DATA, vae: VAE },
  pretrain: {
    task: "pretrain",
    seed: 0,
    engine: { ...ENGINE },
    data: DATA,
    vae: VAE,
    model: { preset: "wan-smoke", checkpoint: null },
    conditioning: { dropText: 0.05 },
    diffusion: { ...DIFFUSION },
    train: TRAIN,
    sample: SAMPLE,
    eval: { metrics: [...METRICS] },
  },
  animate: {
    task: "animate",
    seed: 0,
    engine: { ...ENGINE },
    data: DATA,
    vae: VAE,
    model: { preset: "wan-smoke", checkpoint: null, design: presetDesign("part-finetune"), memoryBudget: null },
    conditioning: { dropReference: 0.05, dropText: 0.05 },
    diffusion: { ...DIFFUSION },
    train: TRAIN,
    sample: SAMPLE,
    eval: { metrics: [...METRICS], keptSteps: null },
  },
  benchmark: {
    task: "benchmark",
    seed: 0,
    engine: { ...ENGINE },
    data: DATA,
    model: { design: presetDesign("part-finetune") },
    sample: { ...SAMPLE, shift: 1 } satisfies SamplerConfig,
    benchmark: { source: null, clips: 100 },
  },
  "feature-nets": {
    task: "feature-nets",
    seed: 0,
    engine: { ...ENGINE },
    featureNets: {
      pool: 1536,
      image: { steps: 600, clips: 32, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
      video: { steps: 500, clips: 16, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
      checkpointEvery: 100,
      sanityClips: 200,
      calibrationSizes: [{ frames: 5, height: 32, width: 32 }, { frames: 9, height: 32, width: 32 }, { frames: 17, height: 64, width: 64 }],
    },
  },
  sample: {
    task: "sample",
    seed: 0,
    engine: { ...ENGINE },
    data: { source: { kind: "synthetic" } },
    sampling: {
      foundation: null,
      sampler: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "none" }, interval: null, init: null },
      clips: 100,
      strips: 0,
    },
  },
};

/**
 * @param task a task
 * @returns a fresh copy of its defaults
 * @example
 * ```ts
 * import { taskDefaults } from "./run_defaults.ts";
 * console.log(taskDefaults("vae").vae.checkpoint); // null
 * ```
 */
export function taskDefaults<T extends Task>(task: T): TaskConfig<T> {
  return structuredClone(RUN_DEFAULTS[task]) as TaskConfig<T>;
}
