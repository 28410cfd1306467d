import assert from "node:assert/strict";
import { type Experiment, resolveRuns } from "../../lib/workbench/experiment.ts";
import { RUN_DEFAULTS } from "../../lib/workbench/run_defaults.ts";
import { presetDesign } from "../../lib/workbench/model_design.ts";

Deno.test("resolveRuns() expands the axes into their cartesian product, last axis fastest", () => {
  const runs = resolveRuns("t", {
    question: "d",
    recipe: "defaults",
    overrides: { train: { steps: 3 } },
    axes: { "train.lr": [1e-3, 2e-3], seed: [1, 2, 3] },
  });
  assert.equal(runs.length, 6);
  assert.deepEqual(runs.map((r) => [r.config.task === "pretrain" && r.config.train.lr, r.config.seed]), [
    [1e-3, 1], [1e-3, 2], [1e-3, 3], [2e-3, 1], [2e-3, 2], [2e-3, 3],
  ]);
  assert.equal(runs[4].id, "4-lr=0.002-seed=2");
  assert.equal(runs[0].config.task, "pretrain");
  if (runs[0].config.task !== "pretrain") return;
  assert.equal(runs[0].config.train.steps, 3);
  assert.equal(runs[0].config.train.microBatch, RUN_DEFAULTS.pretrain.train.microBatch);
});

Deno.test("resolveRuns() replaces a union-valued axis whole and names runs after its fields", () => {
  const runs = resolveRuns("t", {
    question: "d",
    recipe: "defaults",
    overrides: {},
    axes: {
      "diffusion.timesteps": [{ kind: "uniform" }, { kind: "low-noise-warmup", alpha: 0.5, warmup: 10 }],
    },
  });
  assert.deepEqual(runs[1].config.task === "pretrain" && runs[1].config.diffusion.timesteps, { kind: "low-noise-warmup", alpha: 0.5, warmup: 10 });
  assert.equal(runs[1].id, "1-timesteps=low-noise-warmup_0.5_10");
});

Deno.test("resolveRuns() rejects a mistyped key and suggests the right one", () => {
  const bad = { question: "d", recipe: "defaults", overrides: { train: { stpes: 3 } }, axes: {} } as unknown as Experiment;
  assert.throws(() => resolveRuns("t", bad), /unknown config key "train.stpes" \(did you mean "train.steps"\?\)/);
});

Deno.test("resolveRuns() rejects an unknown axis path", () => {
  const bad = { question: "d", recipe: "defaults", overrides: {}, axes: { "train.learningRate": [1] } } as unknown as Experiment;
  assert.throws(() => resolveRuns("t", bad), /unknown config path "train.learningRate"/);
});

Deno.test("resolveRuns() rejects values out of range, naming path and value", () => {
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { train: { accumulation: 0 } }, axes: {} }),
    /train.accumulation must be an integer in \[1, Infinity\], received 0/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { data: { frames: 6 } }, axes: {} }),
    /data.frames must be 4k\+1/,
  );
  assert.throws(
    () =>
      resolveRuns("t", {
        question: "d",
        recipe: "defaults",
        overrides: { diffusion: { timesteps: { kind: "low-noise-warmup", alpha: 1.5, warmup: 10 } } },
        axes: {},
      }),
    /diffusion.timesteps.alpha must be a number in \(0, 1\], received 1.5/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { train: { microBatch: 64 } }, axes: {} }),
    /train.microBatch \(64\) is larger than data.trainClips/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { vae: { maskWeight: -1 } }, axes: {} }),
    /vae.maskWeight must be a number in \[0, 1000\], received -1/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { train: { maskWeight: 2000 } }, axes: {} }),
    /train.maskWeight must be a number in \[0, 1000\], received 2000/,
  );
});

Deno.test("a VAE-only run is task \"vae\": it has no DiT keys, trains a VAE, and a DiT run trains at least one step", () => {
  const [run] = resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "vae", vae: { steps: 3 } }, axes: {} });
  assert.deepEqual(Object.keys(run.config).sort(), ["data", "engine", "seed", "task", "vae"]);
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "vae", vae: { checkpoint: "x/vae" } }, axes: {} }),
    /task "vae" trains a VAE: vae.checkpoint must be null, received "x\/vae"/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "vae", train: { steps: 3 } }, axes: {} } as unknown as Experiment),
    /misplaced config key "train" \(not a key of task "vae": a key of task "pretrain", "animate"\)/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "pretrain", train: { steps: 0 } }, axes: {} }),
    /train.steps must be an integer in \[1, Infinity\], received 0/,
  );
});

Deno.test("an experiment's task is its recipe's: another task in its overrides or axes is refused", () => {
  const define = (over: Record<string, unknown>) => ({ question: "d", recipe: "defaults", axes: {}, ...over }) as unknown as Experiment;
  assert.throws(
    () => resolveRuns("t", define({ overrides: {}, axes: { task: ["pretrain", "vae"] } })),
    /run 1: task "vae" differs from its recipe's, "pretrain"/,
  );
});

Deno.test("resolveRuns() resolves a design preset's name to the design with its scope, and keeps the name in the run id", () => {
  const runs = resolveRuns("t", {
    question: "d",
    recipe: "defaults",
    overrides: { task: "animate", vae: { checkpoint: "f/vae" }, model: { checkpoint: "f/dit" } },
    axes: { "model.design": ["lora", presetDesign("reference-net")] },
  });
  assert.deepEqual(runs.map((r) => r.config.task === "animate" && r.config.model.design), [presetDesign("lora"), presetDesign("reference-net")]);
  assert.equal(runs[0].id, "0-design=lora");
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "animate", model: { design: "lroa" } }, axes: {} } as unknown as Experiment),
    /Unknown design preset "lroa" \(did you mean "lora"\?\)/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "animate", vae: { checkpoint: "f/vae" }, model: { design: { ...presetDesign("lora"), scope: "most" } } }, axes: {} } as unknown as Experiment),
    /model.design: Cannot use the fine-tuning scope "most"/,
  );
});

Deno.test("the learning-rate schedules are lib/train's LrSchedule union, checked at load", () => {
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { train: { schedule: { kind: "cosine", warmupSteps: 5, minLr: 1 } } }, axes: {} }),
    /train.schedule.minLr must be a number in \[0, 0.001\], received 1/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { vae: { schedule: { kind: "constant", warmupSteps: 5, minLr: 0 } } }, axes: {} } as unknown as Experiment),
    /unknown config key "vae.schedule.minLr"/,
  );
});

Deno.test("resolveRuns() rejects unknown top-level experiment fields", () => {
  const bad = { question: "d", recipe: "defaults", overrides: {}, axes: {}, sweep: {} } as unknown as Experiment;
  assert.throws(() => resolveRuns("t", bad), /unknown field "sweep"/);
});

Deno.test("Experiment type rejects unknown keys, unknown axis paths and wrong axis value types at type-check", () => {
  // Each @ts-expect-error fails `deno test`'s type check if the line below it compiles.
  const a = {
    question: "d",
    recipe: "defaults",
    // @ts-expect-error "stpes" is not a key of train
    overrides: { train: { stpes: 3 } },
    axes: {},
  } satisfies Experiment;
  const b = {
    question: "d",
    recipe: "defaults",
    overrides: {},
    // @ts-expect-error "train.learningRate" is not a config path
    axes: { "train.learningRate": [1] },
  } satisfies Experiment;
  const c = {
    question: "d",
    recipe: "defaults",
    overrides: {},
    // @ts-expect-error train.lr takes numbers
    axes: { "train.lr": ["fast"] },
  } satisfies Experiment;
  const d = {
    question: "d",
    recipe: "defaults",
    // @ts-expect-error a benchmark has no train section
    overrides: { task: "benchmark", train: { steps: 3 } },
    axes: {},
  } satisfies Experiment<string, "benchmark">;
  const e = {
    question: "d",
    recipe: "defaults",
    // @ts-expect-error "part-fine-tune" is not a design preset
    overrides: { task: "animate", model: { design: "part-fine-tune" } },
    axes: {},
  } satisfies Experiment<string, "animate">;
  assert.equal([a, b, c, d, e].length, 5);
});

Deno.test("every experiments/*.ts resolves into runs and is listed in the README's experiments table", async () => {
  const root = new URL("../../", import.meta.url);
  const readme = await Deno.readTextFile(new URL("README.md", root));
  const names: string[] = [];
  for await (const e of Deno.readDir(new URL("experiments/", root))) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_")) names.push(e.name.slice(0, -3));
  }
  assert.ok(names.length >= 8, `found ${names}`);
  for (const name of names.sort()) {
    const exp = (await import(new URL(`experiments/${name}.ts`, root).href)).default as Experiment;
    const runs = resolveRuns(name, exp);
    assert.ok(runs.length >= 1, `${name} has no runs`);
    // A row names one experiment or several sharing a question: | `a` | or | `a`, `b` |.
    assert.match(readme, new RegExp(`^\\| (?:\`[a-z0-9_]+\`, )*\`${name}\`(?:, \`[a-z0-9_]+\`)* \\|`, "m"), `README's experiments table has no row for ${name}`);
  }
});
