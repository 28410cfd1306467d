import assert from "node:assert/strict";
import { type Experiment, recipeBook, resolveRecipe, resolveRuns } from "../../lib/workbench/experiment.ts";
import { RUN_DEFAULTS } from "../../lib/workbench/run_defaults.ts";
import { defineExperiment, RECIPES } from "../../experiments/_recipes.ts";
import modelDesign from "../../experiments/model_design.ts";
import benchmark from "../../experiments/benchmark.ts";

const ROOT = new URL("../../", import.meta.url);
const EXPERIMENTS = new URL("experiments/", ROOT);

async function experimentNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(EXPERIMENTS)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_")) names.push(e.name.slice(0, -3));
  }
  return names.sort();
}

Deno.test("every experiment file is one level deep: it imports only _recipes.ts and lib/, and names a recipe that exists", async () => {
  const names = await experimentNames();
  assert.ok(names.length >= 8, `found ${names}`);
  for (const name of names) {
    const source = await Deno.readTextFile(new URL(`${name}.ts`, EXPERIMENTS));
    const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
    for (const path of imports) {
      assert.ok(path === "./_recipes.ts" || path.startsWith("../lib/"), `${name}.ts imports ${path}: an experiment imports only ./_recipes.ts and ../lib/`);
    }
    assert.doesNotMatch(source, /\.\.\.\w/, `${name}.ts spreads a config: state what differs from the recipe in overrides`);
    const exp = (await import(new URL(`${name}.ts`, EXPERIMENTS).href)).default as Experiment;
    assert.deepEqual(Object.keys(exp).filter((k) => k !== "recipeConfig"), ["question", "recipe", "overrides", "axes"], name);
    assert.ok(Object.hasOwn(RECIPES, exp.recipe), `${name} names recipe "${exp.recipe}", not in experiments/_recipes.ts`);
  }
});

Deno.test("the recipes are written out: none spreads another recipe or an experiment", async () => {
  const source = await Deno.readTextFile(new URL("_recipes.ts", EXPERIMENTS));
  const table = source.slice(source.indexOf("export const RECIPES"));
  assert.doesNotMatch(table, /\.\.\./);
  assert.doesNotMatch(source, /from "\.\/(?!_recipes)/);
  for (const [name, recipe] of Object.entries(RECIPES)) {
    assert.doesNotThrow(() => resolveRecipe(name, { question: "q", recipe: name, overrides: {}, axes: {} }, RECIPES), name);
    assert.ok(JSON.stringify(recipe) !== "{}", `recipe ${name} is empty`);
  }
});

Deno.test("benchmark samples the designs and seeds of model_design", () => {
  assert.deepEqual(benchmark.axes["model.design"], modelDesign.axes["model.design"]);
  assert.deepEqual(benchmark.axes.seed, modelDesign.axes.seed);
});

Deno.test("an unknown recipe name fails at load with a did-you-mean, and at type-check", () => {
  assert.throws(
    () => defineExperiment({ question: "q", recipe: "guidee", overrides: {}, axes: {} } as never),
    /unknown recipe "guidee" \(did you mean "guide"\?\); known recipes: smoke, first-foundation/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "q", recipe: "smoek", overrides: {}, axes: {} }, RECIPES),
    /Experiment "t" names unknown recipe "smoek" \(did you mean "smoke"\?\)/,
  );
  // Each @ts-expect-error fails the type check if the line below it compiles.
  // @ts-expect-error "guidee" is not a recipe name
  const bad = () => defineExperiment({ question: "q", recipe: "guidee", overrides: {}, axes: {} });
  assert.equal(typeof bad, "function");
});

Deno.test("an experiment of the old shape is refused, naming the new fields", () => {
  const old = { description: "d", base: {}, axes: {} } as unknown as Experiment;
  assert.throws(() => resolveRuns("t", old), /field "description" of the old shape: "description" is now "question", "base" is "recipe"/);
  assert.throws(
    () => resolveRuns("t", { question: "q", recipe: "defaults", overides: {}, axes: {} } as unknown as Experiment),
    /unknown field "overides" \(did you mean "overrides"\?\)/,
  );
});

Deno.test("resolveRuns() applies the recipe, then the overrides, then the axes", () => {
  const define = recipeBook({ tiny: { task: "pretrain", train: { steps: 4, lr: 2e-3 }, data: { trainClips: 8 } } });
  const exp = define({ question: "q", recipe: "tiny", overrides: { train: { steps: 6 } }, axes: { seed: [1, 2] } });
  const runs = resolveRuns("t", exp).map((r) => r.config);
  const train = runs.map((c) => c.task === "pretrain" ? [c.train.steps, c.train.lr, c.data.trainClips, c.seed, c.train.microBatch] : []);
  assert.deepEqual(train, [[6, 2e-3, 8, 1, RUN_DEFAULTS.pretrain.train.microBatch], [6, 2e-3, 8, 2, RUN_DEFAULTS.pretrain.train.microBatch]]);
});

Deno.test("an experiment's overrides are typed by its recipe's task: a key of another task fails at type-check and at load", () => {
  // @ts-expect-error the benchmark recipe's task has no train section
  const bad = () => defineExperiment({ question: "q", recipe: "benchmark", overrides: { train: { steps: 3 } }, axes: {} });
  assert.equal(typeof bad, "function");
  assert.throws(
    () => resolveRuns("t", defineExperiment({ question: "q", recipe: "benchmark", overrides: { train: { steps: 3 } } as never, axes: {} })),
    /misplaced config key "train" \(not a key of task "benchmark": a key of task "pretrain", "animate"\)/,
  );
  // @ts-expect-error a sample task has no model.design axis
  const badAxis = () => defineExperiment({ question: "q", recipe: "foundation-sampling", overrides: {}, axes: { "model.design": ["lora"] } });
  assert.equal(typeof badAxis, "function");
});

async function ablate(...args: string[]): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", new URL("lib/workbench/ablate_cli.ts", ROOT).pathname, ...args],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n");
}

Deno.test("ablate smoke --show prints each run's resolved config and --diff what it changes from the recipe, one JSON object a line", async () => {
  const [smoke] = [(await import(new URL("smoke.ts", EXPERIMENTS).href)).default as Experiment];
  const runs = resolveRuns("smoke", smoke);
  const show = (await ablate("smoke", "--show")).map((l) => JSON.parse(l));
  assert.deepEqual(show, runs.map((r) => ({ id: r.id, config: r.config })));
  const diff = (await ablate("smoke", "--diff")).map((l) => JSON.parse(l));
  assert.deepEqual(diff, [
    { id: "0-lr=0.001", recipe: "smoke", diff: {} },
    { id: "1-lr=0.003", recipe: "smoke", diff: { "train.lr": 0.003 } },
  ]);
  assert.deepEqual((await ablate("smoke", "--show", "--only", "1")).map((l) => JSON.parse(l).id), ["1-lr=0.003"]);
});
