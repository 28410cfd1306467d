/**
 * The named recipes every experiment starts from: an experiment file is its
 * question, one recipe's name and the overrides on it (one level deep), and
 * its sweep axes. (Files starting with `_` are not experiments.)
 *
 * The rule: each recipe is written out in full, key by key, and spreads
 * nothing, neither another recipe nor an experiment, so that reading one
 * recipe is reading all it trains, and editing one changes no other. Each
 * names its task, whose keys alone it may set (run_config.ts), and is exactly
 * the base its committed runs resolved from (their `config.json`, read through
 * migrate_run_config.ts): a sweep refuses a run whose recorded config differs.
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./_recipes.ts";
 * const exp = defineExperiment({
 *   question: "do the guide's checkpoints every 100 steps change it?",
 *   recipe: "guide",
 *   overrides: { train: { checkpointEvery: 100 } },
 *   axes: {},
 * });
 * ```
 */
import { type Experiment, type Recipe, recipeBook } from "../lib/workbench/mod.ts";
import type { GuidanceConfig } from "../lib/diffusion/mod.ts";

/**
 * The foundation run folder: `pretrain_dit_vae_video`, the `foundation-dit`
 * recipe (128-token captions, character-weighted loss, 16,384 clips) on the
 * two-stage VAE of `pretrain_vae_video`. Its text-to-video samples are drawn
 * at their most recognisable guided by a weaker version of itself
 * (autoguidance with `pretrain_dit_vae_video_guide_short` at scale 3: run 11
 * of `deno task ablate foundation_sampling`). Why it was adopted, and its
 * scores: results/JOURNAL.md.
 */
export const FOUNDATION = "results/pretrain_dit_vae_video/0";

/** Classifier-free guidance 2 of the designs (the paper's): the unconditional branch drops the caption and the reference. */
const DESIGN_CFG_2 = { kind: "cfg", scale: 2, drop: ["context", "reference"] } as const;

/**
 * Fine-tuning from the foundation at the ablations' scale, the smallest at which a design animates (issue
 * 28): 9 frames at 32×32, 4,800 steps of micro-batch 8 on 2,048 clips at a constant 5e-4, the finetune-scale
 * recipe's; step 2,400 and the final step scored against the VAE's reconstructions (eval.keptSteps:
 * background PSNR, keypoints, Background-syn). `finetune_scale_aligned_full` passes the "animates"
 * threshold there on three seeds, and two of three at 2,400 steps (results/JOURNAL.md, *Do the designs
 * animate?*). About 10 min of training a run for the concat designs on one thread of this machine (two
 * runs at once, `--jobs 2`), plus about 2 min to score.
 */
export const FINETUNE_BASE = {
  task: "animate",
  data: { frames: 9, height: 32, width: 32, trainClips: 2048, valClips: 16, evalClips: 16 },
  vae: { checkpoint: `${FOUNDATION}/vae` },
  model: { preset: "wan-toy", checkpoint: `${FOUNDATION}/dit`, design: "part-finetune" },
  conditioning: { dropReference: 0.05, dropText: 0.05 },
  diffusion: { timesteps: { kind: "uniform" }, shift: 1 },
  train: {
    steps: 4800,
    microBatch: 8,
    accumulation: 1,
    lr: 5e-4,
    schedule: { kind: "constant", warmupSteps: 20 },
    checkpointEvery: 300,
    valEvery: 100,
  },
  sample: { solver: "unipc", steps: 20, guidance: DESIGN_CFG_2 },
  eval: { keptSteps: { steps: [2400], diversitySeeds: 2, poseFrames: 3 } },
} as const satisfies Recipe;

/**
 * The ablations' first scale, 300 steps on 256 clips, at which no design animates yet (the reference is
 * not used by 300 steps): the committed sweeps that are not yet re-run at `finetune` resolve from it.
 */
export const FINETUNE_300 = {
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
    schedule: { kind: "constant", warmupSteps: 20 },
    checkpointEvery: 50,
    valEvery: 25,
  },
  sample: { solver: "unipc", steps: 20, guidance: DESIGN_CFG_2 },
} as const satisfies Recipe;

/**
 * The fine-tuning scale under test for "do the designs animate?"
 * (`finetune_scale`, `finetune_scale_seeds`): the ablations' fine-tuning
 * (`FINETUNE_300`, as it stood when these runs were made) with eight times the
 * training clips and sixteen times the steps, checkpoints kept along the way
 * and each kept step scored against the VAE's reconstruction (eval.keptSteps).
 * Written out rather than spread from another recipe, so that changing the
 * ablations' scale does not change this one.
 */
export const FINETUNE_SCALE = {
  task: "animate",
  data: { frames: 9, height: 32, width: 32, trainClips: 2048, valClips: 16, evalClips: 16 },
  vae: { checkpoint: `${FOUNDATION}/vae` },
  model: { preset: "wan-toy", checkpoint: `${FOUNDATION}/dit`, design: "part-finetune" },
  conditioning: { dropReference: 0.05, dropText: 0.05 },
  diffusion: { timesteps: { kind: "uniform" }, shift: 1 },
  train: {
    steps: 4800,
    microBatch: 8,
    accumulation: 1,
    lr: 5e-4,
    schedule: { kind: "constant", warmupSteps: 20 },
    checkpointEvery: 300,
    valEvery: 300,
  },
  sample: { solver: "unipc", steps: 20, guidance: DESIGN_CFG_2 },
  eval: { keptSteps: { steps: [300, 600, 1200, 2400], diversitySeeds: 2, poseFrames: 3 } },
} as const satisfies Recipe;

/** The weaker DiTs on the foundation's VAE (finished runs of the `guide` recipe), for autoguidance. */
export const GUIDES = {
  eighth: "results/pretrain_dit_vae_video_guide/0",
  sixteenth: "results/pretrain_dit_vae_video_guide_short/0",
  shortest: "results/pretrain_dit_vae_video_guide_shortest/0",
} as const;

/** Classifier-free guidance of a text-to-video foundation: the unconditional branch drops the caption. */
export const cfg = (scale: number): GuidanceConfig => ({ kind: "cfg", scale, drop: ["context"] });

/** Autoguidance by `guide` at `scale`, the guide given the clip's caption or the empty one, plus a classifier-free term. */
export const auto = (guide: string, scale: number, caption: "same" | "empty" = "same", plusCfg?: number): GuidanceConfig => ({
  kind: "autoguidance",
  scale,
  guide,
  caption,
  ...(plusCfg !== undefined ? { cfg: plusCfg } : {}),
});

/** The recipes by name. */
export const RECIPES = {
  /** The whole pipeline at the smallest size (data → VAE → DiT → Euler sampling → metrics); its numbers carry no conclusion. */
  smoke: {
    task: "pretrain",
    seed: 0,
    data: { frames: 5, height: 32, width: 32, trainClips: 16, valClips: 4, evalClips: 4 },
    vae: { preset: "vae-smoke", steps: 30, microBatch: 4 },
    model: { preset: "wan-smoke" },
    train: { steps: 30, microBatch: 4, accumulation: 1, checkpointEvery: 10, valEvery: 10 },
    sample: { solver: "euler", steps: 8 },
  },
  /** The first foundation (`pretrain`, retired): its VAE, then the wan-toy text-to-video DiT on it, in one run. */
  "first-foundation": {
    task: "pretrain",
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 9, height: 32, width: 32, trainClips: 1024, valClips: 32, evalClips: 8 },
    // The character weighs 1 + 10 in the VAE's reconstruction term: unweighted, the code goes to floor texture.
    vae: {
      preset: "vae-toy-z16",
      steps: 2000,
      lr: 2e-3,
      microBatch: 4,
      klWeight: 1e-6,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 1e-4 },
      maskWeight: 10,
      checkpointEvery: 250,
    },
    model: { preset: "wan-toy" },
    diffusion: { timesteps: { kind: "logit-normal", mean: 0, std: 1 }, shift: 1 },
    train: {
      steps: 4000,
      microBatch: 16,
      accumulation: 1,
      lr: 1e-3,
      schedule: { kind: "cosine", warmupSteps: 50, minLr: 1e-4 },
      checkpointEvery: 250,
      valEvery: 250,
      emaDecay: 0,
    },
    // Caption dropout teaches the unconditional branch classifier-free guidance needs.
    conditioning: { dropText: 0.1 },
    sample: { solver: "unipc", steps: 20, guidance: cfg(3) },
  },
  /** Foundation VAE stage 1 (`pretrain_vae_image`): vae-toy-z16 on single frames, a VAE-only run. */
  "vae-image": {
    task: "vae",
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 1, height: 32, width: 32, trainClips: 16384, valClips: 32, evalClips: 8 },
    vae: {
      preset: "vae-toy-z16",
      steps: 3500,
      lr: 2e-3,
      microBatch: 16,
      klWeight: 1e-6,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 1e-4 },
      maskWeight: 10,
      checkpointEvery: 250,
    },
  },
  /**
   * Foundation VAE stage 2 (`pretrain_vae_video`): stage 1's VAE continued on 9-frame clips (vae.init) at
   * half the first foundation's peak learning rate, a VAE-only run. Its `vae/` is the foundation's VAE.
   */
  "vae-video": {
    task: "vae",
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 9, height: 32, width: 32, trainClips: 4096, valClips: 32, evalClips: 8 },
    vae: {
      preset: "vae-toy-z16",
      steps: 2000,
      lr: 1e-3,
      microBatch: 4,
      klWeight: 1e-6,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 1e-4 },
      maskWeight: 10,
      checkpointEvery: 250,
      init: "results/pretrain_vae_image/0/vae",
    },
  },
  /**
   * The adopted foundation's DiT (`pretrain_dit_vae_video`): wan-toy text-to-video on the two-stage VAE,
   * 128-token captions, the character weighted in the loss, 13,000 steps of 16 clips from 16,384.
   * The vae.* training keys are the first foundation's, recorded but unused (vae.checkpoint is set).
   */
  "foundation-dit": {
    task: "pretrain",
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 9, height: 32, width: 32, trainClips: 16384, valClips: 32, evalClips: 8 },
    vae: {
      preset: "vae-toy-z16",
      steps: 0,
      lr: 2e-3,
      microBatch: 4,
      klWeight: 1e-6,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 1e-4 },
      maskWeight: 10,
      checkpoint: "results/pretrain_vae_video/0/vae",
    },
    model: { preset: "wan-toy" },
    diffusion: { timesteps: { kind: "logit-normal", mean: 0, std: 1 }, shift: 1 },
    train: {
      steps: 13000,
      microBatch: 16,
      accumulation: 1,
      lr: 1e-3,
      schedule: { kind: "cosine", warmupSteps: 50, minLr: 1e-4 },
      checkpointEvery: 250,
      valEvery: 500,
      emaDecay: 0,
      maskWeight: 10,
    },
    conditioning: { dropText: 0.1 },
    sample: { solver: "unipc", steps: 20, guidance: cfg(3) },
  },
  /**
   * A deliberately weaker foundation DiT to guide it with (autoguidance; `pretrain_dit_vae_video_guide`):
   * `foundation-dit` stopped at an eighth of its steps (1,625, the cosine schedule compressed to them)
   * on a quarter of its clips (4,096).
   */
  guide: {
    task: "pretrain",
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 9, height: 32, width: 32, trainClips: 4096, valClips: 32, evalClips: 8 },
    vae: {
      preset: "vae-toy-z16",
      steps: 0,
      lr: 2e-3,
      microBatch: 4,
      klWeight: 1e-6,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 1e-4 },
      maskWeight: 10,
      checkpoint: "results/pretrain_vae_video/0/vae",
    },
    model: { preset: "wan-toy" },
    diffusion: { timesteps: { kind: "logit-normal", mean: 0, std: 1 }, shift: 1 },
    train: {
      steps: 1625,
      microBatch: 16,
      accumulation: 1,
      lr: 1e-3,
      schedule: { kind: "cosine", warmupSteps: 50, minLr: 1e-4 },
      checkpointEvery: 250,
      valEvery: 125,
      emaDecay: 0,
      maskWeight: 10,
    },
    conditioning: { dropText: 0.1 },
    sample: { solver: "unipc", steps: 20, guidance: cfg(3) },
  },
  /** A sample task on the adopted foundation with its own sampler (UniPC, 20 steps, shift 1, classifier-free 3), 100 clips. */
  "foundation-sampling": {
    task: "sample",
    engine: { threads: 2 },
    sampling: {
      foundation: FOUNDATION,
      sampler: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] } },
      clips: 100,
      strips: 8,
    },
  },
  /** Fine-tuning from the foundation at the ablations' scale (`FINETUNE_BASE`). */
  finetune: FINETUNE_BASE,
  /** The ablations' first scale, 300 steps on 256 clips (`FINETUNE_300`), until each sweep is re-run at `finetune`. */
  "finetune-300": FINETUNE_300,
  /** Fine-tuning at the scale under test for "do the designs animate?" (`FINETUNE_SCALE`). */
  "finetune-scale": FINETUNE_SCALE,
  /**
   * Both paper tables for a finished fine-tuning at the ablations' scale: all of realisdance-val-syn at
   * 9×32×32, sampled as `finetune` samples (UniPC 20 steps, CFG 2). The training clip counts are the
   * ablations', recorded but unused.
   */
  benchmark: {
    task: "benchmark",
    data: { frames: 9, height: 32, width: 32, trainClips: 256, valClips: 16, evalClips: 16 },
    model: { design: "part-finetune" },
    sample: { solver: "unipc", steps: 20, shift: 1, guidance: DESIGN_CFG_2 },
    benchmark: { source: "model_design", clips: 100 },
  },
  /**
   * The offline `-syn` evaluation networks: the settings that made the committed ones are the run
   * config's `featureNets` defaults (lib/workbench/run_defaults.ts).
   */
  "feature-nets": { task: "feature-nets" },
} as const satisfies Record<string, Recipe>;

/** A recipe's name. */
export type RecipeName = keyof typeof RECIPES;

/** What an experiment file default-exports: its question, its recipe's name, the overrides on it, its axes. */
export type RecipeExperiment = Experiment<RecipeName>;

/**
 * Checks an experiment file's definition: unknown keys and recipe names are
 * type errors here and load-time errors (with a "did you mean").
 */
export const defineExperiment = recipeBook(RECIPES);
