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
import type { DesignPresetName } from "../model/designs/mod.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { isPlainObject, isUnionValue, mergeConfig } from "./_merge_config.ts";
import { checkConfigKeys } from "./_check_config_keys.ts";
import { checkRunConfig } from "./check_run_config.ts";
import { designLabel, isModelDesign, type ModelDesign, resolveModelDesign } from "./model_design.ts";
import type { RunConfig, Task, TaskConfig } from "./run_config.ts";
import { RUN_DEFAULTS, taskDefaults } from "./run_defaults.ts";

/** What an experiment may write for a config value: a design may be a DESIGN_PRESETS name. */
export type ConfigInput<T> = T extends ModelDesign ? T | DesignPresetName : T;

/** Every field optional, recursively (arrays and unions stay whole). */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends { kind: string } ? ConfigInput<T>
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

type Leaf<T> = T extends readonly unknown[] ? true : T extends { kind: string } ? true : T extends object ? false : true;

/** Dotted paths to the leaves of T ("train.lr", "diffusion.timesteps", …); an object that may be null is a leaf. */
export type ConfigPath<T = RunConfig> = T extends unknown ? {
    [K in keyof T & string]: true extends Leaf<T[K]> ? K : `${K}.${ConfigPath<T[K]>}`;
  }[keyof T & string]
  : never;

/** The value type at a dotted path. */
export type PathValue<T, P extends string> = P extends `${infer K}.${infer R}` ? K extends keyof T ? PathValue<T[K], R> : never
  : P extends keyof T ? T[P]
  : never;

/** What an experiment of task T changes from its recipe. */
export type Overrides<T extends Task = Task> = T extends unknown ? DeepPartial<TaskConfig<T>> : never;

/** Sweep axes of task T: each path gets the list of values to try. */
export type Axes<T extends Task = Task> = T extends unknown
  ? { [P in ConfigPath<TaskConfig<T>>]?: readonly ConfigInput<PathValue<TaskConfig<T>, P>>[] }
  : never;

/** A recipe: a task and a change over that task's defaults. */
export type Recipe = { [T in Task]: { task: T } & Overrides<T> }[Task];

/** An experiment file's default export: its question, the recipe it starts from, the overrides on it, its axes. */
export interface Experiment<R extends string = string, T extends Task = Task> {
  /** One or two sentences: what question the sweep asks (never its outcome). */
  question: string;
  /**
   * The name of the recipe it starts from (experiments/_recipes.ts); "defaults" is a task's defaults alone
   * (run_defaults.ts; the task: `overrides.task`, else "pretrain").
   */
  recipe: R;
  /** What differs from the recipe (its task is the recipe's). */
  overrides: Overrides<T>;
  /** The swept paths; their cartesian product becomes the runs (in key order, last fastest). */
  axes: Axes<T>;
}

/** Named recipes, each with its task. */
export type Recipes<R extends string = string> = { readonly [K in R]: Recipe };

/** An experiment with its recipe looked up (what {@link recipeBook}'s `defineExperiment` returns). */
export interface DefinedExperiment<R extends string = string, T extends Task = Task> extends Experiment<R, T> {
  /** The recipe named by `recipe`, as the recipe book held it. */
  readonly recipeConfig: Recipe | Record<string, never>;
}

/** The task of a recipe. */
export type TaskOf<P> = P extends { task: infer T extends Task } ? T : "pretrain";

/** The recipe every experiment may name without a recipe book: a task's defaults alone. */
const BUILTIN_RECIPES: Record<string, Recipe | Record<string, never>> = { defaults: {} };
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
export function defineExperiment<T extends Task = "pretrain">(e: Experiment<string, T>): Experiment<string, T> {
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
 * const define = recipeBook({ tiny: { task: "pretrain", train: { steps: 4 } } });
 * define({ question: "q", recipe: "tiny", overrides: {}, axes: {} }).recipeConfig; // { task: "pretrain", train: { steps: 4 } }
 * ```
 */
export function recipeBook<B extends Recipes>(
  recipes: B,
): <R extends keyof B & string>(e: Experiment<R, TaskOf<B[R]>>) => DefinedExperiment<R, TaskOf<B[R]>> {
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

function lookUpRecipe(name: string, recipe: string, recipes: Record<string, Recipe | Record<string, never>>): Recipe | Record<string, never> {
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
 * An experiment's recipe merged over its task's defaults: the config every
 * run starts from before the overrides and axes (what `ablate --diff`
 * compares to).
 * @param name the experiment's name (used in messages)
 * @param exp the experiment
 * @param recipes the named recipes, where `exp` does not carry its recipe (default: "defaults" only)
 * @returns the recipe's resolved config
 */
export function resolveRecipe(name: string, exp: Experiment, recipes: Recipes = BUILTIN_RECIPES as Recipes): RunConfig {
  checkFields(name, exp);
  const recipe = "recipeConfig" in exp ? (exp as DefinedExperiment).recipeConfig : lookUpRecipe(name, exp.recipe, recipes);
  const task = (recipe as { task?: Task }).task ?? (exp.overrides as { task?: Task } | undefined)?.task ?? "pretrain";
  checkConfigKeys(recipe, task, `experiment "${name}" recipe "${exp.recipe}"`);
  return withDesign(mergeConfig(taskDefaults(task), recipe) as RunConfig, `experiment "${name}" recipe "${exp.recipe}"`);
}

/**
 * Expands an experiment into its runs (recipe, then overrides, then each
 * combination of the axes), validating every key and value: a key its task
 * does not have is an error naming the task it belongs to.
 * @param name the experiment's name (used in messages)
 * @param exp the experiment definition (possibly untyped, from JSON or a file)
 * @param recipes the named recipes, where `exp` does not carry its recipe (default: "defaults" only)
 * @returns the runs, in sweep order
 */
export function resolveRuns(name: string, exp: Experiment, recipes: Recipes = BUILTIN_RECIPES as Recipes): ResolvedRun[] {
  const recipe = resolveRecipe(name, exp, recipes);
  const overrides = exp.overrides ?? {};
  checkConfigKeys(overrides, recipe.task, `experiment "${name}" overrides`);
  const base = withDesign(mergeConfig(recipe, overrides) as RunConfig, `experiment "${name}" overrides`);
  const axes = Object.entries(exp.axes ?? {}) as [string, unknown[]][];
  for (const [path, values] of axes) {
    getPath(RUN_DEFAULTS[base.task], path, `experiment "${name}" axes (task ${JSON.stringify(base.task)})`);
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
    const where = `experiment "${name}" run ${index}`;
    const config = structuredClone(base);
    for (const [path, v] of Object.entries(overrides)) {
      setPath(config as unknown as Record<string, unknown>, path, structuredClone(v));
    }
    if (config.task !== recipe.task) {
      throw new RangeError(
        `In ${where}: task ${JSON.stringify(config.task)} differs from its recipe's, ${JSON.stringify(recipe.task)}: ` +
          `the task decides which config keys exist, so an experiment of another task names a recipe of that task`,
      );
    }
    checkConfigKeys(config, config.task, where);
    const resolved = withDesign(config, where);
    checkRunConfig(resolved, where);
    return { index, id: runId(index, overrides), overrides, config: resolved };
  });
}

/** A design written as a preset's name, replaced by the preset's value. */
function withDesign(c: RunConfig, where: string): RunConfig {
  if ((c.task === "animate" || c.task === "benchmark") && typeof c.model.design === "string") {
    c.model.design = resolveModelDesign(c.model.design, `In ${where}, model.design`);
  }
  return c;
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
    if (isPlainObject(a) && isPlainObject(b) && !isUnionValue(a) && !isUnionValue(b)) {
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
  // A design reads as its preset's name, or its kind, placement and scope.
  if (isModelDesign(v)) return designLabel(v);
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
