import assert from "node:assert/strict";
import { type Experiment, resolveRuns } from "../../lib/workbench/experiment.ts";
import { DEFAULT_RUN_CONFIG } from "../../lib/workbench/run_config.ts";

Deno.test("resolveRuns() expands the axes into their cartesian product, last axis fastest", () => {
  const runs = resolveRuns("t", {
    question: "d",
    recipe: "defaults",
    overrides: { train: { steps: 3 } },
    axes: { "train.lr": [1e-3, 2e-3], seed: [1, 2, 3] },
  });
  assert.equal(runs.length, 6);
  assert.deepEqual(runs.map((r) => [r.config.train.lr, r.config.seed]), [
    [1e-3, 1], [1e-3, 2], [1e-3, 3], [2e-3, 1], [2e-3, 2], [2e-3, 3],
  ]);
  assert.equal(runs[4].id, "4-lr=0.002-seed=2");
  assert.equal(runs[0].config.train.steps, 3);
  assert.equal(runs[0].config.train.microBatch, DEFAULT_RUN_CONFIG.train.microBatch);
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
  assert.deepEqual(runs[1].config.diffusion.timesteps, { kind: "low-noise-warmup", alpha: 0.5, warmup: 10 });
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

Deno.test("resolveRuns() accepts train.steps 0 only as a VAE-only pretraining run (task pretrain, a VAE to train)", () => {
  const [run] = resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "pretrain", train: { steps: 0 } }, axes: {} });
  assert.equal(run.config.train.steps, 0);
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "pretrain", train: { steps: 0 }, vae: { checkpoint: "x/vae", steps: 0 } }, axes: {} }),
    /train.steps 0 makes a VAE-only run, which needs vae.checkpoint null and vae.steps >= 1, received vae.checkpoint "x\/vae"/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { task: "animate", train: { steps: 0 }, vae: { checkpoint: "x/vae", steps: 0 } }, axes: {} }),
    /train.steps must be an integer in \[1, Infinity\], received 0/,
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
  assert.equal([a, b, c].length, 3);
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
