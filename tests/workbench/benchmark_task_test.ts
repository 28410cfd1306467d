/**
 * The `benchmark` experiment at smoke size: a tiny foundation, a tiny
 * model_design sweep (part-finetune trains; reference-net ends as the OOM row
 * under a 1 KB budget) in a temp results root, then benchmark runs that find
 * those runs, sample realisdance-val-syn with their weights and write both
 * paper tables' columns; a missing or unfinished source run is refused before
 * any work; the ablations Parquet holds the rows.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { PAPER_COLUMNS } from "../../lib/eval/syn/paper_columns.ts";
import { presetDesign, type ResolvedRun, resolveRuns } from "../../lib/workbench/mod.ts";
import { canonicalJson } from "../../lib/workbench/_canonical_json.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { type RunContext, runSweep } from "../../lib/workbench/run_sweep.ts";
import { MissingSourceRunError } from "../../lib/workbench/_benchmark_task.ts";
import smoke from "../../experiments/smoke.ts";
import modelDesign from "../../experiments/model_design.ts";
import benchmark from "../../experiments/benchmark.ts";
import { as, testEnv } from "./_fixtures.ts";

await initEngine({});

const env = testEnv();
const SIZE = { frames: 9, height: 32, width: 32 };

/** Keeps the run's axes and task, shrinks data, training and sampling. */
function atSmokeSize(run: ResolvedRun, foundation: string): ResolvedRun {
  const c = structuredClone(run.config);
  if (c.task === "benchmark") {
    Object.assign(c.data, { ...SIZE, trainClips: 4, valClips: 2, evalClips: 2 });
    Object.assign(c.sample, { steps: 2 });
    c.benchmark.clips = 3;
    return { ...run, config: c };
  }
  const a = as(c, "animate");
  Object.assign(a.data, { ...SIZE, trainClips: 4, valClips: 2, evalClips: 2 });
  Object.assign(a.vae, { checkpoint: `${foundation}/vae` });
  Object.assign(a.model, { preset: "wan-toy", checkpoint: `${foundation}/dit` });
  Object.assign(a.train, { steps: 2, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 0 });
  Object.assign(a.sample, { steps: 2 });
  return { ...run, config: a };
}

Deno.test("benchmark samples model_design's finished fine-tunings and writes both paper tables", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "benchmark-test-" });
  const [f] = resolveRuns("smoke", smoke);
  const fc = as(f.config, "pretrain");
  Object.assign(fc.vae, { steps: 2 });
  Object.assign(fc.model, { preset: "wan-toy" });
  Object.assign(fc.train, { steps: 2, valEvery: 0 });
  Object.assign(fc.data, { ...SIZE, trainClips: 4, valClips: 2, evalClips: 2 });
  const foundation = `${root}/foundation`;
  await runPipeline(f, { dir: foundation, experiment: "f", env, label: "foundation", shouldStop: () => false });

  const source = resolveRuns("model_design", modelDesign).map((r) => atSmokeSize(r, foundation));
  const design = (r: ResolvedRun) => canonicalJson((r.config as { model: { design: unknown } }).model.design);
  const named = (r: ResolvedRun, name: "part-finetune" | "reference-net") => design(r) === canonicalJson(presetDesign(name));
  const part0 = source.find((r) => named(r, "part-finetune") && r.config.seed === 0)!;
  const ref0 = source.find((r) => named(r, "reference-net") && r.config.seed === 0)!;
  as(ref0.config, "animate").model.memoryBudget = "1KB"; // the paper's OOM row, without training the biggest design
  const src = await runSweep("model_design", source, {
    dir: `${root}/model_design`,
    env,
    execute: runPipeline,
    only: [ref0.index, part0.index],
    log: () => {},
  });
  assert.deepEqual(src.states.map((s) => s.state), ["done", "done"]);

  const runs = resolveRuns("benchmark", benchmark).map((r) => atSmokeSize(r, foundation));
  assert.equal(as(resolveRuns("benchmark", benchmark)[0].config, "benchmark").benchmark.clips, 100);
  assert.deepEqual(runs.map((r) => r.id), source.map((r) => r.id));
  const bench = (r: ResolvedRun) => runs.find((b) => design(b) === design(r) && b.config.seed === r.config.seed)!;

  await t.step("a finished source run is found, sampled with its weights and scored with every column", async () => {
    const res = await runSweep("benchmark", runs, {
      dir: `${root}/benchmark`,
      env,
      execute: runPipeline,
      only: [bench(ref0).index, bench(part0).index],
      log: () => {},
    });
    assert.deepEqual(res.states.map((s) => s.error ?? s.state), ["done", "done"]);
    const dir = `${root}/benchmark/${bench(part0).id}`;
    const result = JSON.parse(await Deno.readTextFile(`${dir}/result.json`));
    assert.equal(result.source_run, part0.id);
    assert.equal(result.clips, 3);
    for (const c of PAPER_COLUMNS) {
      assert.ok(c in result, `result.json has "${c}"`);
      if (c === "Aesthetic Quality") assert.equal(result[c], null);
      else assert.ok(Number.isFinite(result[c]), `${c} = ${result[c]}`);
    }
    assert.ok(result["SSIM"] > -1 && result["SSIM"] <= 1);
    assert.ok(result["FID-syn"] >= 0 && result["FVD-syn"] >= 0);
    assert.ok(result.sample_s > 0 && result.eval_s > 0);
    // The same columns as `deno task evaluate` would write next to them.
    const evalJson = JSON.parse(await Deno.readTextFile(`${dir}/eval.json`));
    for (const c of PAPER_COLUMNS) assert.equal(evalJson[c], result[c]);

    // The source run's samples came from the same weights, conditions and noise stream: its 2 clips are our first 2.
    const ours = (await readSafetensors(`${dir}/samples/generated.safetensors`)).tensors.video;
    const theirs = (await readSafetensors(`${root}/model_design/${part0.id}/samples/generated.safetensors`)).tensors.video;
    assert.deepEqual(ours.shape, [3, SIZE.frames, SIZE.height, SIZE.width, 3]);
    let maxDiff = 0;
    for (let i = 0; i < theirs.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.data[i] - theirs.data[i]));
    assert.ok(maxDiff < 1e-4, `first clips differ from the source run's samples by ${maxDiff}`);
    await Deno.stat(`${dir}/samples/eval-002.png`);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/samples/eval_ids.json`)), [
      "realisdance-val-syn/0000",
      "realisdance-val-syn/0001",
      "realisdance-val-syn/0002",
    ]);

    // The design over the memory budget is the OOM row: no samples, no columns.
    const oomDir = `${root}/benchmark/${bench(ref0).id}`;
    const oom = JSON.parse(await Deno.readTextFile(`${oomDir}/result.json`));
    assert.equal(oom.oom, true);
    assert.equal(oom.source_run, ref0.id);
    assert.equal(oom["FID-syn"], undefined);
    await assert.rejects(Deno.stat(`${oomDir}/samples`), Deno.errors.NotFound);

    // ablations/benchmark.parquet: one row per finished run, axes, seed and both tables' columns.
    const df = pl.readParquet(`${root}/ablations/benchmark.parquet`);
    assert.equal(df.height, 2);
    assert.deepEqual(df.getColumn("model.design").toArray(), ["reference-net", "part-finetune"]);
    assert.deepEqual(df.getColumn("seed").toArray(), [0, 0]);
    assert.deepEqual(df.getColumn("oom").toArray(), [true, null]);
    for (const c of PAPER_COLUMNS) {
      assert.deepEqual(df.getColumn(c).toArray(), [null, result[c]], c);
    }
    const md = pl.readParquet(`${root}/ablations/model_design.parquet`);
    assert.equal(md.height, 2);
    assert.ok(md.columns.includes("final_loss") && md.columns.includes("psnr"));
  });

  await t.step("Ctrl-C stops a benchmark run before sampling or before scoring, with nothing scored", async () => {
    const run = bench(part0);
    const stopAt = async (calls: number) => {
      const dir = `${root}/benchmark/stop-${calls}`;
      let n = 0;
      const out = await runPipeline(run, { dir, experiment: "benchmark", env, label: "b", shouldStop: () => ++n >= calls });
      assert.equal(out.interrupted, true);
      await assert.rejects(Deno.stat(`${dir}/eval.json`), Deno.errors.NotFound);
      return dir;
    };
    // Asked at once: nothing is sampled.
    await assert.rejects(Deno.stat(`${await stopAt(1)}/samples`), Deno.errors.NotFound);
    // Asked during sampling: the samples are written, the scoring does not start.
    await Deno.stat(`${await stopAt(2)}/samples/generated.safetensors`);
  });

  await t.step("a missing or unfinished source run is refused before any work, naming what is missing", async () => {
    const ctx = (dir: string): RunContext => ({ dir, experiment: "benchmark", env, label: "b", shouldStop: () => false });
    // No model_design run has seed 1.
    const seed1 = runs.find((r) => named(r, "part-finetune") && r.config.seed === 1)!;
    const dir1 = `${root}/benchmark/${seed1.id}`;
    await assert.rejects(
      runPipeline(seed1, ctx(dir1)),
      (e: Error) => e instanceof MissingSourceRunError && /no run of "model_design" in .* has model\.design=part-finetune and seed=1/.test(e.message),
    );
    await assert.rejects(Deno.stat(`${dir1}/samples`), Deno.errors.NotFound);
    // A matching run that has not finished.
    const pending = structuredClone(JSON.parse(await Deno.readTextFile(`${root}/model_design/${part0.id}/config.json`)));
    pending.config.seed = 1;
    await Deno.mkdir(`${root}/model_design/99-pending`);
    await Deno.writeTextFile(`${root}/model_design/99-pending/config.json`, JSON.stringify(pending));
    await Deno.writeTextFile(`${root}/model_design/99-pending/status.json`, JSON.stringify({ state: "running" }));
    await assert.rejects(runPipeline(seed1, ctx(dir1)), (e: Error) => e instanceof MissingSourceRunError && /has not finished .*99-pending: running/.test(e.message));
    // A source experiment that never ran here.
    const other = structuredClone(seed1);
    as(other.config, "benchmark").benchmark.source = "timestep_warmup";
    await assert.rejects(
      runPipeline(other, ctx(`${root}/benchmark/other`)),
      (e: Error) => e instanceof MissingSourceRunError && e.message.includes(`${root}/timestep_warmup does not exist`),
    );
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("benchmark config errors are caught before work", () => {
  const exp = (b: Record<string, unknown>) => ({ question: "d", recipe: "defaults", overrides: { task: "benchmark" as const, benchmark: b }, axes: {} });
  assert.throws(() => resolveRuns("b", exp({ source: null })), /task "benchmark" .* benchmark\.source must name its experiment/);
  assert.throws(() => resolveRuns("b", exp({ source: "model_design", clips: 101 })), /benchmark\.clips must be an integer in \[1, 100\], received 101/);
  assert.throws(() => resolveRuns("b", exp({ source: "../x" })), /benchmark\.source must be an experiment name/);
  assert.equal(as(resolveRuns("b", exp({ source: "model_design", clips: 5 }))[0].config, "benchmark").benchmark.clips, 5);
});
