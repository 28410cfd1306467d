/**
 * The resolved configuration of one run, a discriminated union by `task`:
 * each task's member holds only the sections it reads, so a key placed in the
 * wrong task is a type error (and a load-time error, experiment.ts). The
 * defaults of each task are in run_defaults.ts; experiments change only what
 * differs.
 *
 * References: nanoGPT's single config object; hydra's "experiment = overrides
 * of a base config" pattern.
 */
import type { SamplerConfig, TimestepDistribution } from "../diffusion/mod.ts";
import type { FeatureNetPhase } from "../eval/syn/train_feature_nets.ts";
import type { LrSchedule } from "../train/mod.ts";
import type { DataSource } from "./data_source.ts";
import type { ModelDesign } from "./model_design.ts";

/** Settings every task has. */
interface RunBase {
  /** Seeds data order, initialisation, noise and sampling. */
  seed: number;
  engine: {
    /** "auto" picks the fastest available backend. */
    backend: "auto" | "webgpu" | "tensorflow" | "blas" | "wasm" | "cpu";
    threads: number;
  };
}

/** The clips of a run. */
export interface DataConfig {
  /** Frames per clip, 4k+1 so that the causal VAE maps one image to one latent frame. */
  frames: number;
  height: number;
  width: number;
  /** Distinct training clips (the stream cycles over them, reshuffled each epoch). */
  trainClips: number;
  /** Held-out clips for the validation loss. */
  valClips: number;
  /** Clips of the evaluation set sampled and scored at the end. */
  evalClips: number;
  /**
   * Where the clips come from: the synthetic generator (the task's set; evaluation on realisdance-val-syn),
   * or a folder of clips ingested from real videos with its own held-out evaluation split (data_source.ts).
   */
  source: DataSource;
}

/** The causal video VAE: trained in the run, or loaded (`checkpoint`). */
export interface VaeConfig {
  preset: string;
  /** Optimizer steps of the VAE phase (unused with a checkpoint). */
  steps: number;
  lr: number;
  microBatch: number;
  klWeight: number;
  /** Learning-rate schedule (its warmup at most steps − 1). */
  schedule: LrSchedule;
  /**
   * λ of the per-pixel reconstruction weight 1 + λ·mask (the clip's character
   * mask), 0 = unweighted: spends the code on the character instead of
   * incompressible background texture.
   */
  maskWeight: number;
  /** Training-state checkpoint every K steps. */
  checkpointEvery: number;
  /** A trained VAE folder to load instead of training one. */
  checkpoint: string | null;
  /**
   * A trained VAE folder whose weights start this run's VAE training instead
   * of a random initialisation (checkpoint null): a stage continued, e.g. an
   * image-only VAE trained further on video clips. Its architecture must be
   * vae.preset's. The optimizer and schedule start afresh.
   */
  init: string | null;
}

/** The DiT's optimisation (tasks pretrain and animate). */
export interface TrainConfig {
  /** Optimizer steps of the DiT, >= 1. */
  steps: number;
  microBatch: number;
  /** Effective batch = microBatch × accumulation. */
  accumulation: number;
  lr: number;
  weightDecay: number;
  /** Warmup, then constant or cosine decay (lib/train/lr_schedule.ts). */
  schedule: LrSchedule;
  /** Global-norm gradient clip, 0 = off. */
  clipNorm: number;
  /**
   * Extra weight λ of the character's latents in the DiT loss: each latent
   * position weighs 1 + λ·m, m its block's character mask (max-pooled to the
   * VAE's grid); 0 = the plain flow-matching loss. The validation loss stays
   * unweighted.
   */
  maskWeight: number;
  /**
   * EMA decay of the trainable weights, 0 = off. When on, the EMA weights
   * replace the trained ones at the end of the DiT phase: the final
   * validation loss, the saved DiT and the samples use them (the validation
   * losses logged during training use the raw weights).
   */
  emaDecay: number;
  checkpointEvery: number;
  /** Validation loss every K steps on the held-out clips at fixed timesteps, 0 = off. */
  valEvery: number;
  /** The fixed noise levels σ of the validation loss (as they are: diffusion.shift does not apply to them). */
  valSigmas: number[];
  /** Equal-width s buckets for the loss-by-timestep log. */
  buckets: number;
}

/**
 * How a training run samples its evaluation clips at the end: a sampler config
 * whose schedule shift is the training's (`diffusion.shift`), so that a sweep
 * over the shift moves both together.
 */
export type TrainingSamplerConfig = Omit<SamplerConfig, "shift">;

/** Training-time noise levels. */
export interface DiffusionConfig {
  timesteps: TimestepDistribution;
  /** σ' = shift·σ/(1+(shift−1)·σ), applied to the training draws and to the sampler of the evaluation clips. */
  shift: number;
}

/** The quick metrics of the evaluation samples. */
export type EvalMetric = "psnr" | "ssim" | "flicker";

/** The evaluation at every kept checkpoint of an animate run (_checkpoint_eval.ts). */
export interface KeptStepsConfig {
  /** Steps whose checkpoints are kept and evaluated, with the final step. */
  steps: number[];
  /** Noise seeds sampled per clip and step (≥ 2: diversity compares them). */
  diversitySeeds: number;
  /** Evenly spaced frames per clip given to the pose extractor. */
  poseFrames: number;
}

/** A VAE-only run: trains, scores and saves the VAE (`vae/`), a stage that later runs load with vae.checkpoint. */
export interface VaeRunConfig extends RunBase {
  task: "vae";
  data: DataConfig;
  vae: VaeConfig;
}

/** Text-to-video training of the foundation DiT on the pretraining set (its VAE trained first or loaded). */
export interface PretrainRunConfig extends RunBase {
  task: "pretrain";
  data: DataConfig;
  vae: VaeConfig;
  model: {
    preset: string;
    /** A trained DiT checkpoint folder to start from, or null for random init. */
    checkpoint: string | null;
  };
  conditioning: {
    /** Per-sample probability of replacing the caption by the empty prompt. */
    dropText: number;
  };
  diffusion: DiffusionConfig;
  train: TrainConfig;
  /** How the evaluation clips are sampled at the end (classifier-free guidance drops "context"). */
  sample: TrainingSamplerConfig;
  eval: { metrics: EvalMetric[] };
}

/** Pose- and reference-conditioned fine-tuning (RealisDance-DiT) of a foundation on the fine-tuning set. */
export interface AnimateRunConfig extends RunBase {
  task: "animate";
  data: DataConfig;
  vae: VaeConfig;
  model: {
    preset: string;
    /** The foundation's DiT folder. */
    checkpoint: string | null;
    /** The design and what of it trains; an experiment may name a preset of DESIGN_PRESETS instead. */
    design: ModelDesign;
    /** Stop before training when a design's measured peak memory exceeds this ("8GB", "512MB"), or null. */
    memoryBudget: string | null;
  };
  conditioning: {
    /** Per-sample probability of replacing the reference by the latent of an all-zero image. */
    dropReference: number;
    /** Per-sample probability of replacing the caption by the empty prompt. */
    dropText: number;
  };
  diffusion: DiffusionConfig;
  train: TrainConfig;
  /** How the evaluation clips are sampled at the end (classifier-free guidance drops "context" and "reference"). */
  sample: TrainingSamplerConfig;
  eval: {
    metrics: EvalMetric[];
    /** Keep the checkpoints of these steps and score each (pose error, diversity, background), or null. */
    keptSteps: KeptStepsConfig | null;
  };
}

/** No training: samples realisdance-val-syn with a finished animate run's weights and computes both paper tables. */
export interface BenchmarkRunConfig extends RunBase {
  task: "benchmark";
  /** The clips' source and size. */
  data: DataConfig;
  /** The design whose finished animate run (same design and seed) supplies the weights. */
  model: { design: ModelDesign };
  /** How the clips are sampled (classifier-free guidance drops "context" and "reference"). */
  sample: SamplerConfig;
  benchmark: {
    /** The experiment (a folder next to this one under the results root) holding the finished animate runs. */
    source: string | null;
    /** Evaluation clips of data.source sampled and scored (its first N, at most 100: realisdance-val-syn has 100). */
    clips: number;
  };
}

/** Trains the offline `-syn` evaluation networks (architectures: SYN_NET_PRESETS) and the classical calibration. */
export interface FeatureNetsRunConfig extends RunBase {
  task: "feature-nets";
  featureNets: {
    /** Clips rendered into the training bank: ¾ at 9×32×32, ¼ at 9×64×64, half pretrain and half finetune. */
    pool: number;
    image: FeatureNetPhase;
    video: FeatureNetPhase;
    /** Training-state checkpoint every K steps of each encoder. */
    checkpointEvery: number;
    /** Held-out pretraining clips for the sanity figures (retrieval, FID/FVD-syn under corruptions), 0 = none. */
    sanityClips: number;
    /** realisdance-val-syn clip sizes that get a classical calibration ([] = none). */
    calibrationSizes: { frames: number; height: number; width: number }[];
  };
}

/** No training: a finished foundation's text-to-video samples with one sampler, written to `samples/` and scored. */
export interface SampleRunConfig extends RunBase {
  task: "sample";
  /** Where the clips come from (data_source.ts). */
  data: { source: DataSource };
  /** The sample folder `<run>/samples/` (sampler.json, latents, videos, strips; sample_foundation.ts). */
  sampling: {
    /** The finished pretrain run folder whose VAE and DiT draw the samples, e.g. "results/pretrain_dit_vae_video/0". */
    foundation: string | null;
    /** How they are drawn (noise: the run's seed), written verbatim to sampler.json. */
    sampler: SamplerConfig;
    /** realisdance-val-syn clips sampled, from its first (2..100; FID-syn and FVD-syn need two). */
    clips: number;
    /** The first K clips also written as PNG strips (ground truth, VAE reconstruction, sample). */
    strips: number;
  };
}

/** Every setting of one run, by task. */
export type RunConfig =
  | VaeRunConfig
  | PretrainRunConfig
  | AnimateRunConfig
  | BenchmarkRunConfig
  | FeatureNetsRunConfig
  | SampleRunConfig;

/** The tasks. */
export type Task = RunConfig["task"];

/** The config of one task. */
export type TaskConfig<T extends Task> = Extract<RunConfig, { task: T }>;

/** The tasks, in the order the manual lists them. */
export const TASKS = ["vae", "pretrain", "animate", "benchmark", "feature-nets", "sample"] as const satisfies readonly Task[];
