/**
 * The committed foundation every fine-tuning experiment starts from (written
 * by `deno task ablate pretrain`), and the fine-tuning scale shared by the
 * paper's ablations on this machine. (Files starting with `_` are not
 * experiments.)
 */
import type { DeepPartial, RunConfig } from "../lib/workbench/mod.ts";

/**
 * The foundation run folder: `pretrain_dit_vae_video`, the DiT recipe of
 * `pretrain_dit_16k` (128-token captions, character-weighted loss, 16,384
 * clips) on the two-stage VAE of `pretrain_vae_video`. Its text-to-video
 * samples are drawn at their most recognisable guided by a weaker version of
 * itself (autoguidance with `pretrain_dit_vae_video_guide_short` at scale 3:
 * run 11 of `deno task ablate foundation_sampling`). Why it was adopted, and
 * its scores: results/JOURNAL.md.
 */
export const FOUNDATION = "results/pretrain_dit_vae_video/0";

/** Fine-tuning from the foundation at the ablations' scale: 9 frames at 32×32. */
export const FINETUNE_BASE = {
  task: "animate",
  data: { frames: 9, height: 32, width: 32, trainClips: 256, valClips: 16, evalClips: 16 },
  vae: { checkpoint: `${FOUNDATION}/vae` },
  model: { preset: "wan-toy", checkpoint: `${FOUNDATION}/dit`, design: "part-finetune" },
  conditioning: { dropReference: 0.05, dropText: 0.05 },
  diffusion: { timesteps: { kind: "uniform" }, shift: 1 },
  train: {
    steps: 300,
    microBatch: 8,
    accumulation: 1,
    lr: 5e-4,
    warmupSteps: 20,
    schedule: "constant",
    checkpointEvery: 50,
    valEvery: 25,
  },
  sample: { solver: "unipc", steps: 20, guidance: 2 },
} as const satisfies DeepPartial<RunConfig>;

/**
 * The fine-tuning scale under test for "do the designs animate?"
 * (`finetune_scale`, `finetune_scale_seeds`): `FINETUNE_BASE` with eight times
 * the training clips and sixteen times the steps, checkpoints kept along the
 * way and each kept step scored against the VAE's reconstruction
 * (eval.keptSteps).
 */
export const FINETUNE_SCALE = {
  ...FINETUNE_BASE,
  data: { ...FINETUNE_BASE.data, trainClips: 2048 },
  train: { ...FINETUNE_BASE.train, steps: 4800, checkpointEvery: 300, valEvery: 300, keepSteps: [300, 600, 1200, 2400] },
  eval: { keptSteps: true, diversitySeeds: 2, poseFrames: 3 },
} as const satisfies DeepPartial<RunConfig>;
