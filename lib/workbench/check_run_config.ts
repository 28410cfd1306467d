/**
 * Range and type checks of a resolved run config, by task: each message names
 * the path, the value received and what was expected.
 */
import { checkSamplerConfig, type SamplerConfig } from "../diffusion/mod.ts";
import type { LrSchedule } from "../train/mod.ts";
import { checkDataSource } from "./data_source.ts";
import { resolveModelDesign } from "./model_design.ts";
import type { TimestepDistribution } from "../diffusion/mod.ts";
import type { DataConfig, FeatureNetsRunConfig, RunConfig, TrainConfig, VaeConfig } from "./run_config.ts";
import { TASKS } from "./run_config.ts";

type Checks = ReturnType<typeof checks>;

/**
 * @param c the resolved config
 * @param where context for messages
 * @throws {RangeError|TypeError} naming the path, the value and what was expected
 * @example
 * ```ts
 * import { checkRunConfig } from "./check_run_config.ts";
 * import { taskDefaults } from "./run_defaults.ts";
 * checkRunConfig(taskDefaults("pretrain")); // passes
 * ```
 */
export function checkRunConfig(c: RunConfig, where = "config"): void {
  const k = checks(where);
  k.oneOf("task", c.task, TASKS);
  k.int("seed", c.seed, 0, 2 ** 32 - 1);
  k.oneOf("engine.backend", c.engine.backend, ["auto", "webgpu", "tensorflow", "blas", "wasm", "cpu"]);
  k.int("engine.threads", c.engine.threads, 1, 256);
  switch (c.task) {
    case "vae":
      checkData(k, c.data);
      checkVae(k, c.vae);
      if (c.vae.checkpoint !== null) {
        throw new RangeError(`In ${where}: task "vae" trains a VAE: vae.checkpoint must be null, received ${JSON.stringify(c.vae.checkpoint)}`);
      }
      return;
    case "pretrain":
    case "animate": {
      checkData(k, c.data);
      checkVae(k, c.vae);
      checkTrain(k, c.train, c.data);
      k.num("conditioning.dropText", c.conditioning.dropText, 0, 1);
      k.num("diffusion.shift", c.diffusion.shift, 0, 100, true);
      checkTimesteps(k, c.diffusion.timesteps);
      checkTrainingSampler({ ...c.sample, shift: c.diffusion.shift }, where, c.task === "pretrain" ? ["context"] : ["context", "reference"]);
      for (const m of c.eval.metrics) k.oneOf("eval.metrics[]", m, ["psnr", "ssim", "flicker"]);
      if (c.task === "pretrain") return;
      if (c.vae.checkpoint === null) throw new RangeError(`In ${where}: task "animate" fine-tunes a foundation: vae.checkpoint must name a trained VAE folder`);
      resolveModelDesign(c.model.design, `In ${where}, model.design`);
      if (c.model.memoryBudget !== null && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB)$/i.test(c.model.memoryBudget)) {
        throw new RangeError(`In ${where}: model.memoryBudget must look like "8GB" or "512MB", received ${JSON.stringify(c.model.memoryBudget)}`);
      }
      k.num("conditioning.dropReference", c.conditioning.dropReference, 0, 1);
      const kept = c.eval.keptSteps;
      if (kept !== null) {
        k.keys("eval.keptSteps", kept, ["steps", "diversitySeeds", "poseFrames"]);
        if (!Array.isArray(kept.steps)) throw new TypeError(`In ${where}: eval.keptSteps.steps must be a list of steps, received ${JSON.stringify(kept.steps)}`);
        kept.steps.forEach((s, i) => k.int(`eval.keptSteps.steps[${i}]`, s, 1, c.train.steps));
        // Diversity compares samples of different seeds.
        k.int("eval.keptSteps.diversitySeeds", kept.diversitySeeds, 2, 16);
        k.int("eval.keptSteps.poseFrames", kept.poseFrames, 1, c.data.frames);
      }
      return;
    }
    case "benchmark": {
      checkData(k, c.data);
      resolveModelDesign(c.model.design, `In ${where}, model.design`);
      checkTrainingSampler(c.sample, where, ["context", "reference"]);
      // realisdance-val-syn has 100 clips (datasets/synthetic EVAL_SET_SIZE).
      k.int("benchmark.clips", c.benchmark.clips, 1, 100);
      const src = c.benchmark.source;
      if (src !== null && (typeof src !== "string" || !/^[A-Za-z0-9_-]+$/.test(src))) {
        throw new TypeError(`In ${where}: benchmark.source must be an experiment name (letters, digits, _ and -) or null, received ${JSON.stringify(src)}`);
      }
      if (src === null) {
        throw new RangeError(`In ${where}: task "benchmark" samples a finished fine-tuning: benchmark.source must name its experiment (e.g. "model_design")`);
      }
      return;
    }
    case "sample": {
      checkDataSource(c.data.source, where);
      checkSamplerConfig(c.sampling.sampler, `In ${where}, sampling.sampler`);
      k.int("sampling.clips", c.sampling.clips, 2, 100);
      k.int("sampling.strips", c.sampling.strips, 0, c.sampling.clips);
      const foundation = c.sampling.foundation;
      if (typeof foundation !== "string" || foundation === "") {
        throw new RangeError(
          `In ${where}: task "sample" draws a foundation's samples: sampling.foundation must name a finished pretrain run folder (e.g. "results/pretrain_dit_vae_video/0"), received ${
            JSON.stringify(foundation)
          }`,
        );
      }
      return;
    }
    case "feature-nets":
      return checkFeatureNets(k, c.featureNets);
  }
}

function checks(where: string) {
  return {
    int(path: string, v: unknown, min: number, max = Infinity) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
        throw new RangeError(`In ${where}: ${path} must be an integer in [${min}, ${max}], received ${JSON.stringify(v)}`);
      }
    },
    num(path: string, v: unknown, min: number, max = Infinity, openMin = false) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (openMin && v === min)) {
        throw new RangeError(`In ${where}: ${path} must be a number in ${openMin ? "(" : "["}${min}, ${max}], received ${JSON.stringify(v)}`);
      }
    },
    oneOf(path: string, v: unknown, allowed: readonly unknown[]) {
      if (!allowed.includes(v)) {
        throw new RangeError(`In ${where}: ${path} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, received ${JSON.stringify(v)}`);
      }
    },
    keys(path: string, v: object, allowed: readonly string[]) {
      for (const key of Object.keys(v)) {
        if (!allowed.includes(key)) throw new TypeError(`In ${where}: unknown config key "${path}.${key}"; known keys here: ${allowed.join(", ")}`);
      }
    },
    where,
  };
}

function checkData(k: Checks, d: DataConfig): void {
  k.int("data.frames", d.frames, 1, 1024);
  if ((d.frames - 1) % 4 !== 0) throw new RangeError(`In ${k.where}: data.frames must be 4k+1 (1, 5, 9, 17, …), received ${d.frames}`);
  k.int("data.height", d.height, 8, 4096);
  k.int("data.width", d.width, 8, 4096);
  k.int("data.trainClips", d.trainClips, 1);
  k.int("data.valClips", d.valClips, 1);
  k.int("data.evalClips", d.evalClips, 1);
  checkDataSource(d.source, k.where);
}

function checkSchedule(k: Checks, path: string, s: LrSchedule, lr: number): void {
  k.oneOf(`${path}.kind`, s?.kind, ["constant", "cosine"]);
  k.keys(path, s, s.kind === "cosine" ? ["kind", "warmupSteps", "minLr"] : ["kind", "warmupSteps"]);
  k.int(`${path}.warmupSteps`, s.warmupSteps, 0);
  if (s.kind === "cosine") k.num(`${path}.minLr`, s.minLr, 0, lr);
}

function checkVae(k: Checks, v: VaeConfig): void {
  k.int("vae.steps", v.steps, 0);
  k.num("vae.lr", v.lr, 0, 1, true);
  k.int("vae.microBatch", v.microBatch, 1);
  k.num("vae.klWeight", v.klWeight, 0, 1);
  checkSchedule(k, "vae.schedule", v.schedule, v.lr);
  k.num("vae.maskWeight", v.maskWeight, 0, 1000);
  k.int("vae.checkpointEvery", v.checkpointEvery, 1);
  if (v.checkpoint === null && v.steps < 1) {
    throw new RangeError(`In ${k.where}: a VAE trained in the run (vae.checkpoint null) needs vae.steps >= 1, received ${v.steps}`);
  }
  if (v.init !== null && v.checkpoint !== null) {
    throw new RangeError(
      `In ${k.where}: vae.init ${JSON.stringify(v.init)} starts a VAE training, which needs vae.checkpoint null, received ${JSON.stringify(v.checkpoint)}`,
    );
  }
}

function checkTrain(k: Checks, t: TrainConfig, d: DataConfig): void {
  k.int("train.steps", t.steps, 1);
  k.int("train.microBatch", t.microBatch, 1);
  k.int("train.accumulation", t.accumulation, 1);
  if (t.microBatch > d.trainClips) {
    throw new RangeError(`In ${k.where}: train.microBatch (${t.microBatch}) is larger than data.trainClips (${d.trainClips})`);
  }
  k.num("train.lr", t.lr, 0, 1, true);
  k.num("train.weightDecay", t.weightDecay, 0, 1);
  checkSchedule(k, "train.schedule", t.schedule, t.lr);
  k.num("train.clipNorm", t.clipNorm, 0);
  k.num("train.maskWeight", t.maskWeight, 0, 1000);
  k.num("train.emaDecay", t.emaDecay, 0, 0.999999);
  k.int("train.checkpointEvery", t.checkpointEvery, 1);
  k.int("train.valEvery", t.valEvery, 0);
  k.int("train.buckets", t.buckets, 1, 100);
  t.valSigmas.forEach((s, i) => k.num(`train.valSigmas[${i}]`, s, 0, 1));
}

function checkTimesteps(k: Checks, ts: TimestepDistribution): void {
  k.oneOf("diffusion.timesteps.kind", ts?.kind, ["uniform", "low-noise-warmup", "high-noise-warmup", "logit-normal"]);
  if (ts.kind === "low-noise-warmup") {
    k.num("diffusion.timesteps.alpha", ts.alpha, 0, 1, true);
    k.int("diffusion.timesteps.warmup", ts.warmup, 1);
  } else if (ts.kind === "high-noise-warmup") {
    k.num("diffusion.timesteps.alpha", ts.alpha, -1, 0);
    if (ts.alpha === 0) throw new RangeError(`In ${k.where}: diffusion.timesteps.alpha must be in [-1, 0), received 0`);
    k.int("diffusion.timesteps.warmup", ts.warmup, 1);
  } else if (ts.kind === "logit-normal") {
    k.num("diffusion.timesteps.mean", ts.mean, -10, 10);
    k.num("diffusion.timesteps.std", ts.std, 0, 10, true);
  }
}

/** A training run's (or benchmark's) samples are drawn in the run: no guide model, no start from data, CFG drops what the task has. */
function checkTrainingSampler(s: SamplerConfig, where: string, droppable: readonly string[]): void {
  checkSamplerConfig(s, `In ${where}, sample`);
  const g = s.guidance;
  if (g.kind === "cfg" && g.drop.some((d) => !droppable.includes(d))) {
    throw new RangeError(
      `In ${where}: sample.guidance.drop may name only ${droppable.map((d) => JSON.stringify(d)).join(", ")} (the conditions this task's null branch has), received ${
        JSON.stringify(g.drop)
      }`,
    );
  }
  if (s.guidance.kind === "autoguidance" || s.init) {
    throw new RangeError(
      `In ${where}: sample must draw from noise with guidance "none" or "cfg" (autoguidance and init are a sample task's, sampling.sampler), received ${
        JSON.stringify(s)
      }`,
    );
  }
}

function checkFeatureNets(k: Checks, fn: FeatureNetsRunConfig["featureNets"]): void {
  k.int("featureNets.pool", fn.pool, 2, 1_000_000);
  for (const key of ["image", "video"] as const) {
    const p = fn[key];
    k.int(`featureNets.${key}.steps`, p.steps, 1);
    // InfoNCE needs at least two clips per step (one positive, one negative).
    k.int(`featureNets.${key}.clips`, p.clips, 2, fn.pool);
    k.num(`featureNets.${key}.lr`, p.lr, 0, 1, true);
    k.num(`featureNets.${key}.weightDecay`, p.weightDecay, 0, 1);
    k.num(`featureNets.${key}.temperature`, p.temperature, 0, 10, true);
    k.num(`featureNets.${key}.headWeight`, p.headWeight, 0, 100);
  }
  k.int("featureNets.checkpointEvery", fn.checkpointEvery, 1);
  k.int("featureNets.sanityClips", fn.sanityClips, 0, 100_000);
  if (fn.sanityClips > 0 && fn.sanityClips < 4) {
    throw new RangeError(`In ${k.where}: featureNets.sanityClips must be 0 (no sanity figures) or >= 4 (two halves of two), received ${fn.sanityClips}`);
  }
  if (!Array.isArray(fn.calibrationSizes)) {
    throw new TypeError(`In ${k.where}: featureNets.calibrationSizes must be a list of { frames, height, width }, received ${JSON.stringify(fn.calibrationSizes)}`);
  }
  fn.calibrationSizes.forEach((s, i) => {
    k.int(`featureNets.calibrationSizes[${i}].frames`, s?.frames, 3, 1024);
    k.int(`featureNets.calibrationSizes[${i}].height`, s?.height, 16, 4096);
    k.int(`featureNets.calibrationSizes[${i}].width`, s?.width, 16, 4096);
  });
  const sizeKeys = fn.calibrationSizes.map((s) => `${s.frames}x${s.height}x${s.width}`);
  if (new Set(sizeKeys).size !== sizeKeys.length) {
    throw new RangeError(`In ${k.where}: featureNets.calibrationSizes must not repeat a size, received ${sizeKeys.join(", ")}`);
  }
}
