/**
 * The first shape of a recorded run config (config.json of every run made
 * before run configs were typed by task) and its defaults, kept only so that
 * migrate_run_config.ts can read those folders. Nothing else uses it.
 */
import type { SamplerConfig, TimestepDistribution } from "../diffusion/mod.ts";
import type { DataConfig, FeatureNetsRunConfig, SampleRunConfig } from "./run_config.ts";

/** One flat record for every task. */
export interface LegacyRunConfig {
  task: "pretrain" | "animate" | "benchmark" | "feature-nets" | "sample";
  seed: number;
  engine: { backend: "auto" | "webgpu" | "tensorflow" | "blas" | "wasm" | "cpu"; threads: number };
  data: DataConfig;
  vae: {
    preset: string;
    steps: number;
    lr: number;
    microBatch: number;
    klWeight: number;
    schedule: "constant" | "cosine";
    minLr: number;
    maskWeight: number;
    checkpoint: string | null;
    init: string | null;
  };
  model: {
    preset: string;
    checkpoint: string | null;
    design: string;
    shiftedRope: boolean;
    poses: ("skeleton" | "hands" | "body")[];
    memoryBudget: string | null;
  };
  conditioning: { dropReference: number; dropText: number };
  diffusion: { timesteps: TimestepDistribution; shift: number };
  train: {
    steps: number;
    microBatch: number;
    accumulation: number;
    lr: number;
    weightDecay: number;
    warmupSteps: number;
    schedule: "constant" | "cosine";
    minLr: number;
    clipNorm: number;
    maskWeight: number;
    emaDecay: number;
    checkpointEvery: number;
    valEvery: number;
    valSigmas: number[];
    keepSteps: number[];
    buckets: number;
  };
  sample: { solver: "euler" | "unipc"; steps: number; guidance: number };
  eval: { metrics: ("psnr" | "ssim" | "flicker")[]; keptSteps: boolean; diversitySeeds: number; poseFrames: number };
  featureNets: FeatureNetsRunConfig["featureNets"];
  benchmark: { source: string | null; clips: number };
  sampling: SampleRunConfig["sampling"] & { sampler: SamplerConfig };
}

/** The defaults that shape's runs were completed with (keys recorded before they existed). */
export const LEGACY_DEFAULTS: LegacyRunConfig = {
  task: "pretrain",
  seed: 0,
  engine: { backend: "auto", threads: 1 },
  data: { frames: 5, height: 32, width: 32, trainClips: 32, valClips: 4, evalClips: 4, source: { kind: "synthetic" } },
  vae: { preset: "vae-smoke", steps: 40, lr: 2e-3, microBatch: 4, klWeight: 1e-4, schedule: "constant", minLr: 0, maskWeight: 0, checkpoint: null, init: null },
  model: { preset: "wan-smoke", checkpoint: null, design: "part-finetune", shiftedRope: true, poses: ["skeleton", "hands", "body"], memoryBudget: null },
  conditioning: { dropReference: 0.05, dropText: 0.05 },
  diffusion: { timesteps: { kind: "uniform" }, shift: 1 },
  train: {
    steps: 40,
    microBatch: 4,
    accumulation: 1,
    lr: 1e-3,
    weightDecay: 0.01,
    warmupSteps: 5,
    schedule: "constant",
    minLr: 0,
    clipNorm: 1,
    maskWeight: 0,
    emaDecay: 0,
    checkpointEvery: 10,
    valEvery: 10,
    valSigmas: [0.1, 0.3, 0.5, 0.7, 0.9],
    keepSteps: [],
    buckets: 5,
  },
  sample: { solver: "euler", steps: 8, guidance: 1 },
  eval: { metrics: ["psnr", "ssim", "flicker"], keptSteps: false, diversitySeeds: 0, poseFrames: 3 },
  featureNets: {
    pool: 1536,
    image: { steps: 600, clips: 32, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
    video: { steps: 500, clips: 16, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
    checkpointEvery: 100,
    sanityClips: 200,
    calibrationSizes: [{ frames: 5, height: 32, width: 32 }, { frames: 9, height: 32, width: 32 }, { frames: 17, height: 64, width: 64 }],
  },
  benchmark: { source: null, clips: 100 },
  sampling: {
    foundation: null,
    sampler: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "none" }, interval: null, init: null },
    clips: 100,
    strips: 0,
  },
};
