import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveRuns } from "../../lib/workbench/experiment.ts";
import { type RunExecutor, runSweep } from "../../lib/workbench/run_sweep.ts";
import { ABLATION_EXPERIMENTS, writeSummary } from "../../lib/workbench/write_summary.ts";
import { PAPER_COLUMNS } from "../../lib/eval/syn/paper_columns.ts";
import modelDesign from "../../experiments/model_design.ts";
import benchmark from "../../experiments/benchmark.ts";
import { testEnv } from "./_fixtures.ts";
import { DiskFullError } from "../../lib/io/disk_full_error.ts";
import { smallDiskUnavailable, withSmallDisk } from "../io/_small_disk.ts";

const env = testEnv("cpu");

Deno.test("writeSummary() also writes <root>/ablations/<experiment>.parquet for an ablation experiment: one row per finished run", async () => {
  const root = await Deno.makeTempDir();
  const runs = resolveRuns("model_design", modelDesign).filter((r) => r.config.seed < 2);
  // reference-net ends as the OOM row (a boolean and a string), the others with numbers; the last run fails.
  const execute: RunExecutor = (run) => {
    if (run.index === runs.at(-1)!.index) throw new RangeError("injected");
    if (run.overrides["model.design"] === "reference-net") {
      return Promise.resolve({ interrupted: false, metrics: { design: "reference-net", oom: true, oom_reason: "over", peak_bytes: 300 } });
    }
    return Promise.resolve({
      interrupted: false,
      metrics: { design: String(run.overrides["model.design"]), final_loss: 0.5 + run.index, peak_bytes: 200 + run.index, steps: 300 },
    });
  };
  const res = await runSweep("model_design", runs, { dir: `${root}/model_design`, env, execute, log: () => {} });
  assert.equal(res.summaryPath, `${root}/model_design/summary.parquet`);
  const df = pl.readParquet(`${root}/ablations/model_design.parquet`);
  const finished = runs.slice(0, -1);
  assert.equal(df.height, finished.length);
  assert.deepEqual(df.columns.slice(0, 5), ["experiment", "run", "index", "seed", "model.design"]);
  assert.deepEqual(df.getColumn("experiment").toArray(), finished.map(() => "model_design"));
  assert.deepEqual(df.getColumn("run").toArray(), finished.map((r) => r.id));
  assert.deepEqual(df.getColumn("seed").toArray(), finished.map((r) => r.config.seed));
  assert.deepEqual(df.getColumn("model.design").toArray(), finished.map((r) => r.overrides["model.design"]));
  assert.deepEqual(
    df.getColumn("final_loss").toArray(),
    finished.map((r) => (r.overrides["model.design"] === "reference-net" ? null : 0.5 + r.index)),
  );
  assert.deepEqual(df.getColumn("oom").toArray(), finished.map((r) => (r.overrides["model.design"] === "reference-net" ? true : null)));
  assert.deepEqual(df.getColumn("peak_bytes").toArray(), finished.map((r) => (r.overrides["model.design"] === "reference-net" ? 300 : 200 + r.index)));
  assert.ok(df.columns.includes("wall_s"));
  // The summary next to the runs has the same rows.
  assert.equal(pl.readParquet(res.summaryPath!).height, finished.length);
});

Deno.test("writeSummary() puts both paper tables' columns into ablations/benchmark.parquet, null where a run has none", async () => {
  const root = await Deno.makeTempDir();
  const runs = resolveRuns("benchmark", benchmark).filter((r) => r.config.seed === 0);
  const execute: RunExecutor = (run) => {
    if (run.overrides["model.design"] === "reference-net") {
      return Promise.resolve({ interrupted: false, metrics: { design: "reference-net", oom: true } });
    }
    const cols: Record<string, number | null> = Object.fromEntries(PAPER_COLUMNS.map((c, i) => [c, i + run.index / 100]));
    cols["Aesthetic Quality"] = null;
    return Promise.resolve({ interrupted: false, metrics: { design: String(run.overrides["model.design"]), ...cols, sample_s: 1, eval_s: 2 } });
  };
  await runSweep("benchmark", runs, { dir: `${root}/benchmark`, env, execute, log: () => {} });
  const df = pl.readParquet(`${root}/ablations/benchmark.parquet`);
  assert.equal(df.height, runs.length);
  assert.deepEqual(df.columns.slice(0, 5 + PAPER_COLUMNS.length), ["experiment", "run", "index", "seed", "model.design", ...PAPER_COLUMNS]);
  assert.deepEqual(df.getColumn("FID-syn").toArray(), runs.map((r) => (r.overrides["model.design"] === "reference-net" ? null : PAPER_COLUMNS.indexOf("FID-syn") + r.index / 100)));
  const oom = runs.map((r) => r.overrides["model.design"] === "reference-net");
  assert.deepEqual(df.getColumn("Aesthetic Quality").toArray(), runs.map(() => null));
  assert.deepEqual(df.getColumn("oom").toArray(), oom.map((o) => (o ? true : null)));
  assert.deepEqual(df.getColumn("sample_s").toArray(), oom.map((o) => (o ? null : 1)));
});

Deno.test("writeSummary() writes no ablations table for other experiments", async () => {
  const root = await Deno.makeTempDir();
  assert.ok(!ABLATION_EXPERIMENTS.includes("smoke"));
  const runs = resolveRuns("smoke", { question: "d", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3] } });
  await runSweep("smoke", runs, {
    dir: `${root}/smoke`,
    env,
    execute: () => Promise.resolve({ interrupted: false, metrics: { psnr: 1 } }),
    log: () => {},
  });
  assert.equal(await writeSummary(`${root}/smoke`, runs), `${root}/smoke/summary.parquet`);
  await assert.rejects(Deno.stat(`${root}/ablations`), Deno.errors.NotFound);
});

Deno.test("writeSummary() written by several processes at once is read whole by a concurrent reader and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  const runs = resolveRuns("t", { question: "d", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3, 2e-3, 3e-3] } });
  const execute: RunExecutor = (run) => Promise.resolve({ interrupted: false, metrics: { psnr: 10 + run.index } });
  const path = (await runSweep("t", runs, { dir, env, execute, log: () => {} })).summaryPath!;
  let writing = true;
  const heights: number[] = [];
  const reader = (async () => {
    while (writing) {
      heights.push(pl.readParquet(path).height);
      await new Promise((r) => setTimeout(r, 0));
    }
  })();
  await Promise.all([0, 1, 2].map(async () => {
    for (let i = 0; i < 10; i++) await writeSummary(dir, runs);
  }));
  writing = false;
  await reader;
  assert.ok(heights.length > 1);
  assert.ok(heights.every((h) => h === 3), `heights read: ${heights}`);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.isFile).map((e) => e.name), ["summary.parquet"]);
});

Deno.test({
  name: "writeSummary() on a full disk throws a DiskFullError naming summary.parquet and keeps the previous summary",
  ignore: smallDiskUnavailable !== null,
}, async () => {
  await withSmallDisk(1024, async (disk) => {
    const dir = `${disk.dir}/t`;
    const runs = resolveRuns("t", { question: "d", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3, 2e-3] } });
    const execute: RunExecutor = (run) => Promise.resolve({ interrupted: false, metrics: { psnr: 10 + run.index } });
    await runSweep("t", runs, { dir, env, execute, log: () => {} });
    disk.fill();
    await assert.rejects(writeSummary(dir, runs), (e: unknown) => e instanceof DiskFullError && e.path === `${dir}/summary.parquet`);
    assert.deepEqual(pl.readParquet(`${dir}/summary.parquet`).getColumn("psnr").toArray(), [10, 11], "the previous summary is intact");
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.isFile).map((e) => e.name), ["summary.parquet"]);
    disk.free();
    assert.equal(pl.readParquet((await writeSummary(dir, runs))!).height, 2);
  });
});
