/**
 * Experiments: a named recipe, a typed change over it, and sweep axes. The
 * cartesian product of the axes becomes the runs. Unknown keys and unknown
 * recipe names are type errors (`defineExperiment` of experiments/_recipes.ts)
 * and load-time errors (`resolveRuns`).
 *
 * References: hydra's experiment overrides and multirun sweeps.
 *
 * @example
 * ```ts
 * import { defineExperiment, resolveRuns } from "./experiment.ts";
 * const exp = defineExperiment({
 *   question: "which of two learning rates?",
 *   recipe: "defaults",
 *   overrides: { train: { steps: 4 } },
 *   axes: { "train.lr": [1e-3, 3e-3] },
 * });
 * resolveRuns("demo", exp).length; // 2
 * ```
 */
import { DEFAULT_RUN_CONFIG, OPAQUE_PATHS, type RunConfig } from "./run_config.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { checkDataSource } from "./data_source.ts";
import { checkSamplerConfig } from "../diffusion/mod.ts";
import { DESIGN_PRESETS } from "../model/designs/mod.ts";

/** Every field optional, recursively (arrays and unions stay whole). */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends { kind: string } ? T
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

type Leaf<T> = T extends readonly unknown[] ? true : T extends { kind: string } ? true : T extends object ? false : true;

/** Dotted paths to the leaves of T ("train.lr", "diffusion.timesteps", …); an object that may be null is a leaf. */
export type ConfigPath<T = RunConfig> = {
  [K in keyof T & string]: true extends Leaf<T[K]> ? K : `${K}.${ConfigPath<T[K]>}`;
}[keyof T & string];

/** The value type at a dotted path. */
export type PathValue<T, P extends string> = P extends `${infer K}.${infer R}`
  ? K extends keyof T ? PathValue<T[K], R> : never
  : P extends keyof T ? T[P]
  : never;

/** Sweep axes: each path gets the list of values to try. */
export type Axes = { [P in ConfigPath]?: readonly PathValue<RunConfig, P>[] };

/** An experiment file's default export: its question, the recipe it starts from, the overrides on it, its axes. */
export interface Experiment<R extends string = string> {
  /** One or two sentences: what question the sweep asks (never its outcome). */
  question: string;
  /** The name of the recipe it starts from (experiments/_recipes.ts; "defaults" is {@link DEFAULT_RUN_CONFIG} alone). */
  recipe: R;
  /** What differs from the recipe. */
  overrides: DeepPartial<RunConfig>;
  /** The swept paths; their cartesian product becomes the runs (in key order, last fastest). */
  axes: Axes;
}

/** Named recipes: each a change over {@link DEFAULT_RUN_CONFIG}. */
export type Recipes<R extends string = string> = { readonly [K in R]: DeepPartial<RunConfig> };

/** An experiment with its recipe looked up (what {@link recipeBook}'s `defineExperiment` returns). */
export interface DefinedExperiment<R extends string = string> extends Experiment<R> {
  /** The recipe named by `recipe`, as the recipe book held it. */
  readonly recipeConfig: DeepPartial<RunConfig>;
}

/** The recipe every experiment may name without a recipe book: the defaults alone. */
const BUILTIN_RECIPES: Recipes = { defaults: {} };
const FIELDS = ["question", "recipe", "overrides", "axes"];
/** One run of a sweep, fully resolved. */
export interface ResolvedRun {
  index: number;
  /** Folder name under results/<experiment>/, e.g. "0-train.lr=0.001". */
  id: string;
  /** The axis values of this run. */
  overrides: Record<string, unknown>;
  config: RunConfig;
}

/**
 * Identity helper that gives experiments built in code type checking with
 * excess-property errors; experiment files use experiments/_recipes.ts's
 * `defineExperiment`, which also knows the recipe names.
 * @param e the experiment
 * @returns the same object
 */
export function defineExperiment(e: Experiment): Experiment {
  return e;
}

/**
 * A `defineExperiment` bound to a set of named recipes: the recipe name is
 * typed as one of theirs, and checked (with a "did you mean") when the file
 * loads.
 * @param recipes the named recipes
 * @returns a function that checks an experiment and looks its recipe up
 * @example
 * ```ts
 * import { recipeBook } from "./experiment.ts";
 * const define = recipeBook({ tiny: { train: { steps: 4 } } });
 * define({ question: "q", recipe: "tiny", overrides: {}, axes: {} }).recipeConfig; // { train: { steps: 4 } }
 * ```
 */
export function recipeBook<R extends string>(recipes: Recipes<R>): (e: Experiment<R>) => DefinedExperiment<R> {
  return (e) => {
    checkFields("(being defined)", e);
    return { ...e, recipeConfig: lookUpRecipe("(being defined)", e.recipe, recipes) };
  };
}

function checkFields(name: string, exp: unknown): asserts exp is Experiment {
  if (typeof exp !== "object" || exp === null) {
    throw new TypeError(`Experiment "${name}" must export an object, received ${typeof exp}`);
  }
  for (const k of Object.keys(exp)) {
    if (k === "recipeConfig") continue;
    if (k === "description" || k === "base") {
      throw new TypeError(
        `Experiment "${name}" has field "${k}" of the old shape: "description" is now "question", "base" is "recipe" (a name in experiments/_recipes.ts) plus "overrides"`,
      );
    }
    if (!FIELDS.includes(k)) {
      const near = didYouMean(k, FIELDS);
      throw new TypeError(`Experiment "${name}" has unknown field "${k}"${near ? ` (did you mean "${near}"?)` : ""}: expected ${FIELDS.join(", ")}`);
    }
  }
  const e = exp as Record<string, unknown>;
  if (typeof e.question !== "string" || e.question.trim() === "") {
    throw new TypeError(`Experiment "${name}" must state its question (a non-empty string), received ${JSON.stringify(e.question)}`);
  }
  if (typeof e.recipe !== "string") {
    throw new TypeError(`Experiment "${name}" must name its recipe (a string), received ${JSON.stringify(e.recipe)}`);
  }
}

function lookUpRecipe(name: string, recipe: string, recipes: Recipes): DeepPartial<RunConfig> {
  if (!Object.hasOwn(recipes, recipe)) {
    const known = Object.keys(recipes);
    const near = didYouMean(recipe, known);
    throw new RangeError(
      `Experiment "${name}" names unknown recipe "${recipe}"${near ? ` (did you mean "${near}"?)` : ""}; known recipes: ${known.join(", ")}`,
    );
  }
  return recipes[recipe];
}

/**
 * An experiment's recipe merged over the defaults: the config every run
 * starts from before the overrides and axes (what `ablate --diff` compares to).
 * @param name the experiment's name (used in messages)
 * @param exp the experiment
 * @param recipes the named recipes, where `exp` does not carry its recipe (default: "defaults" only)
 * @returns the recipe's resolved config
 */
export function resolveRecipe(name: string, exp: Experiment, recipes: Recipes = BUILTIN_RECIPES): RunConfig {
  checkFields(name, exp);
  const recipe = "recipeConfig" in exp ? (exp as DefinedExperiment).recipeConfig : lookUpRecipe(name, exp.recipe, recipes);
  checkKeys(recipe, DEFAULT_RUN_CONFIG, "", `experiment "${name}" recipe "${exp.recipe}"`);
  return deepMerge(DEFAULT_RUN_CONFIG, recipe) as RunConfig;
}

/**
 * Expands an experiment into its runs (recipe, then overrides, then each
 * combination of the axes), validating every key and value.
 * @param name the experiment's name (used in messages)
 * @param exp the experiment definition (possibly untyped, from JSON or a file)
 * @param recipes the named recipes, where `exp` does not carry its recipe (default: "defaults" only)
 * @returns the runs, in sweep order
 */
export function resolveRuns(name: string, exp: Experiment, recipes: Recipes = BUILTIN_RECIPES): ResolvedRun[] {
  const recipe = resolveRecipe(name, exp, recipes);
  checkKeys(exp.overrides ?? {}, DEFAULT_RUN_CONFIG, "", `experiment "${name}" overrides`);
  const base = deepMerge(recipe, exp.overrides ?? {}) as RunConfig;
  const axes = Object.entries(exp.axes ?? {}) as [string, unknown[]][];
  for (const [path, values] of axes) {
    getPath(DEFAULT_RUN_CONFIG, path, `experiment "${name}" axes`);
    if (!Array.isArray(values) || values.length === 0) {
      throw new TypeError(`Experiment "${name}" axis "${path}" must be a non-empty array, received ${JSON.stringify(values)}`);
    }
  }
  const combos: Record<string, unknown>[] = [{}];
  for (const [path, values] of axes) {
    const next: Record<string, unknown>[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [path]: v });
    combos.splice(0, combos.length, ...next);
  }
  return combos.map((overrides, index) => {
    const config = structuredClone(base);
    for (const [path, v] of Object.entries(overrides)) {
      setPath(config as unknown as Record<string, unknown>, path, structuredClone(v));
    }
    checkKeys(config, DEFAULT_RUN_CONFIG, "", `experiment "${name}" run ${index}`);
    checkRunConfig(config, `experiment "${name}" run ${index}`);
    return { index, id: runId(index, overrides), overrides, config };
  });
}

/**
 * The leaves of `config` that differ from `from`, by dotted path (arrays and
 * union values compared whole).
 * @param from the config compared to (a recipe's resolved config)
 * @param config a run's resolved config
 * @returns `{ "train.steps": 800, … }`, in `config`'s key order
 */
export function configDiff(from: RunConfig, config: RunConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (a: unknown, b: unknown, prefix: string) => {
    if (isPlainObject(a) && isPlainObject(b) && !OPAQUE_PATHS.includes(prefix)) {
      for (const k of Object.keys(b)) walk(a[k], b[k], prefix ? `${prefix}.${k}` : k);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out[prefix] = b;
    }
  };
  walk(from, config, "");
  return out;
}

function runId(index: number, overrides: Record<string, unknown>): string {
  const parts = Object.entries(overrides).map(([k, v]) => `${k.split(".").at(-1)}=${slug(v)}`);
  return [String(index), ...parts].join("-").slice(0, 120);
}

function slug(v: unknown): string {
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if ("kind" in o) {
      const rest = Object.entries(o).filter(([k]) => k !== "kind").map(([, x]) => String(x));
      // Values may hold paths (an autoguidance guide's run folder): a run id stays one folder name.
      return [o.kind, ...rest].join("_").replace(/[^A-Za-z0-9.+_-]+/g, "_");
    }
    return JSON.stringify(v).replace(/[^A-Za-z0-9.]+/g, "_");
  }
  return String(v).replace(/[^A-Za-z0-9.+-]+/g, "_");
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(obj: unknown, ref: unknown, prefix: string, where: string): void {
  if (!isPlainObject(obj)) {
    throw new TypeError(`In ${where}: "${prefix || "(root)"}" must be an object, received ${JSON.stringify(obj)}`);
  }
  const r = ref as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in r)) {
      const known = Object.keys(r);
      const near = didYouMean(k, known);
      throw new TypeError(
        `In ${where}: unknown config key "${path}"${near ? ` (did you mean "${prefix ? prefix + "." : ""}${near}"?)` : ""}; known keys here: ${known.join(", ")}`,
      );
    }
    if (isPlainObject(r[k]) && !OPAQUE_PATHS.includes(path)) checkKeys(v, r[k], path, where);
  }
}

function getPath(obj: unknown, path: string, where: string): unknown {
  let cur = obj as Record<string, unknown>;
  const parts = path.split(".");
  parts.forEach((p, i) => {
    if (!isPlainObject(cur) || !(p in cur)) {
      throw new TypeError(`In ${where}: unknown config path "${path}" (no "${p}" under "${parts.slice(0, i).join(".") || "(root)"}")`);
    }
    cur = cur[p] as Record<string, unknown>;
  });
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[parts.at(-1)!] = value;
}

/**
 * A recorded config completed with today's defaults: runs recorded before a
 * config key existed compare equal to the same run resolved now, as long as
 * the new key keeps its default.
 * @param recorded a config read from a run folder
 * @returns the config with missing keys filled from {@link DEFAULT_RUN_CONFIG}
 */
export function withDefaults(recorded: unknown): RunConfig {
  return deepMerge(DEFAULT_RUN_CONFIG, recorded) as RunConfig;
}

/**
 * Merges `over` into a copy of `base`, key by key for plain objects; arrays
 * and opaque (union) values replace whole.
 */
function deepMerge(base: unknown, over: unknown, prefix = ""): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || OPAQUE_PATHS.includes(prefix)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out[k] = k in out ? deepMerge(out[k], v, path) : structuredClone(v);
  }
  return out;
}

/**
 * Range and type checks of a resolved config; throws RangeError/TypeError
 * naming the path, the value and what was expected.
 * @param c the resolved config
 * @param where context for messages
 */
export function checkRunConfig(c: RunConfig, where = "config"): void {
  const int = (path: string, v: unknown, min: number, max = Infinity) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`In ${where}: ${path} must be an integer in [${min}, ${max}], received ${JSON.stringify(v)}`);
    }
  };
  const num = (path: string, v: unknown, min: number, max = Infinity, openMin = false) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (openMin && v === min)) {
      throw new RangeError(
        `In ${where}: ${path} must be a number in ${openMin ? "(" : "["}${min}, ${max}], received ${JSON.stringify(v)}`,
      );
    }
  };
  const oneOf = (path: string, v: unknown, allowed: readonly unknown[]) => {
    if (!allowed.includes(v)) {
      throw new RangeError(`In ${where}: ${path} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, received ${JSON.stringify(v)}`);
    }
  };
  oneOf("task", c.task, ["pretrain", "animate", "benchmark", "feature-nets", "sample"]);
  int("seed", c.seed, 0, 2 ** 32 - 1);
  oneOf("engine.backend", c.engine.backend, ["auto", "webgpu", "tensorflow", "blas", "wasm", "cpu"]);
  int("engine.threads", c.engine.threads, 1, 256);
  int("data.frames", c.data.frames, 1, 1024);
  if ((c.data.frames - 1) % 4 !== 0) {
    throw new RangeError(`In ${where}: data.frames must be 4k+1 (1, 5, 9, 17, …), received ${c.data.frames}`);
  }
  int("data.height", c.data.height, 8, 4096);
  int("data.width", c.data.width, 8, 4096);
  int("data.trainClips", c.data.trainClips, 1);
  int("data.valClips", c.data.valClips, 1);
  int("data.evalClips", c.data.evalClips, 1);
  checkDataSource(c.data.source, where);
  int("vae.steps", c.vae.steps, 0);
  num("vae.lr", c.vae.lr, 0, 1, true);
  int("vae.microBatch", c.vae.microBatch, 1);
  num("vae.klWeight", c.vae.klWeight, 0, 1);
  oneOf("vae.schedule", c.vae.schedule, ["constant", "cosine"]);
  num("vae.minLr", c.vae.minLr, 0, c.vae.lr);
  num("vae.maskWeight", c.vae.maskWeight, 0, 1000);
  const t = c.train;
  // A pretraining run with train.steps 0 trains only the VAE (a stage later runs start from).
  int("train.steps", t.steps, c.task === "pretrain" ? 0 : 1);
  if (c.task === "pretrain" && t.steps === 0 && c.vae.checkpoint !== null) {
    throw new RangeError(
      `In ${where}: train.steps 0 makes a VAE-only run, which needs vae.checkpoint null and vae.steps >= 1, received vae.checkpoint ${JSON.stringify(c.vae.checkpoint)}`,
    );
  }
  int("train.microBatch", t.microBatch, 1);
  int("train.accumulation", t.accumulation, 1);
  if (t.microBatch > c.data.trainClips) {
    throw new RangeError(`In ${where}: train.microBatch (${t.microBatch}) is larger than data.trainClips (${c.data.trainClips})`);
  }
  num("train.lr", t.lr, 0, 1, true);
  num("train.weightDecay", t.weightDecay, 0, 1);
  int("train.warmupSteps", t.warmupSteps, 0);
  oneOf("train.schedule", t.schedule, ["constant", "cosine"]);
  num("train.minLr", t.minLr, 0, t.lr);
  num("train.clipNorm", t.clipNorm, 0);
  num("train.maskWeight", t.maskWeight, 0, 1000);
  num("train.emaDecay", t.emaDecay, 0, 0.999999);
  int("train.checkpointEvery", t.checkpointEvery, 1);
  int("train.valEvery", t.valEvery, 0);
  int("train.buckets", t.buckets, 1, 100);
  t.valSigmas.forEach((s, i) => num(`train.valSigmas[${i}]`, s, 0, 1));
  t.keepSteps.forEach((s, i) => int(`train.keepSteps[${i}]`, s, 1, t.steps));
  oneOf("model.design", c.model.design, Object.keys(DESIGN_PRESETS));
  if (typeof c.model.shiftedRope !== "boolean") {
    throw new TypeError(`In ${where}: model.shiftedRope must be true or false, received ${JSON.stringify(c.model.shiftedRope)}`);
  }
  if (!Array.isArray(c.model.poses) || c.model.poses.length === 0 || new Set(c.model.poses).size !== c.model.poses.length) {
    throw new RangeError(`In ${where}: model.poses must be a non-empty list without repeats, received ${JSON.stringify(c.model.poses)}`);
  }
  for (const p of c.model.poses) oneOf("model.poses[]", p, ["skeleton", "hands", "body"]);
  if (c.model.memoryBudget !== null && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB)$/i.test(c.model.memoryBudget)) {
    throw new RangeError(`In ${where}: model.memoryBudget must look like "8GB" or "512MB", received ${JSON.stringify(c.model.memoryBudget)}`);
  }
  if (c.vae.init !== null && (c.vae.checkpoint !== null || c.vae.steps < 1)) {
    throw new RangeError(
      `In ${where}: vae.init ${JSON.stringify(c.vae.init)} starts a VAE training, which needs vae.checkpoint null and vae.steps >= 1, ` +
        `received vae.checkpoint ${JSON.stringify(c.vae.checkpoint)} and vae.steps ${c.vae.steps}`,
    );
  }
  if (c.task === "animate" && c.vae.checkpoint === null) {
    throw new RangeError(`In ${where}: task "animate" fine-tunes a foundation: vae.checkpoint must name a trained VAE folder`);
  }
  num("conditioning.dropReference", c.conditioning.dropReference, 0, 1);
  num("conditioning.dropText", c.conditioning.dropText, 0, 1);
  num("diffusion.shift", c.diffusion.shift, 0, 100, true);
  const ts = c.diffusion.timesteps;
  oneOf("diffusion.timesteps.kind", ts?.kind, ["uniform", "low-noise-warmup", "high-noise-warmup", "logit-normal"]);
  if (ts.kind === "low-noise-warmup") {
    num("diffusion.timesteps.alpha", ts.alpha, 0, 1, true);
    int("diffusion.timesteps.warmup", ts.warmup, 1);
  } else if (ts.kind === "high-noise-warmup") {
    num("diffusion.timesteps.alpha", ts.alpha, -1, 0);
    if (ts.alpha === 0) throw new RangeError(`In ${where}: diffusion.timesteps.alpha must be in [-1, 0), received 0`);
    int("diffusion.timesteps.warmup", ts.warmup, 1);
  } else if (ts.kind === "logit-normal") {
    num("diffusion.timesteps.mean", ts.mean, -10, 10);
    num("diffusion.timesteps.std", ts.std, 0, 10, true);
  }
  oneOf("sample.solver", c.sample.solver, ["euler", "unipc"]);
  int("sample.steps", c.sample.steps, 1, 1000);
  num("sample.guidance", c.sample.guidance, 0, 50);
  for (const m of c.eval.metrics) oneOf("eval.metrics[]", m, ["psnr", "ssim", "flicker"]);
  if (typeof c.eval.keptSteps !== "boolean") {
    throw new TypeError(`In ${where}: eval.keptSteps must be true or false, received ${JSON.stringify(c.eval.keptSteps)}`);
  }
  int("eval.diversitySeeds", c.eval.diversitySeeds, 0, 16);
  int("eval.poseFrames", c.eval.poseFrames, 1, 1024);
  if (c.eval.keptSteps) {
    int("eval.poseFrames", c.eval.poseFrames, 1, c.data.frames);
    if (c.task !== "animate") {
      throw new RangeError(`In ${where}: eval.keptSteps evaluates pose-conditioned checkpoints: it needs task "animate", received ${JSON.stringify(c.task)}`);
    }
    if (c.eval.diversitySeeds < 2) {
      throw new RangeError(`In ${where}: eval.keptSteps compares samples of different seeds: eval.diversitySeeds must be >= 2, received ${c.eval.diversitySeeds}`);
    }
  } else if (c.eval.diversitySeeds !== 0) {
    throw new RangeError(`In ${where}: eval.diversitySeeds is used only with eval.keptSteps: true; received ${c.eval.diversitySeeds} with keptSteps false`);
  }
  // realisdance-val-syn has 100 clips (datasets/synthetic EVAL_SET_SIZE).
  int("benchmark.clips", c.benchmark.clips, 1, 100);
  const src = c.benchmark.source;
  if (src !== null && (typeof src !== "string" || !/^[A-Za-z0-9_-]+$/.test(src))) {
    throw new TypeError(`In ${where}: benchmark.source must be an experiment name (letters, digits, _ and -) or null, received ${JSON.stringify(src)}`);
  }
  if (c.task === "benchmark" && src === null) {
    throw new RangeError(`In ${where}: task "benchmark" samples a finished fine-tuning: benchmark.source must name its experiment (e.g. "model_design")`);
  }
  checkSamplerConfig(c.sampling.sampler, `In ${where}, sampling.sampler`);
  int("sampling.clips", c.sampling.clips, 2, 100);
  int("sampling.strips", c.sampling.strips, 0, c.sampling.clips);
  const foundation = c.sampling.foundation;
  if (foundation !== null && (typeof foundation !== "string" || foundation === "")) {
    throw new TypeError(`In ${where}: sampling.foundation must be a run folder or null, received ${JSON.stringify(foundation)}`);
  }
  if (c.task === "sample" && foundation === null) {
    throw new RangeError(`In ${where}: task "sample" draws a foundation's samples: sampling.foundation must name a finished pretrain run folder (e.g. "results/pretrain_dit_vae_video/0")`);
  }
  const fn = c.featureNets;
  int("featureNets.pool", fn.pool, 2, 1_000_000);
  for (const k of ["image", "video"] as const) {
    const p = fn[k];
    int(`featureNets.${k}.steps`, p.steps, 1);
    // InfoNCE needs at least two clips per step (one positive, one negative).
    int(`featureNets.${k}.clips`, p.clips, 2, fn.pool);
    num(`featureNets.${k}.lr`, p.lr, 0, 1, true);
    num(`featureNets.${k}.weightDecay`, p.weightDecay, 0, 1);
    num(`featureNets.${k}.temperature`, p.temperature, 0, 10, true);
    num(`featureNets.${k}.headWeight`, p.headWeight, 0, 100);
  }
  int("featureNets.checkpointEvery", fn.checkpointEvery, 1);
  int("featureNets.sanityClips", fn.sanityClips, 0, 100_000);
  if (fn.sanityClips > 0 && fn.sanityClips < 4) {
    throw new RangeError(`In ${where}: featureNets.sanityClips must be 0 (no sanity figures) or >= 4 (two halves of two), received ${fn.sanityClips}`);
  }
  if (!Array.isArray(fn.calibrationSizes)) {
    throw new TypeError(`In ${where}: featureNets.calibrationSizes must be a list of { frames, height, width }, received ${JSON.stringify(fn.calibrationSizes)}`);
  }
  fn.calibrationSizes.forEach((s, i) => {
    int(`featureNets.calibrationSizes[${i}].frames`, s?.frames, 3, 1024);
    int(`featureNets.calibrationSizes[${i}].height`, s?.height, 16, 4096);
    int(`featureNets.calibrationSizes[${i}].width`, s?.width, 16, 4096);
  });
  const sizeKeys = fn.calibrationSizes.map((s) => `${s.frames}x${s.height}x${s.width}`);
  if (new Set(sizeKeys).size !== sizeKeys.length) {
    throw new RangeError(`In ${where}: featureNets.calibrationSizes must not repeat a size, received ${sizeKeys.join(", ")}`);
  }
}
