/**
 * The resolved configuration of one run: every knob of the pipeline in one
 * typed place, with commented defaults. Experiments change only what differs.
 *
 * References: nanoGPT's single config object; hydra's "experiment = overrides
 * of a base config" pattern.
 */
import type { SamplerConfig } from "../diffusion/mod.ts";
import type { DesignPresetName } from "../model/designs/mod.ts";
import type { DataSource } from "./data_source.ts";

/** Timestep distribution used in training (see lib/diffusion/timesteps). */
export type TimestepConfig =
  | { kind: "uniform" }
  | { kind: "low-noise-warmup"; alpha: number; warmup: number }
  | { kind: "high-noise-warmup"; alpha: number; warmup: number }
  | { kind: "logit-normal"; mean: number; std: number };

/** The four model designs of the paper's ablation and LoRA (lib/model/designs DESIGN_PRESETS). */
export type DesignName = DesignPresetName;

/** The optimisation settings of one `-syn` encoder (task "feature-nets"). */
export interface FeatureNetPhaseConfig {
  steps: number;
  /** Clips per step, each giving two views. */
  clips: number;
  /** Peak learning rate: min(50, steps − 1) warmup steps, then cosine decay to lr/20. */
  lr: number;
  weightDecay: number;
  /** InfoNCE temperature. */
  temperature: number;
  /** Weight of the label heads' cross-entropy next to InfoNCE. */
  headWeight: number;
}

/** Every setting of one run. */
export interface RunConfig {
  /**
   * "pretrain": text-to-video training of the foundation on the pretraining set;
   * "animate": pose- and reference-conditioned fine-tuning (RealisDance-DiT) on the fine-tuning set;
   * "benchmark": no training: samples realisdance-val-syn with a finished animate run's weights and
   * computes both paper tables (see `benchmark`);
   * "feature-nets": trains the offline `-syn` evaluation networks and the classical calibration (see `featureNets`);
   * "sample": no training: draws a finished foundation's text-to-video samples with one sampler into the run's
   * `samples/` folder, then scores them (see `sampling`).
   */
  task: "pretrain" | "animate" | "benchmark" | "feature-nets" | "sample";
  /** Seeds data order, initialisation, noise and sampling. */
  seed: number;
  engine: {
    /** "auto" picks the fastest available backend. */
    backend: "auto" | "webgpu" | "tensorflow" | "blas" | "wasm" | "cpu";
    threads: number;
  };
  data: {
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
  };
  vae: {
    preset: string;
    /** Optimizer steps of the VAE phase (0 with a checkpoint). */
    steps: number;
    lr: number;
    microBatch: number;
    klWeight: number;
    /** Learning-rate schedule after a 5-step warmup: constant, or cosine decay to `minLr`. */
    schedule: "constant" | "cosine";
    minLr: number;
    /**
     * λ of the per-pixel reconstruction weight 1 + λ·mask (the clip's character
     * mask), 0 = unweighted: spends the code on the character instead of
     * incompressible background texture.
     */
    maskWeight: number;
    /** A trained VAE folder to load instead of training one. */
    checkpoint: string | null;
    /**
     * A trained VAE folder whose weights start this run's VAE training instead
     * of a random initialisation (vae.checkpoint null, vae.steps >= 1): a stage
     * continued, e.g. an image-only VAE trained further on video clips. Its
     * architecture must be vae.preset's. The optimizer and schedule start afresh.
     */
    init: string | null;
  };
  model: {
    preset: string;
    /** A trained DiT checkpoint folder to start from (the foundation), or null for random init. */
    checkpoint: string | null;
    /** animate: which design of the ablation (its fine-tuning scope comes with it). */
    design: DesignName;
    /** animate, concat designs: reference tokens placed past the video grid (false: the unshifted ablation). */
    shiftedRope: boolean;
    /** animate: the pose conditions used, channel-concatenated in this order. */
    poses: ("skeleton" | "hands" | "body")[];
    /** Stop before training when a design's measured peak memory exceeds this ("8GB", "512MB"), or null. */
    memoryBudget: string | null;
  };
  conditioning: {
    /** animate: per-sample probability of replacing the reference by the latent of an all-zero image. */
    dropReference: number;
    /** Per-sample probability of replacing the caption by the empty prompt. */
    dropText: number;
  };
  diffusion: {
    timesteps: TimestepConfig;
    /** σ' = shift·σ/(1+(shift−1)·σ), applied in training and sampling. */
    shift: number;
  };
  train: {
    /**
     * Optimizer steps of the DiT. 0 (task "pretrain" only, with vae.checkpoint
     * null) makes a VAE-only run: it trains, scores and saves the VAE and
     * stops, a stage that later foundation runs load with vae.checkpoint.
     */
    steps: number;
    microBatch: number;
    /** Effective batch = microBatch × accumulation. */
    accumulation: number;
    lr: number;
    weightDecay: number;
    warmupSteps: number;
    schedule: "constant" | "cosine";
    minLr: number;
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
    /** Extra checkpoints kept at these steps. */
    keepSteps: number[];
    /** Equal-width s buckets for the loss-by-timestep log. */
    buckets: number;
  };
  sample: {
    solver: "euler" | "unipc";
    steps: number;
    /** Classifier-free guidance scale (1 = off). */
    guidance: number;
  };
  eval: {
    metrics: ("psnr" | "ssim" | "flicker")[];
    /**
     * animate: after training, re-sample the evaluation clips with the weights of every
     * kept checkpoint (`train.keepSteps`) and of the final step, and record per step
     * `pose_error@N`, `pose_missed@N`, `diversity@N`, `background@N` (and `val_loss@N`).
     */
    keptSteps: boolean;
    /** With keptSteps: noise seeds sampled per clip and step (≥ 2: diversity compares them). */
    diversitySeeds: number;
    /** With keptSteps: evenly spaced frames per clip given to the pose extractor. */
    poseFrames: number;
  };
  /** feature-nets: the `-syn` image and video encoders (architectures: SYN_NET_PRESETS) and the calibration. */
  featureNets: {
    /** Clips rendered into the training bank: ¾ at 9×32×32, ¼ at 9×64×64, half pretrain and half finetune. */
    pool: number;
    image: FeatureNetPhaseConfig;
    video: FeatureNetPhaseConfig;
    /** Training-state checkpoint every K steps of each encoder. */
    checkpointEvery: number;
    /** Held-out pretraining clips for the sanity figures (retrieval, FID/FVD-syn under corruptions), 0 = none. */
    sanityClips: number;
    /** realisdance-val-syn clip sizes that get a classical calibration ([] = none). */
    calibrationSizes: { frames: number; height: number; width: number }[];
  };
  benchmark: {
    /**
     * benchmark: the experiment (a folder next to this one under the results root) whose finished
     * animate run with the same model.design and seed supplies the fine-tuned weights.
     */
    source: string | null;
    /** benchmark: evaluation clips of data.source sampled and scored (its first N, at most 100: realisdance-val-syn has 100). */
    clips: number;
  };
  /** sample: the sample folder `<run>/samples/` (sampler.json, latents, videos, strips; lib/workbench/sample_foundation.ts). */
  sampling: {
    /** sample: the finished pretrain run folder whose VAE and DiT draw the samples, e.g. "results/pretrain_dit_vae_video/0". */
    foundation: string | null;
    /** sample: how they are drawn (noise: the run's seed), written verbatim to sampler.json. */
    sampler: SamplerConfig;
    /** sample: realisdance-val-syn clips sampled, from its first (2..100; FID-syn and FVD-syn need two). */
    clips: number;
    /** sample: the first K clips also written as PNG strips (ground truth, VAE reconstruction, sample). */
    strips: number;
  };
}

/** The base every experiment overrides. */
export const DEFAULT_RUN_CONFIG: RunConfig = {
  task: "pretrain",
  seed: 0,
  engine: { backend: "auto", threads: 1 },
  data: { frames: 5, height: 32, width: 32, trainClips: 32, valClips: 4, evalClips: 4, source: { kind: "synthetic" } },
  vae: { preset: "vae-smoke", steps: 40, lr: 2e-3, microBatch: 4, klWeight: 1e-4, schedule: "constant", minLr: 0, maskWeight: 0, checkpoint: null, init: null },
  model: {
    preset: "wan-smoke",
    checkpoint: null,
    design: "part-finetune",
    shiftedRope: true,
    poses: ["skeleton", "hands", "body"],
    memoryBudget: null,
  },
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

/** Config paths whose values are whole objects (discriminated unions), not merged key by key. */
export const OPAQUE_PATHS: readonly string[] = ["diffusion.timesteps", "sampling.sampler.guidance", "data.source"];
