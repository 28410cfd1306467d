/**
 * Reads a recorded run config of either shape as today's {@link RunConfig}.
 *
 * The first shape (every run recorded before run configs were typed by task)
 * was one flat record for all tasks: `model.design` a preset name with
 * `model.shiftedRope` and `model.poses` beside it, a VAE-only run written
 * `task: "pretrain"` with `train.steps: 0`, learning-rate schedules a name
 * plus `minLr` (and `train.warmupSteps`; the VAE's warmup a fixed 5 steps),
 * the training runs' sampler flat (`sample.solver/steps/guidance`, sampling
 * at `diffusion.shift`), `train.keepSteps` beside `eval.keptSteps`, and the
 * VAE's checkpoints every `train.checkpointEvery`. Its keys a task does not
 * read are dropped. A config of today's shape is completed with its task's
 * defaults (keys added since it was recorded) and its keys checked.
 */
import type { GuidanceConfig, SamplerConfig } from "../diffusion/mod.ts";
import type { LrSchedule } from "../train/mod.ts";
import { mergeConfig } from "./_merge_config.ts";
import { checkConfigKeys } from "./_check_config_keys.ts";
import { type ModelDesign, presetDesign } from "./model_design.ts";
import type { DataConfig, RunConfig, Task, TrainConfig, TrainingSamplerConfig, VaeConfig } from "./run_config.ts";
import { taskDefaults } from "./run_defaults.ts";
import { LEGACY_DEFAULTS, type LegacyRunConfig } from "./_legacy_run_config.ts";
import type { DesignPresetName } from "../model/designs/mod.ts";

/**
 * @param recorded the `config` of a run folder's config.json (either shape)
 * @returns the config in today's shape (not range-checked: checkRunConfig does that)
 * @throws {TypeError} on an unknown key of today's shape
 * @example
 * ```ts
 * import { migrateRunConfig } from "./migrate_run_config.ts";
 * const c = migrateRunConfig({ task: "pretrain", train: { steps: 0 } });
 * console.log(c.task); // "vae"
 * ```
 */
export function migrateRunConfig(recorded: unknown): RunConfig {
  if (typeof recorded !== "object" || recorded === null || Array.isArray(recorded)) {
    throw new TypeError(`Cannot read a run config as it must be an object: received ${JSON.stringify(recorded)}`);
  }
  if (!isLegacy(recorded as Record<string, unknown>)) {
    const task = (recorded as { task?: unknown }).task as Task;
    checkConfigKeys(recorded, task, "a recorded run config");
    return mergeConfig(taskDefaults(task), recorded) as RunConfig;
  }
  const o = mergeConfig(LEGACY_DEFAULTS, recorded) as LegacyRunConfig;
  const { seed, engine } = o;
  const task: Task = o.task === "pretrain" && o.train.steps === 0 ? "vae" : o.task;
  const dropped = task === "pretrain" ? ["context"] : ["context", "reference"];
  switch (task) {
    case "vae":
      return { task, seed, engine, data: o.data, vae: vae(o) };
    case "pretrain":
      return {
        task,
        seed,
        engine,
        data: o.data as DataConfig,
        vae: vae(o),
        model: { preset: o.model.preset, checkpoint: o.model.checkpoint },
        conditioning: { dropText: o.conditioning.dropText },
        diffusion: o.diffusion,
        train: train(o),
        sample: trainingSampler(o, dropped),
        eval: { metrics: o.eval.metrics },
      };
    case "animate":
      return {
        task,
        seed,
        engine,
        data: o.data,
        vae: vae(o),
        model: { preset: o.model.preset, checkpoint: o.model.checkpoint, design: design(o), memoryBudget: o.model.memoryBudget },
        conditioning: o.conditioning,
        diffusion: o.diffusion,
        train: train(o),
        sample: trainingSampler(o, dropped),
        eval: {
          metrics: o.eval.metrics,
          keptSteps: o.eval.keptSteps ? { steps: o.train.keepSteps, diversitySeeds: o.eval.diversitySeeds, poseFrames: o.eval.poseFrames } : null,
        },
      };
    case "benchmark":
      return { task, seed, engine, data: o.data, model: { design: design(o) }, sample: sample(o, dropped), benchmark: o.benchmark };
    case "feature-nets":
      return { task, seed, engine, featureNets: o.featureNets };
    case "sample":
      return { task, seed, engine, data: { source: o.data.source }, sampling: o.sampling };
  }
}

/**
 * The first shape has string schedules, `minLr` and `warmupSteps` beside them, a flat sampler, a named design,
 * `train.keepSteps`, a boolean `eval.keptSteps`, or `train.steps` 0; today's has none of them.
 */
function isLegacy(c: Record<string, unknown>): boolean {
  const get = (section: string, key: string) => (c[section] as Record<string, unknown> | undefined)?.[key];
  const has = (section: string, key: string) => get(section, key) !== undefined;
  return typeof get("vae", "schedule") === "string" || typeof get("train", "schedule") === "string" ||
    typeof get("model", "design") === "string" || typeof get("sample", "guidance") === "number" ||
    typeof get("eval", "keptSteps") === "boolean" || get("train", "steps") === 0 ||
    ["keepSteps", "warmupSteps", "minLr"].some((k) => has("train", k)) || has("vae", "minLr") ||
    has("model", "shiftedRope") || has("model", "poses") || has("eval", "diversitySeeds");
}

function schedule(kind: "constant" | "cosine", warmupSteps: number, minLr: number): LrSchedule {
  return kind === "cosine" ? { kind, warmupSteps, minLr } : { kind, warmupSteps };
}

function vae(o: LegacyRunConfig): VaeConfig {
  const v = o.vae;
  return {
    preset: v.preset,
    steps: v.steps,
    lr: v.lr,
    microBatch: v.microBatch,
    klWeight: v.klWeight,
    // The VAE phase warmed up min(5, steps − 1) steps, a constant of the code.
    schedule: schedule(v.schedule, 5, v.minLr),
    maskWeight: v.maskWeight,
    // It checkpointed every train.checkpointEvery; a loaded VAE keeps the default (unused).
    checkpointEvery: v.checkpoint === null ? o.train.checkpointEvery : taskDefaults("vae").vae.checkpointEvery,
    checkpoint: v.checkpoint,
    init: v.init,
  };
}

function train(o: LegacyRunConfig): TrainConfig {
  const t = o.train;
  return {
    steps: t.steps,
    microBatch: t.microBatch,
    accumulation: t.accumulation,
    lr: t.lr,
    weightDecay: t.weightDecay,
    schedule: schedule(t.schedule, t.warmupSteps, t.minLr),
    clipNorm: t.clipNorm,
    maskWeight: t.maskWeight,
    emaDecay: t.emaDecay,
    checkpointEvery: t.checkpointEvery,
    valEvery: t.valEvery,
    valSigmas: t.valSigmas,
    buckets: t.buckets,
  };
}

/** The flat sampler with classifier-free guidance at `sample.guidance` (1 = none), sampled at diffusion.shift. */
function sample(o: LegacyRunConfig, drop: string[]): SamplerConfig {
  return { ...trainingSampler(o, drop), shift: o.diffusion.shift };
}

function trainingSampler(o: LegacyRunConfig, drop: string[]): TrainingSamplerConfig {
  const g = o.sample.guidance;
  const guidance: GuidanceConfig = g === 1 ? { kind: "none" } : { kind: "cfg", scale: g, drop };
  return { solver: o.sample.solver, steps: o.sample.steps, guidance, interval: null, init: null };
}

/** The preset's design with the run's poses and (concat designs) reference placement, and the preset's scope. */
function design(o: LegacyRunConfig): ModelDesign {
  const d = presetDesign(o.model.design as DesignPresetName) as ModelDesign & Record<string, unknown>;
  const out = { ...d, poses: [...o.model.poses] } as Record<string, unknown>;
  if (d.kind === "concat") out.shiftedRope = o.model.shiftedRope;
  return out as ModelDesign;
}
